/**
 * Writes Azure-format security-domain files for test fixtures and drills, following the
 * interop spec §13: per-blob keys from SP 800-108, shares as little-endian (x << 9) | v words
 * with random coefficients uniform in [0, 256], each share sealed to one certificate with
 * RSA-OAEP-256 + A256CBC-HS512, and compact JSON in the key order HSMs use.
 * (Synchronous node:crypto, not jose: see a256cbc-hs512.ts.)
 */
import {
  createHash,
  randomBytes,
  timingSafeEqual,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import {usageError} from '../../errors.js';
import type {LoadedCertificate} from '../key-file.js';
import {wipe} from '../../secret.js';
import {CEK_BYTES} from './a256cbc-hs512.js';
import {b64uEncode, dirHeader, RSA_OAEP_256_HEADER, sealCompact} from './compact-jwe.js';
import {deriveBlobKey} from './kdf.js';
import {MAX_QUORUM, MAX_SHARES, MIN_QUORUM} from './reader.js';
import {rsaWrap} from './rsa-oaep.js';
import {combineShares, decodeShare, splitSecret, wipeShare, type FieldRandom} from './shamir257.js';

export interface AzureDomainSpec {
  /** One wrapping certificate per holder, in share order (x = position + 1). */
  certificates: ReadonlyArray<LoadedCertificate | Buffer>;
  required: number;
  blobs: ReadonlyArray<{tag: string; plaintext: Buffer}>;
  /** The 32-byte domain secret; random unless given (tests). Not wiped by the writer. */
  secret?: Buffer;
  /** Coefficient source, uniform in [0, 256]; for tests only. */
  random?: FieldRandom;
}

export interface WrittenAzureDomain {
  json: string;
  /** The combined secret; the caller wipes it. */
  secret: Buffer;
}

function certificateParts(cert: LoadedCertificate | Buffer): {der: Buffer; publicKey: KeyObject} {
  if (Buffer.isBuffer(cert)) {
    const x509 = new X509Certificate(cert);
    return {der: Buffer.from(x509.raw), publicKey: x509.publicKey};
  }
  return {der: cert.der, publicKey: cert.publicKey};
}

/** Compact share JWE for one holder: RSA-OAEP-256 wraps a fresh 64-byte CEK. */
export function sealShare(publicKey: KeyObject, share: Buffer): string {
  const cek = randomBytes(CEK_BYTES);
  try {
    return sealCompact(RSA_OAEP_256_HEADER, cek, share, rsaWrap(publicKey, cek));
  } finally {
    wipe(cek);
  }
}

/** Compact `dir` JWE for one data blob under K_tag = KDF(master, tag). */
export function sealBlob(master: Buffer, tag: string, plaintext: Buffer): string {
  const key = deriveBlobKey(master, tag);
  try {
    return sealCompact(dirHeader(tag), key, plaintext);
  } finally {
    wipe(key);
  }
}

export const x5t256 = (der: Buffer): string =>
  b64uEncode(createHash('sha256').update(der).digest());

export function writeAzureDomain(spec: AzureDomainSpec): WrittenAzureDomain {
  const {certificates, required, blobs} = spec;
  const total = certificates.length;
  if (!Number.isInteger(required) || required < MIN_QUORUM || required > MAX_QUORUM) {
    throw usageError(
      'bad-quorum',
      `required must be a whole number from ${MIN_QUORUM} to ${MAX_QUORUM}`,
    );
  }
  if (total < required || total > MAX_SHARES) {
    throw usageError(
      'bad-total',
      `need between ${required} and ${MAX_SHARES} certificates, got ${total}`,
    );
  }
  if (blobs.length === 0) throw usageError('no-blobs', 'an Azure security domain has data blobs');
  if (new Set(blobs.map((b) => b.tag)).size !== blobs.length) {
    throw usageError('duplicate-tag', 'data blob tags must be distinct');
  }
  const secret = spec.secret ? Buffer.from(spec.secret) : randomBytes(32);
  const data = blobs.map(({tag, plaintext}) => ({
    compact_jwe: sealBlob(secret, tag, plaintext),
    tag,
  }));
  const encShares = sealShares(secret, certificates, required, spec.random);
  const json = JSON.stringify({
    EncData: {data, kdf: 'sp108_kdf'},
    SharedKeys: {enc_shares: encShares, key_algorithm: 'shamir_share', required},
    version: 2,
  });
  return {json, secret};
}

/** Fresh shares of `secret` (x = 1..n in certificate order), each sealed to its certificate. */
function sealShares(
  secret: Buffer,
  certificates: ReadonlyArray<LoadedCertificate | Buffer>,
  required: number,
  random?: FieldRandom,
): Array<{enc_key: string; x5t_256: string}> {
  const shares = splitSecret(secret, required, certificates.length, random);
  try {
    // Checked before anything is sealed: the first and the last quorum give the secret back.
    for (const quorum of [shares.slice(0, required), shares.slice(-required)])
      if (!combinesTo(quorum, secret)) throw new Error('the new shares do not combine');
    return certificates.map((cert, i) => {
      const {der, publicKey} = certificateParts(cert);
      return {enc_key: sealShare(publicKey, shares[i] as Buffer), x5t_256: x5t256(der)};
    });
  } finally {
    wipe(...shares);
  }
}

function combinesTo(shares: Buffer[], secret: Buffer): boolean {
  const decoded = shares.map((s) => decodeShare(s));
  const ok = decoded.flatMap((d) => (d.ok ? [d.share] : []));
  const combined = ok.length === shares.length ? combineShares(ok) : undefined;
  ok.forEach(wipeShare);
  const same = combined?.ok === true && timingSafeEqual(combined.secret, secret);
  if (combined?.ok) wipe(combined.secret);
  return same;
}

export interface AzureRewrapSpec {
  /** The old file's `EncData.data` entries, copied byte for byte (the blobs do not change). */
  data: ReadonlyArray<{tag: string; compact: string}>;
  kdf: string;
  version: unknown;
  /** The domain's 32-byte combined secret (the master key); not wiped here. */
  secret: Buffer;
  /** The new holders' certificates, in share order. */
  certificates: readonly LoadedCertificate[];
  required: number;
}

/**
 * Rotation: the same domain (the same `EncData`, so the same master key and blobs) wrapped
 * to new certificates with a new quorum — fresh shares, each sealed exactly as the service
 * seals them (§13), so azure-cli's restore and `restore-blob` open it as they opened the old.
 */
export function rewrapAzureDomain(spec: AzureRewrapSpec): string {
  const {certificates, required} = spec;
  if (required < MIN_QUORUM || required > MAX_QUORUM || required > certificates.length)
    throw usageError('bad-quorum', `quorum ${required} of ${certificates.length} is not allowed`);
  if (certificates.length > MAX_SHARES)
    throw usageError('bad-total', `at most ${MAX_SHARES} certificates, got ${certificates.length}`);
  if (spec.secret.length !== 32) throw new Error('an Azure domain secret is 32 bytes');
  return JSON.stringify({
    EncData: {data: spec.data.map((d) => ({compact_jwe: d.compact, tag: d.tag})), kdf: spec.kdf},
    SharedKeys: {
      enc_shares: sealShares(spec.secret, certificates, required),
      key_algorithm: 'shamir_share',
      required,
    },
    version:
      typeof spec.version === 'number' || typeof spec.version === 'string' ? spec.version : 2,
  });
}
