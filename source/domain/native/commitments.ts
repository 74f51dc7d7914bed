/**
 * A native file's header commitments (version 3 on): every holder's share commitment
 * (../commitment.ts), written by `init` and every rotation from the shares they made, and
 * signed with the domain's report key, so a holder can check their share against the file
 * alone — the signature under the key the domain is pinned by (the header's own, the store's,
 * or one on record) says the commitments are the domain's and were not rewritten.
 *
 * Signed bytes: "sd-drill/v1 native header commitments\n" followed by the canonical JSON
 * (RFC 8785) of {domain: "native:<id>", generation, reportKey, quorum, holders: [{index,
 * certFingerprint, spkiFingerprint}], commitments: [{holder, sha256}]}. Ed25519.
 */
import {sign, verify} from 'node:crypto';
import {canonicalJson} from '../../canonical-json.js';
import {publicKeyObject, type ReportSigningKey} from '../report-key.js';
import type {NativeDomainFile} from './schema.js';

export const HEADER_COMMITMENTS_PREFIX = 'sd-drill/v1 native header commitments\n';

export type HeaderCommitments = NonNullable<NativeDomainFile['commitments']>;

type Signed = Pick<NativeDomainFile, 'domain' | 'quorum'> & {
  holders: ReadonlyArray<
    Pick<NativeDomainFile['holders'][number], 'index' | 'certFingerprint' | 'spkiFingerprint'>
  >;
};

function signedBytes(doc: Signed, shares: HeaderCommitments['shares']): Buffer {
  return Buffer.from(
    HEADER_COMMITMENTS_PREFIX +
      canonicalJson({
        domain: `native:${doc.domain.id}`,
        generation: doc.domain.generation ?? 0,
        reportKey: doc.domain.reportKey ?? null,
        quorum: doc.quorum,
        holders: doc.holders.map((h) => ({
          index: h.index,
          certFingerprint: h.certFingerprint,
          spkiFingerprint: h.spkiFingerprint,
        })),
        commitments: shares.map((s) => ({holder: s.holder, sha256: s.sha256})),
      }),
    'utf8',
  );
}

/** Signs the commitments with the domain's report key (the writer holds the domain key). */
export function signHeaderCommitments(
  doc: Signed,
  shares: HeaderCommitments['shares'],
  key: ReportSigningKey,
): HeaderCommitments {
  const signature = sign(null, signedBytes(doc, shares), key.privateKey).toString('base64');
  return {shares: shares.map((s) => ({...s})), signature};
}

/**
 * Do the header's commitments verify under the report key its header pins? Whether that key
 * is the domain's is for the caller to settle against a pin: a forger who rewrites the header
 * signs with a key of their own and writes that key in.
 */
export function headerCommitmentsVerify(doc: NativeDomainFile): boolean {
  const c = doc.commitments;
  const key = doc.domain.reportKey;
  if (!c || !key) return false;
  try {
    const signature = Buffer.from(c.signature, 'base64');
    if (signature.length !== 64) return false;
    return verify(null, signedBytes(doc, c.shares), publicKeyObject(key), signature);
  } catch {
    return false;
  }
}
