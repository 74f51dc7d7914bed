/**
 * RSA key wrapping of the 64-byte content keys. RSA-OAEP-256 (SHA-256, MGF1-SHA-256, empty
 * label) is what every real file uses; RSA-OAEP (SHA-1) is read because azure-cli reads it.
 * RSA1_5 is refused: Node 20 no longer performs PKCS#1 v1.5 private decryption.
 */
import {constants, privateDecrypt, publicEncrypt, type KeyObject} from 'node:crypto';

export type WrapAlgorithm = 'RSA-OAEP-256' | 'RSA-OAEP';

export const isWrapAlgorithm = (alg: unknown): alg is WrapAlgorithm =>
  alg === 'RSA-OAEP-256' || alg === 'RSA-OAEP';

/** Unwraps, or returns undefined when the key is not the one the CEK was wrapped to. */
export function rsaUnwrap(
  alg: WrapAlgorithm,
  privateKey: KeyObject,
  encryptedKey: Buffer,
): Buffer | undefined {
  try {
    return privateDecrypt(
      {
        key: privateKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: alg === 'RSA-OAEP-256' ? 'sha256' : 'sha1',
      },
      encryptedKey,
    );
  } catch {
    return undefined;
  }
}

export function rsaWrap(publicKey: KeyObject, cek: Buffer): Buffer {
  return publicEncrypt(
    {key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256'},
    cek,
  );
}
