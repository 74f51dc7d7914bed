/**
 * Combining opened shares into the domain secret, and proving it: Shamir combine on its own
 * returns a wrong secret silently, so a secret counts only once every data blob's MAC checks
 * under the key derived from it.
 *
 * Shares are counted once per holder and once per x coordinate (the same key under two file
 * names, or a file that lists one share twice, must not make up a quorum). When the first
 * quorum fails and more shares were given, other subsets are tried, and every share outside
 * the winning subset is checked by swapping it in, so a bad share is named.
 */
import {timingSafeEqual} from 'node:crypto';
import {
  ReconstructError,
  type BadShare,
  type BlobDigest,
  type DuplicateShare,
  type Holder,
  type OpenedShare,
  type ReconstructedDomain,
} from '../format.js';
import {checkError, fail, ok, preview, type Result} from '../../errors.js';
import {sha256Hex} from '../key-file.js';
import {reportPublicKey} from '../report-key.js';
import {wipe} from '../../secret.js';
import {CBC_FAILURE_TEXT, decrypt, verifyTag, type CbcFailure} from './a256cbc-hs512.js';
import type {CompactJwe} from './compact-jwe.js';
import {deriveBlobKey} from './kdf.js';
import {
  combineShares,
  COMBINE_PROBLEM_TEXT,
  decodeShare,
  SHARE_PROBLEM_TEXT,
  wipeShare,
  type DecodedShare,
} from './shamir257.js';

/**
 * What reconstruction reads of an opened domain. reader.ts's AzureDomain has this shape; it is
 * written out here so that this module does not import the reader (which imports this one).
 */
export interface DomainToReconstruct {
  readonly file: string;
  readonly required: number;
  readonly blobs: readonly {readonly tag: string; readonly jwe: CompactJwe}[];
  holder(index: number): Holder | undefined;
}

export interface DecryptedBlob {
  tag: string;
  /** Plaintext HSM state: the caller wipes it. */
  plaintext: Buffer;
}

export interface AzureReconstructedDomain extends ReconstructedDomain {
  format: 'azure';
  /** Remarks that are not failures: duplicates counted once. */
  notes: string[];
  /** The plaintext blobs under this domain's secret; the caller wipes them. */
  decryptBlobs(): Result<DecryptedBlob[]>;
}

interface Candidate {
  opened: OpenedShare;
  decoded: DecodedShare;
}

type Attempt = {ok: true; secret: Buffer} | {ok: false; why: string};

/** Checks every blob's tag under `secret` without decrypting; returns the first failure. */
export function verifySecret(
  domain: DomainToReconstruct,
  secret: Buffer,
): {tag: string; reason: CbcFailure} | null {
  for (const blob of domain.blobs) {
    const key = deriveBlobKey(secret, blob.tag);
    const {aad, iv, ciphertext, tag} = blob.jwe;
    const bad = verifyTag(key, aad, iv, ciphertext, tag);
    wipe(key);
    if (bad) return {tag: blob.tag, reason: bad};
  }
  return null;
}

export function decryptBlobs(domain: DomainToReconstruct, secret: Buffer): Result<DecryptedBlob[]> {
  const out: DecryptedBlob[] = [];
  for (const blob of domain.blobs) {
    const key = deriveBlobKey(secret, blob.tag);
    const {aad, iv, ciphertext, tag} = blob.jwe;
    const result = decrypt(key, aad, iv, ciphertext, tag);
    wipe(key);
    if (!result.ok) {
      for (const done of out) wipe(done.plaintext);
      return fail(
        checkError(
          'blob-authentication',
          `data blob ${preview(blob.tag)} of ${domain.file} does not open: ${CBC_FAILURE_TEXT[result.reason]}`,
          domain.file,
        ),
      );
    }
    out.push({tag: blob.tag, plaintext: result.plaintext});
  }
  return ok(out);
}

/** Digests of every blob (never the plaintext), proving the secret opens the domain. */
export function blobDigests(domain: DomainToReconstruct, secret: Buffer): Result<BlobDigest[]> {
  const blobs = decryptBlobs(domain, secret);
  if (!blobs.ok) return blobs;
  return ok(
    blobs.value.map(({tag, plaintext}) => {
      const digest = {tag, bytes: plaintext.length, sha256: sha256Hex(plaintext)};
      wipe(plaintext);
      return digest;
    }),
  );
}

function attempt(domain: DomainToReconstruct, combo: readonly Candidate[]): Attempt {
  const combined = combineShares(combo.map((c) => c.decoded));
  if (!combined.ok) return {ok: false, why: COMBINE_PROBLEM_TEXT[combined.problem]};
  const bad = verifySecret(domain, combined.secret);
  if (bad) {
    wipe(combined.secret);
    return {
      ok: false,
      why: `the combined secret does not authenticate data blob ${preview(bad.tag)} (${CBC_FAILURE_TEXT[bad.reason]})`,
    };
  }
  return {ok: true, secret: combined.secret};
}

function* subsets<T>(items: readonly T[], size: number, start = 0): Generator<T[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= items.length - size; i++) {
    for (const rest of subsets(items, size - 1, i + 1)) yield [items[i] as T, ...rest];
  }
}

const distinctX = (combo: readonly Candidate[]) =>
  new Set(combo.map((c) => c.decoded.x)).size === combo.length;

const sameValues = (a: DecodedShare, b: DecodedShare) =>
  a.values.length === b.values.length && a.values.every((v, i) => v === b.values[i]);

const label = (c: Candidate) => `holder ${c.opened.holder.index} (${c.opened.file})`;

export function reconstruct(
  domain: DomainToReconstruct,
  shares: readonly OpenedShare[],
): Result<AzureReconstructedDomain> {
  const m = domain.required;
  const notes: string[] = [];
  const badShares: BadShare[] = [];
  const duplicates: DuplicateShare[] = [];
  const candidates: Candidate[] = [];
  const cleanup = () => candidates.forEach((c) => wipeShare(c.decoded));

  for (const opened of shares) {
    const index = opened.holder.index;
    const holder = domain.holder(index);
    if (!holder || holder.certFingerprint !== opened.holder.certFingerprint) {
      badShares.push({
        holderIndex: index,
        file: opened.file,
        reason: `not a share of ${domain.file}`,
      });
      continue;
    }
    const twin = candidates.find((c) => c.opened.holder.index === index);
    if (twin) {
      notes.push(
        `${opened.file} and ${twin.opened.file} open the same share (holder ${index}); counted once`,
      );
      continue;
    }
    const decoded = decodeShare(opened.secret);
    if (!decoded.ok) {
      badShares.push({
        holderIndex: index,
        file: opened.file,
        reason: SHARE_PROBLEM_TEXT[decoded.problem],
      });
      continue;
    }
    const sameX = candidates.find((c) => c.decoded.x === decoded.share.x);
    if (sameX && sameValues(sameX.decoded, decoded.share)) {
      notes.push(
        `holder ${index} (${opened.file}) carries the same share as ${label(sameX)} (x=${decoded.share.x}); counted once`,
      );
      duplicates.push({holderIndex: index, sameAs: sameX.opened.holder.index});
      wipeShare(decoded.share);
      continue;
    }
    // Same x with different values: both are kept, but never combined together.
    candidates.push({opened, decoded: decoded.share});
  }

  const distinct = new Set(candidates.map((c) => c.decoded.x)).size;
  if (distinct < m) {
    cleanup();
    const extra = [...notes, ...badShares.map((b) => `holder ${b.holderIndex}: ${b.reason}`)];
    return fail(
      new ReconstructError(
        'quorum-not-met',
        `${m} distinct shares are required to reconstruct ${domain.file}; ${distinct} ${distinct === 1 ? 'was' : 'were'} given${extra.length ? ` (${extra.join('; ')})` : ''}`,
        [],
        domain.file,
        duplicates,
      ),
    );
  }

  // The first quorum in the order given, as azure-cli does; then any other.
  const first: Candidate[] = [];
  for (const c of candidates) {
    if (first.length < m && !first.some((f) => f.decoded.x === c.decoded.x)) first.push(c);
  }
  let winner = first;
  let result = attempt(domain, first);
  const firstWhy = result.ok ? '' : result.why;
  if (!result.ok && candidates.length > m) {
    for (const combo of subsets(candidates, m)) {
      if (combo.every((c, i) => c === first[i]) || !distinctX(combo)) continue;
      const next = attempt(domain, combo);
      if (next.ok) {
        winner = combo;
        result = next;
        break;
      }
    }
  }
  if (!result.ok) {
    cleanup();
    const which =
      candidates.length > m
        ? `no ${m} of the ${candidates.length} shares given work together`
        : `one of the ${m} shares is wrong or the file has been altered; bring another holder's key to find out which`;
    return fail(
      new ReconstructError(
        'reconstruction-failed',
        `reconstruction of ${domain.file} failed: ${firstWhy} — ${which}`,
        [],
        domain.file,
        duplicates,
      ),
    );
  }
  const secret = result.secret;

  // Every share outside the winning subset is checked by swapping it in.
  const used = new Set<Candidate>(winner);
  for (const c of candidates) {
    if (used.has(c)) continue;
    const at = winner.findIndex((w) => w.decoded.x === c.decoded.x);
    const combo = [...winner];
    combo[at >= 0 ? at : combo.length - 1] = c;
    const check = attempt(domain, combo);
    if (
      check.ok &&
      check.secret.length === secret.length &&
      timingSafeEqual(check.secret, secret)
    ) {
      used.add(c);
    } else {
      badShares.push({
        holderIndex: c.opened.holder.index,
        file: c.opened.file,
        reason: `does not agree with the other shares: ${check.ok ? 'it gives a different secret' : check.why}`,
      });
    }
    if (check.ok) wipe(check.secret);
  }
  cleanup();

  const digests = blobDigests(domain, secret);
  if (!digests.ok) {
    wipe(secret);
    return digests;
  }
  const reconstructed: AzureReconstructedDomain = {
    format: 'azure',
    secret,
    evidence: {blobs: digests.value},
    reportKey: reportPublicKey(secret),
    usedHolders: candidates.filter((c) => used.has(c)).map((c) => c.opened.holder.index),
    badShares,
    duplicates,
    notes,
    wipe: () => wipe(secret),
    decryptBlobs: () => decryptBlobs(domain, secret),
  };
  return ok(reconstructed);
}
