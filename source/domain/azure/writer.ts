/**
 * Writes Azure-format security-domain files for test fixtures and drills, following the
 * interop spec §13: per-blob keys from SP 800-108, shares as little-endian (x << 9) | v words
 * with random coefficients uniform in [0, 256], each share sealed to one certificate with
 * RSA-OAEP-256 + A256CBC-HS512, and compact JSON in the key order HSMs use.
 * (Synchronous node:crypto, not jose: see a256cbc-hs512.ts.)
 */
import {createHash, randomBytes, X509Certificate, type KeyObject} from 'node:crypto';
import {usageError} from '../../errors.js';
import type {LoadedCertificate} from '../key-file.js';
import {wipe} from '../../secret.js';
import {CEK_BYTES} from './a256cbc-hs512.js';
import {b64uEncode, dirHeader, RSA_OAEP_256_HEADER, sealCompact} from './compact-jwe.js';
import {deriveBlobKey} from './kdf.js';
import {MAX_QUORUM, MAX_SHARES, MIN_QUORUM} from './reader.js';
import {rsaWrap} from './rsa-oaep.js';
import {splitSecret, type FieldRandom} from './shamir257.js';

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
  const shares = splitSecret(secret, required, total, spec.random);
  const encShares = certificates.map((cert, i) => {
    const {der, publicKey} = certificateParts(cert);
    const share = shares[i] as Buffer;
    const entry = {enc_key: sealShare(publicKey, share), x5t_256: x5t256(der)};
    wipe(share);
    return entry;
  });
  const json = JSON.stringify({
    EncData: {data, kdf: 'sp108_kdf'},
    SharedKeys: {enc_shares: encShares, key_algorithm: 'shamir_share', required},
    version: 2,
  });
  return {json, secret};
}
