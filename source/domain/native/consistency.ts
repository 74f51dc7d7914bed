/**
 * What the schema cannot say about a native document: counts that agree, holders in order, and
 * each holder's certificate, key size and share bound to the fingerprints in the authenticated
 * header, so an edited copy cannot pass for the holder's.
 */
import {X509Certificate} from 'node:crypto';
import {sha256Hex, spkiFingerprint} from '../key-file.js';
import type {NativeDomainFile} from './schema.js';

export function consistencyProblem(doc: NativeDomainFile): string | undefined {
  const pinned = doc.domain.reportKey !== undefined && doc.domain.generation !== undefined;
  if (doc.version >= 2 && !pinned)
    return `version ${doc.version} needs domain.reportKey and domain.generation`;
  if (
    doc.version < 2 &&
    (doc.domain.reportKey !== undefined || doc.domain.generation !== undefined)
  )
    return 'domain.reportKey and domain.generation belong to version 2 files';
  if (doc.version >= 3 && !doc.commitments)
    return `version ${doc.version} needs the holders' share commitments`;
  if (doc.version < 3 && doc.commitments)
    return 'share commitments in the header belong to version 3 files';
  const n = doc.quorum.total;
  if (doc.holders.length !== n)
    return `quorum.total is ${n} but ${doc.holders.length} holders are listed`;
  if (doc.shares.length !== n)
    return `quorum.total is ${n} but ${doc.shares.length} shares are listed`;
  const fps = new Set<string>();
  for (const [i, h] of doc.holders.entries()) {
    if (h.index !== i + 1) return `holders[${i}].index should be ${i + 1}`;
    if (fps.has(h.certFingerprint)) return `holder ${h.index} repeats another holder's certificate`;
    fps.add(h.certFingerprint);
    // The certificate and key size are not in the authenticated header; bind them to the
    // fingerprints that are, so an edited copy cannot pass for the holder's.
    const der = Buffer.from(h.certificate, 'base64');
    if (sha256Hex(der) !== h.certFingerprint)
      return `holders[${i}].certificate does not match its certFingerprint`;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(der);
    } catch {
      return `holders[${i}].certificate is not an X.509 certificate`;
    }
    if (spkiFingerprint(cert.publicKey) !== h.spkiFingerprint)
      return `holders[${i}].spkiFingerprint does not match its certificate`;
    if (cert.publicKey.asymmetricKeyDetails?.modulusLength !== h.bits)
      return `holders[${i}].bits does not match its certificate`;
    const s = doc.shares[i];
    if (!s || s.holder !== h.index || s.certFingerprint !== h.certFingerprint) {
      return `shares[${i}] does not belong to holder ${h.index}`;
    }
    const c = doc.commitments?.shares;
    if (c && c[i]?.holder !== h.index)
      return `commitments.shares[${i}] does not belong to holder ${h.index}`;
  }
  if (doc.commitments && doc.commitments.shares.length !== n)
    return `quorum.total is ${n} but ${doc.commitments.shares.length} share commitments are listed`;
  if (doc.manifest.keys.length !== doc.manifest.keyCount)
    return 'manifest.keyCount does not match the key list';
  return undefined;
}
