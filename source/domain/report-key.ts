/**
 * The domain's report key: an Ed25519 key derived (HKDF-SHA256, fixed label) from the
 * reconstructed domain secret. Only a quorum that reconstructed the domain can sign with it,
 * and it is the same for every drill of the domain, so its public half is the domain's
 * identity: native files pin it in their authenticated header (from `init` on), Azure files
 * (no room) are pinned in the store at their first passing drill. Derived, never stored.
 */
import {createPrivateKey, createPublicKey, hkdfSync, type KeyObject} from 'node:crypto';
import {wipe} from '../secret.js';

const HKDF_SALT = Buffer.from('sd-drill report', 'utf8');
const HKDF_INFO = Buffer.from('sd-drill/v1 report-signing-key', 'utf8');
/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): this prefix, then the 32 bytes. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SubjectPublicKeyInfo of a raw Ed25519 public key: this prefix, then the 32 bytes. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A reconstructed secret shorter than this is not something to derive a key from. */
export const MIN_SECRET_BYTES = 16;

/** A raw Ed25519 public key in base64 (32 bytes: 43 characters and one `=`). */
export const REPORT_KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

export interface ReportSigningKey {
  privateKey: KeyObject;
  /** Raw 32-byte public key, base64. */
  publicKey: string;
}

/** Derives the domain's report-signing key. The secret is not wiped (the caller owns it). */
export function deriveReportKey(domainSecret: Buffer): ReportSigningKey {
  if (domainSecret.length < MIN_SECRET_BYTES) throw new RangeError('domain secret too short');
  const seed = Buffer.from(hkdfSync('sha256', domainSecret, HKDF_SALT, HKDF_INFO, 32));
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  try {
    const privateKey = createPrivateKey({key: der, format: 'der', type: 'pkcs8'});
    const spki = createPublicKey(privateKey).export({format: 'der', type: 'spki'});
    return {privateKey, publicKey: spki.subarray(spki.length - 32).toString('base64')};
  } finally {
    wipe(seed, der);
  }
}

/** Only the public half: what a reconstruction proves and a pin is compared with. */
export function reportPublicKey(domainSecret: Buffer): string {
  return deriveReportKey(domainSecret).publicKey;
}

export function publicKeyObject(publicKeyB64: string): KeyObject {
  const raw = Buffer.from(publicKeyB64, 'base64');
  if (raw.length !== 32) throw new RangeError('an Ed25519 public key is 32 bytes');
  return createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
}
