/**
 * The native format's integrity design.
 *
 * Shamir combine returns a wrong secret silently, and a share encrypted to a holder's public
 * certificate can be forged by anyone who has that certificate. So nothing unauthenticated in
 * the file decides whether a share is good:
 *
 * - keyCheck: HMAC over the file's header (format, version, domain id, quorum, holders'
 *   fingerprints, manifest digest) under a key derived from the domain key. Only the true
 *   domain key passes it, so it tells a good combination from a bad one without decrypting
 *   the payload, and any edit of the header makes it fail.
 * - payload: AES-256-GCM with the same header as AAD.
 * - vouchers: for every ordered pair of holders (j, i), a MAC over share i made with a key
 *   derived from share j. A forger who rewrites share i cannot make the other holders'
 *   vouchers for it verify (that needs their shares), so when a combination fails the
 *   holders present can say which of them the others do not recognise.
 * - Each share's RSA-OAEP label binds it to this domain and position.
 */
import {createHash, createHmac, hkdfSync, timingSafeEqual} from 'node:crypto';
import {canonicalJson} from '../../canonical-json.js';
import type {NativeDomainFile} from './schema.js';

const LABEL = 'sd-drill/v1';

function hkdf(secret: Buffer, salt: string, info: string, length = 32): Buffer {
  return Buffer.from(
    hkdfSync(
      'sha256',
      secret,
      Buffer.from(salt, 'utf8'),
      Buffer.from(`${LABEL} ${info}`, 'utf8'),
      length,
    ),
  );
}

export function manifestDigest(manifest: NativeDomainFile['manifest']): string {
  return createHash('sha256').update(canonicalJson(manifest)).digest('hex');
}

/**
 * The authenticated header: everything an attacker might rewrite to mislead a restore. From
 * version 3 it includes the holders' share commitments (their signature is checked apart).
 */
export function headerAad(
  doc: Pick<NativeDomainFile, 'format' | 'version' | 'domain' | 'quorum' | 'holders' | 'manifest'> &
    Partial<Pick<NativeDomainFile, 'commitments'>>,
): Buffer {
  return Buffer.from(
    canonicalJson({
      ...(doc.commitments
        ? {commitments: doc.commitments.shares.map((c) => ({holder: c.holder, sha256: c.sha256}))}
        : {}),
      format: doc.format,
      version: doc.version,
      domain: doc.domain,
      quorum: doc.quorum,
      holders: doc.holders.map((h) => ({
        index: h.index,
        name: h.name,
        certFingerprint: h.certFingerprint,
        spkiFingerprint: h.spkiFingerprint,
      })),
      manifest: manifestDigest(doc.manifest),
    }),
    'utf8',
  );
}

export function payloadKey(domainKey: Buffer, domainId: string): Buffer {
  return hkdf(domainKey, domainId, 'payload');
}

export function keyCheck(domainKey: Buffer, domainId: string, aad: Buffer): Buffer {
  const k = hkdf(domainKey, domainId, 'key-check');
  try {
    return createHmac('sha256', k).update(aad).digest();
  } finally {
    k.fill(0);
  }
}

export function keyCheckMatches(
  candidate: Buffer,
  domainId: string,
  aad: Buffer,
  expected: Buffer,
): boolean {
  const got = keyCheck(candidate, domainId, aad);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function oaepLabel(domainId: string, holderIndex: number): Buffer {
  return Buffer.from(`${LABEL} share ${domainId} ${holderIndex}`, 'utf8');
}

const VOUCHER_BYTES = 16;

export function voucher(
  byShare: Buffer,
  domainId: string,
  forIndex: number,
  forShare: Buffer,
): Buffer {
  const k = hkdf(byShare, domainId, 'vouch');
  try {
    const digest = createHash('sha256').update(forShare).digest();
    return createHmac('sha256', k)
      .update(`${forIndex}:`)
      .update(digest)
      .digest()
      .subarray(0, VOUCHER_BYTES);
  } finally {
    k.fill(0);
  }
}

export function voucherMatches(
  byShare: Buffer,
  domainId: string,
  forIndex: number,
  forShare: Buffer,
  expected: Buffer,
): boolean {
  const got = voucher(byShare, domainId, forIndex, forShare);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
