/**
 * A holder's wrapping key pair and self-signed certificate, as `openssl req -x509` would make.
 * node:crypto generates the key (OpenSSL, on the thread pool); ./self-signed.ts makes the
 * certificate (node-forge assembles it from the public key, node:crypto signs it).
 */
import {generateKeyPair, type KeyObject} from 'node:crypto';
import {promisify} from 'node:util';
import {encryptPrivateKey} from './key-encryption.js';
import {selfSignedCertificate as selfSignedDer} from './self-signed.js';

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

/** The holder's certificate, PEM, as `openssl req -x509` would write it. */
export function selfSignedCertificatePem(
  privateKey: KeyObject,
  commonName: string,
  days = 3 * 365,
): string {
  const der = selfSignedDer(privateKey, {commonName, days});
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)
    ?.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export async function makeHolderKeyPair(commonName: string, bits: number): Promise<HolderKeyPair> {
  const {privateKey, publicKey} = await generateRsaKeyPair(bits);
  return {
    privateKey,
    publicKey,
    certificatePem: selfSignedCertificatePem(privateKey, commonName),
  };
}

/**
 * The private key as a holder's key file: encrypted PKCS#8 (PBES2, PBKDF2-SHA256 at 600,000
 * iterations, AES-256-CBC: ./key-encryption.ts) or plain.
 */
export async function privateKeyPem(privateKey: KeyObject, passphrase?: Buffer): Promise<string> {
  if (passphrase && passphrase.length > 0) return encryptPrivateKey(privateKey, passphrase);
  return privateKey.export({type: 'pkcs8', format: 'pem'}).toString();
}
