/**
 * A256CBC-HS512 (RFC 7518 §5.2.5), the content encryption of every JWE in an Azure security
 * domain: MAC key = K[0..31] (first), AES key = K[32..63], AAD = the protected-header segment
 * as it stands in the compact string, tag = first 32 bytes of
 * HMAC-SHA512(AAD ‖ IV ‖ ciphertext ‖ AL).
 *
 * Why node:crypto and not jose: jose 6 runs on WebCrypto and is async only, while the
 * SecurityDomainFormat interface (openShare, reconstruct) and the restore-blob builder are
 * synchronous; jose would also hide *which* check failed behind one JWEDecryptionFailed, and
 * we want "tag is 16 bytes" told apart from "MAC mismatch". Here the tag length is checked
 * before any MAC work and the comparison is constant time (timingSafeEqual). This is also
 * the hot path of verify (8 KB blobs, subset search), where one HMAC pass is all it costs.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import {wipe} from '../../secret.js';

export const CEK_BYTES = 64;
export const IV_BYTES = 16;
export const TAG_BYTES = 32;

export type CbcFailure =
  'key-length' | 'iv-length' | 'tag-length' | 'ciphertext-length' | 'mac' | 'padding';

export type CbcResult = {ok: true; plaintext: Buffer} | {ok: false; reason: CbcFailure};

/** One-line descriptions of each failure, for error messages. */
export const CBC_FAILURE_TEXT: Record<CbcFailure, string> = {
  'key-length': `the content key is not ${CEK_BYTES} bytes`,
  'iv-length': `the IV is not ${IV_BYTES} bytes`,
  'tag-length': `the authentication tag is not exactly ${TAG_BYTES} bytes`,
  'ciphertext-length': 'the ciphertext is empty or not a whole number of AES blocks',
  mac: 'the authentication tag does not match (wrong key or altered data)',
  padding: 'the padding is invalid after decryption',
};

function macTag(key: Buffer, aad: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  const al = Buffer.alloc(8);
  al.writeBigUInt64BE(BigInt(aad.length) * 8n);
  const hmac = createHmac('sha512', key.subarray(0, 32));
  const full = hmac.update(aad).update(iv).update(ciphertext).update(al).digest();
  const tag = Buffer.from(full.subarray(0, TAG_BYTES));
  wipe(full);
  return tag;
}

function checkShape(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer): CbcFailure | null {
  if (key.length !== CEK_BYTES) return 'key-length';
  if (iv.length !== IV_BYTES) return 'iv-length';
  if (tag.length !== TAG_BYTES) return 'tag-length';
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) return 'ciphertext-length';
  return null;
}

/** Checks the tag only (no decryption): what the subset search needs. */
export function verifyTag(
  key: Buffer,
  aad: Buffer,
  iv: Buffer,
  ciphertext: Buffer,
  tag: Buffer,
): CbcFailure | null {
  const shape = checkShape(key, iv, ciphertext, tag);
  if (shape) return shape;
  const expected = macTag(key, aad, iv, ciphertext);
  return timingSafeEqual(expected, tag) ? null : 'mac';
}

/** Authenticates, then decrypts. The plaintext belongs to the caller, who wipes it. */
export function decrypt(
  key: Buffer,
  aad: Buffer,
  iv: Buffer,
  ciphertext: Buffer,
  tag: Buffer,
): CbcResult {
  const bad = verifyTag(key, aad, iv, ciphertext, tag);
  if (bad) return {ok: false, reason: bad};
  const decipher = createDecipheriv('aes-256-cbc', key.subarray(32, 64), iv);
  let head: Buffer | undefined;
  let tail: Buffer | undefined;
  try {
    head = decipher.update(ciphertext);
    tail = decipher.final();
    return {ok: true, plaintext: Buffer.concat([head, tail])};
  } catch {
    return {ok: false, reason: 'padding'};
  } finally {
    wipe(head, tail);
  }
}

export interface Sealed {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** Encrypts under a 64-byte key; `iv` is random unless given (tests). */
export function encrypt(key: Buffer, aad: Buffer, plaintext: Buffer, iv?: Buffer): Sealed {
  if (key.length !== CEK_BYTES) throw new RangeError(`A256CBC-HS512 needs a ${CEK_BYTES}-byte key`);
  const nonce = iv ?? randomBytes(IV_BYTES);
  if (nonce.length !== IV_BYTES) throw new RangeError(`A256CBC-HS512 needs a ${IV_BYTES}-byte IV`);
  const cipher = createCipheriv('aes-256-cbc', key.subarray(32, 64), nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {iv: nonce, ciphertext, tag: macTag(key, aad, nonce, ciphertext)};
}
