/**
 * Proof of recovery: only someone who reconstructed the domain secret can sign a report with
 * the domain's report key, and the key is the same for every drill of that domain, so the
 * public key in a report identifies the domain across drills. The key is derived, never
 * stored: HKDF-SHA256 over the reconstructed secret with a fixed label gives an Ed25519 seed.
 */
import {
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import {canonicalJson} from '../canonical-json.js';
import {wipe} from '../secret.js';

const HKDF_SALT = Buffer.from('sd-drill report', 'utf8');
const HKDF_INFO = Buffer.from('sd-drill/v1 report-signing-key', 'utf8');
/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): this prefix, then the 32 bytes. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SubjectPublicKeyInfo of a raw Ed25519 public key: this prefix, then the 32 bytes. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A reconstructed secret shorter than this is not something to derive a key from. */
export const MIN_SECRET_BYTES = 16;

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

export function publicKeyObject(publicKeyB64: string): KeyObject {
  const raw = Buffer.from(publicKeyB64, 'base64');
  if (raw.length !== 32) throw new RangeError('an Ed25519 public key is 32 bytes');
  return createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
}

/** The bytes a report's signature covers: its canonical JSON without `proof.signature`. */
export function signedBytes(report: unknown): Buffer {
  if (report === null || typeof report !== 'object') throw new TypeError('not a report');
  const {proof, ...rest} = report as {proof?: unknown};
  let unsignedProof: unknown = proof;
  if (proof !== null && typeof proof === 'object') {
    const {signature: _signature, ...others} = proof as Record<string, unknown>;
    unsignedProof = others;
  }
  return Buffer.from(canonicalJson({...rest, proof: unsignedProof}), 'utf8');
}

export function signBytes(key: ReportSigningKey, data: Buffer): string {
  return sign(null, data, key.privateKey).toString('base64');
}

export function verifyBytes(publicKeyB64: string, data: Buffer, signatureB64: string): boolean {
  try {
    const signature = Buffer.from(signatureB64, 'base64');
    if (signature.length !== 64) return false;
    return verify(null, data, publicKeyObject(publicKeyB64), signature);
  } catch {
    return false;
  }
}
