/**
 * Every holder, not a quorum: each holder of the file must have presented a key that opened
 * their share, and that share must agree with the authenticated reconstruction (native: it
 * was in the subset that opened the domain, or on the same polynomial; Azure: swapped into
 * the winning subset it gives the same secret). Used by `verify --all` and by the rotation
 * ceremony, where every new holder proves their key before the old file may be destroyed.
 *
 * A holder who did not prove is named with what is known — no key opened their share, their
 * share does not agree, or it is the very share another holder carries (a duplicate counts once
 * and proves neither: the file's share for one of them was replaced) — never with a guess.
 */
import {holderLabel, type BadShare, type DuplicateShare, type Holder} from './format.js';

export interface HolderProof {
  index: number;
  name?: string;
  certFingerprint: string;
  proven: boolean;
  /** The key file that opened the share. */
  file?: string;
  /** Why the holder did not prove their key. */
  reason?: string;
}

export const NO_KEY = 'no key given opened this share';

export function proveAll(
  holders: readonly Holder[],
  opened: ReadonlyArray<{holderIndex: number; file: string}>,
  badShares: readonly BadShare[],
  reconstructed: boolean,
  duplicates: readonly DuplicateShare[] = [],
): HolderProof[] {
  return holders.map((h) => {
    const base = {
      index: h.index,
      ...(h.name ? {name: h.name} : {}),
      certFingerprint: h.certFingerprint,
    };
    const share = opened.find((o) => o.holderIndex === h.index);
    if (!share) return {...base, proven: false, reason: NO_KEY};
    const bad = badShares.find((b) => b.holderIndex === h.index);
    if (bad) return {...base, proven: false, file: share.file, reason: bad.reason};
    const twin = duplicates.find((d) => d.holderIndex === h.index || d.sameAs === h.index);
    if (twin) {
      const other = twin.holderIndex === h.index ? twin.sameAs : twin.holderIndex;
      return {
        ...base,
        proven: false,
        file: share.file,
        reason: `its share is the very share holder ${other} carries: one share for two holders proves neither (duplicate-share)`,
      };
    }
    if (!reconstructed)
      return {
        ...base,
        proven: false,
        file: share.file,
        reason:
          'its share opened, but the domain did not reconstruct, so the share could not be checked',
      };
    return {...base, proven: true, file: share.file};
  });
}

/** "holder 2 (bob): no key given opened this share; holder 5: …" */
export function unprovenText(proofs: readonly HolderProof[]): string {
  return proofs
    .filter((p) => !p.proven)
    .map((p) => `${holderLabel(p)}: ${p.reason ?? NO_KEY}`)
    .join('; ');
}
