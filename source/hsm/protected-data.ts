/**
 * What an HSM key protects, in the simulated HSM: data its applications sealed with it. An AES
 * key encrypts (AES-256-GCM), an RSA key wraps a data key (RSA-OAEP-256, as envelope
 * encryption does), an EC key signs (ECDSA P-256 over SHA-256: a signing key protects the
 * integrity of what it signed, not its secrecy). Each record carries the SHA-256 of its content
 * as it was when sealed, so whoever opens it can tell the right content from a wrong one.
 *
 * Moving a record to a new key: open it with the old key (decrypt, unwrap, or verify the
 * signature), seal the content under the new key, and open it there again.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type {Canary} from '../domain/native/schema.js';
import type {KeyType} from './inventory.js';

/** A key as an instance holds it: raw bytes for AES, a private key object otherwise. */
export type HeldKey = {type: 'aes'; material: Buffer} | {type: 'rsa' | 'ec'; key: KeyObject};

export type Sealed =
  | {kind: 'aes-gcm'; iv: Buffer; ciphertext: Buffer; tag: Buffer}
  | {kind: 'rsa-oaep'; ciphertext: Buffer}
  | {kind: 'ecdsa'; content: Buffer; signature: Buffer};

export interface DataRecord {
  /** "application record", "canary 2 (sealed at init)". */
  label: string;
  sealed: Sealed;
  /** SHA-256 of the content when it was sealed. */
  contentSha256: string;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const OAEP = {padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256'} as const;

/** An inventory key's material (PKCS#8 DER or raw AES bytes) as a held key; undefined if unusable. */
export function holdKey(type: KeyType, material: Buffer): HeldKey | undefined {
  if (type === 'aes') return material.length === 32 ? {type, material} : undefined;
  try {
    const key = createPrivateKey({key: material, format: 'der', type: 'pkcs8'});
    return key.asymmetricKeyType === type ? {type, key} : undefined;
  } catch {
    return undefined;
  }
}

/** Seals `content` under `key`; the content is the caller's to wipe. */
export function seal(key: HeldKey, content: Buffer): Sealed {
  if (key.type === 'aes') {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv);
    const ciphertext = Buffer.concat([cipher.update(content), cipher.final()]);
    return {kind: 'aes-gcm', iv, ciphertext, tag: cipher.getAuthTag()};
  }
  if (key.type === 'rsa')
    return {
      kind: 'rsa-oaep',
      ciphertext: publicEncrypt({key: createPublicKey(key.key), ...OAEP}, content),
    };
  return {
    kind: 'ecdsa',
    content: Buffer.from(content),
    signature: sign('sha256', content, key.key),
  };
}

/** Opens a sealed record with `key`: the content, or undefined when the key does not open it. */
export function open(key: HeldKey, sealed: Sealed): Buffer | undefined {
  try {
    if (key.type === 'aes' && sealed.kind === 'aes-gcm') {
      const decipher = createDecipheriv('aes-256-gcm', key.material, sealed.iv);
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
    }
    if (key.type === 'rsa' && sealed.kind === 'rsa-oaep')
      return privateDecrypt({key: key.key, ...OAEP}, sealed.ciphertext);
    if (key.type === 'ec' && sealed.kind === 'ecdsa')
      return verify('sha256', sealed.content, createPublicKey(key.key), sealed.signature)
        ? Buffer.from(sealed.content)
        : undefined;
  } catch {
    return undefined;
  }
  return undefined;
}

/** A new record of application data sealed under `key` (the simulated applications' data). */
export function applicationRecord(key: HeldKey, about: string): DataRecord {
  // An RSA key wraps a data key; the others seal a short document.
  const content =
    key.type === 'rsa'
      ? randomBytes(32)
      : Buffer.from(`record of ${about}: ${randomBytes(24).toString('hex')}`, 'utf8');
  const record = {
    label:
      key.type === 'rsa'
        ? 'wrapped data key'
        : key.type === 'ec'
          ? 'signed document'
          : 'encrypted record',
    sealed: seal(key, content),
    contentSha256: sha256(content),
  };
  content.fill(0);
  return record;
}

/** A canary `init` sealed under an AES key of the inventory, as a record. */
export function canaryRecord(canary: Canary, n: number): DataRecord {
  return {
    label: `canary ${n} (sealed at init)`,
    sealed: {
      kind: 'aes-gcm',
      iv: Buffer.from(canary.iv, 'base64'),
      ciphertext: Buffer.from(canary.ciphertext, 'base64'),
      tag: Buffer.from(canary.tag, 'base64'),
    },
    contentSha256: canary.plaintextSha256,
  };
}

/**
 * Moves one record from `from` to `to`: opened with the old key and checked against its
 * digest, sealed under the new key, opened again with the new key and checked. The record's
 * content exists only inside this function. Undefined, or why not.
 */
export function moveRecord(from: HeldKey, to: HeldKey, record: DataRecord): string | undefined {
  const content = open(from, record.sealed);
  if (!content) return `${record.label}: the old key does not open it`;
  try {
    if (sha256(content) !== record.contentSha256)
      return `${record.label}: the old key opens it to other content than was sealed`;
    const moved = seal(to, content);
    const back = open(to, moved);
    if (!back) return `${record.label}: sealed under the new key, it does not open there`;
    const same = sha256(back) === record.contentSha256;
    back.fill(0);
    return same
      ? undefined
      : `${record.label}: opened under the new key, it is not the same content`;
  } finally {
    content.fill(0);
  }
}
