/**
 * Self-signed X.509 certificates for keys made in memory: holders' wrapping keys, the
 * simulated recovery HSM's exchange key and fixture keys. node:crypto cannot build them, so
 * node-forge assembles the TBSCertificate from the *public* key only; node:crypto signs it.
 * The private key never leaves its KeyObject (no PEM string of it is made), and signing stays
 * native-speed even for RSA-4096.
 */
import {createPublicKey, randomBytes, sign, type KeyObject} from 'node:crypto';
import forge from 'node-forge';

// getTBSCertificate is part of forge's API but missing from @types/node-forge.
const pki = forge.pki as typeof forge.pki & {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
};

export interface SelfSignedOptions {
  commonName: string;
  /** Validity in days from now; default one year. */
  days?: number;
  /** Fixed start of validity (fixtures); default now minus a minute. */
  notBefore?: Date;
}

export function selfSignedCertificate(privateKey: KeyObject, options: SelfSignedOptions): Buffer {
  const publicPem = createPublicKey(privateKey).export({type: 'spki', format: 'pem'}).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  // A positive serial: clear the top bit of the first byte.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + (options.days ?? 365) * 86_400_000);
  const name = [{name: 'commonName', value: options.commonName}];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    {name: 'basicConstraints', cA: false},
    {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, dataEncipherment: true},
    {name: 'subjectKeyIdentifier'},
  ]);
  const oid = forge.pki.oids.sha256WithRSAEncryption as string;
  cert.siginfo.algorithmOid = oid;
  cert.signatureOid = oid;
  const tbs = forge.asn1.toDer(pki.getTBSCertificate(cert)).getBytes();
  cert.signature = sign('sha256', Buffer.from(tbs, 'binary'), privateKey).toString('binary');
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}
