/**
 * Share commitments: what lets one holder, alone, tell that the share their key opens is the
 * share a quorum last proved (docs/share-commitments.md has the exact bytes and what they
 * prove). Whenever an authenticated reconstruction proves shares, each proven share gets
 *
 *   SHA-256( "sd-drill/v1 share commitment" 0x00
 *            u16 len(domain) domain          (UTF-8: "native:<id>" or "azure:<EncData sha-256>")
 *            u32 generation                  (native header's generation; 0 where none)
 *            u16 holder index                (1-based slot in the file)
 *            u16 len(share) share )          (the share as its key opens it)
 *
 * (integers big-endian). A share is a Shamir share of a 256-bit secret, uniformly random to
 * anyone short of the quorum, so its hash reveals nothing usable.
 *
 * Beside each commitment the slot's sealed share is recorded by its SHA-256 as it stands in
 * the file: when a later check's share differs, the other slots' sealed shares tell a single
 * swapped slot (the file was changed) from a whole new set (another file of the domain).
 */
import {createHash} from 'node:crypto';
import {encDataDigest} from './azure/reader.js';
import type {OpenedShare, ReconstructedDomain} from './format.js';
import type {NativeDomain} from './native/reader.js';
import type {OpenedDomain} from './open.js';

export const COMMITMENT_LABEL = 'sd-drill/v1 share commitment';

/** Where a share sits: which domain, which generation of its file, which holder's slot. */
export interface ShareSlot {
  domain: string;
  generation: number;
  index: number;
}

export interface ShareCommitment {
  holder: number;
  /** The holder's certificate fingerprint as the file lists it (hex). */
  fingerprint: string;
  /** SHA-256 of the slot's sealed share as it stands in the file (hex). */
  sealed: string;
  /** The commitment of the share when this proof proved it; null when it did not. */
  commitment: string | null;
}

/** The commitments one proof made for one file: every slot, proven or not. */
export interface CommitmentSet {
  /** "native:<domain id>" or "azure:<SHA-256 of EncData>" (see domainIdentity). */
  domain: string;
  format: 'native' | 'azure';
  generation: number;
  /** SHA-256 of the file proven. */
  fileSha256: string | null;
  shares: ShareCommitment[];
}

const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** The commitment of one share in one slot (lowercase hex). The share is not kept. */
export function shareCommitment(slot: ShareSlot, share: Buffer): string {
  const domain = Buffer.from(slot.domain, 'utf8');
  return createHash('sha256')
    .update(COMMITMENT_LABEL)
    .update(Buffer.of(0))
    .update(u16(domain.length))
    .update(domain)
    .update(u32(slot.generation))
    .update(u16(slot.index))
    .update(u16(share.length))
    .update(share)
    .digest('hex');
}

/**
 * The domain's identity in a commitment: its id (native); its EncData's digest (Azure: the
 * canonical JSON of its blobs and KDF, the name the store's pins know it by — a rotation keeps
 * EncData byte for byte, and a substitute made from the holders' certificates cannot have it).
 */
export function domainIdentity(opened: OpenedDomain): string {
  return opened.format === 'native'
    ? `native:${opened.domain.doc.domain.id}`
    : `azure:${encDataDigest(opened.domain.blobs, opened.domain.kdf)}`;
}

/** The generation a commitment binds: the native header's (version 2 on), 0 where none. */
export function generationOf(opened: OpenedDomain): number {
  return opened.format === 'native' ? (opened.domain.doc.domain.generation ?? 0) : 0;
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** The SHA-256 of each slot's sealed share as the file has it, by holder index. */
export function sealedDigests(opened: OpenedDomain): Map<number, string> {
  const out = new Map<number, string>();
  if (opened.format === 'native') {
    for (const s of (opened.domain as NativeDomain).doc.shares)
      out.set(s.holder, sha256(Buffer.from(s.ciphertext, 'base64')));
  } else {
    for (const s of opened.domain.shares) out.set(s.index, sha256(s.compact));
  }
  return out;
}

export function slotOf(opened: OpenedDomain, index: number): ShareSlot {
  return {domain: domainIdentity(opened), generation: generationOf(opened), index};
}

/**
 * The commitment set a proof makes: every slot of the file, with a commitment for each share
 * in `proven` (shares an authenticated reconstruction of this file accepted).
 */
export function commitmentSet(opened: OpenedDomain, proven: readonly OpenedShare[]): CommitmentSet {
  const domain = domainIdentity(opened);
  const generation = generationOf(opened);
  const sealed = sealedDigests(opened);
  return {
    domain,
    format: opened.format,
    generation,
    fileSha256: opened.sha256 ?? null,
    shares: opened.domain.describe().holders.map((h) => {
      const share = proven.find((s) => s.holder.index === h.index);
      return {
        holder: h.index,
        fingerprint: h.certFingerprint,
        sealed: sealed.get(h.index) ?? '',
        commitment: share
          ? shareCommitment({domain, generation, index: h.index}, share.secret)
          : null,
      };
    }),
  };
}

/**
 * The shares an authenticated reconstruction proved. Azure: those it used (the winning subset
 * and every share that, swapped in, gave the same secret). Native: every share it did not name
 * bad (each carries its own x, checked against its slot when opened, and a share outside the
 * winning subset is named bad unless it lies on the same polynomial). Either way, two holders
 * whose shares are one share prove nothing for either slot (./format.ts DuplicateShare).
 */
export function provenShares(
  format: 'native' | 'azure',
  shares: readonly OpenedShare[],
  reconstructed: Pick<ReconstructedDomain, 'usedHolders' | 'badShares' | 'duplicates'>,
): OpenedShare[] {
  const used = new Set(reconstructed.usedHolders);
  const bad = new Set(reconstructed.badShares.map((b) => b.holderIndex));
  const twins = new Set((reconstructed.duplicates ?? []).flatMap((d) => [d.holderIndex, d.sameAs]));
  return shares.filter(
    (s) =>
      !twins.has(s.holder.index) &&
      (format === 'azure' ? used.has(s.holder.index) : !bad.has(s.holder.index)),
  );
}
