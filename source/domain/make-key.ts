/**
 * A holder's wrapping key pair and self-signed certificate, as `openssl req -x509` would make.
 * node:crypto generates the key (OpenSSL, on the thread pool); node-forge builds and signs the
 * certificate because node:crypto cannot create X.509 certificates.
 */
import {generateKeyPair, randomBytes, type KeyObject} from 'node:crypto';
import {promisify} from 'node:util';
import forge from 'node-forge';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface HolderKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PEM certificate. */
  certificatePem: string;
}

export async function generateRsaKeyPair(
  bits: number,
): Promise<{privateKey: KeyObject; publicKey: KeyObject}> {
  return generateKeyPairAsync('rsa', {modulusLength: bits, publicExponent: 0x10001});
}

export function selfSignedCertificate(
  privateKey: KeyObject,
  publicKey: KeyObject,
  commonName: string,
  days = 3 * 365,
): string {
  // forge needs the key as PEM; the string is dropped as soon as the certificate is signed.
  const forgeKey = forge.pki.privateKeyFromPem(
    privateKey.export({type: 'pkcs1', format: 'pem'}).toString(),
  );
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({type: 'spki', format: 'pem'}).toString(),
  );
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + days * 86_400_000);
  const attrs = [
    {name: 'commonName', value: commonName},
    {name: 'organizationalUnitName', value: 'HSM security domain wrapping key'},
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    {name: 'basicConstraints', cA: false},
    {name: 'keyUsage', keyEncipherment: true, dataEncipherment: true},
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

export async function makeHolderKeyPair(commonName: string, bits: number): Promise<HolderKeyPair> {
  const {privateKey, publicKey} = await generateRsaKeyPair(bits);
  return {
    privateKey,
    publicKey,
    certificatePem: selfSignedCertificate(privateKey, publicKey, commonName),
  };
}

/** The private key as a holder's key file: encrypted PKCS#8 (PBES2, AES-256-CBC) or plain. */
export function privateKeyPem(privateKey: KeyObject, passphrase?: Buffer): string {
  if (passphrase && passphrase.length > 0) {
    return privateKey
      .export({type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase})
      .toString();
  }
  return privateKey.export({type: 'pkcs8', format: 'pem'}).toString();
}
