/**
 * The one interface the ceremony, `verify` and `restore-blob` use for every security-domain
 * format. A format describes its quorum, matches a wrapping key to a holder, opens that
 * holder's share, and combines shares into the domain — always integrity-checked, because
 * Shamir combine on its own returns a wrong secret silently.
 */
import {SdError, type Result} from '../errors.js';
import type {LoadedCertificate, LoadedKey} from './key-file.js';

export type FormatName = 'native' | 'azure';

export interface Holder {
  /** 1-based position of the holder's share in the file. */
  index: number;
  /** A name where the format keeps one (native); Azure files carry none. */
  name?: string;
  /** SHA-256 of the holder's certificate DER, lowercase hex (Azure: x5t#S256 as hex). */
  certFingerprint: string;
  /** SHA-256 of the SubjectPublicKeyInfo DER where known (native). */
  spkiFingerprint?: string;
  /** RSA modulus size where known. */
  bits?: number;
}

export interface DomainDescription {
  format: FormatName;
  file: string;
  /** HSM name and id where the format carries them. */
  name?: string;
  id?: string;
  created?: string;
  required: number;
  total: number;
  holders: Holder[];
  /** The report key pinned in the file's authenticated header (native version 2). */
  reportKey?: string;
  /**
   * Azure: SHA-256 of the file's EncData, the domain itself (a rotation keeps it byte for
   * byte; a new download from the HSM makes a new one): the domain's identity in the store.
   */
  encDataSha256?: string;
  /** Native version 2: 1 at init, one higher at every rotation. */
  generation?: number;
  /** Problems with the file found when it was read: two shares to one key, a damaged share. */
  problems: DomainProblem[];
  /** Non-secret extra facts for screens and reports (e.g. blob tags, key count). */
  details: Record<string, string | number>;
}

/** A wrapping key as presented by a holder: the private key and its certificate if found. */
export interface PresentedKey {
  key: LoadedKey;
  certificate?: LoadedCertificate;
}

export interface KeyMatch {
  holder: Holder;
  /** How the key was matched: certificate thumbprint, public key, or trial decryption. */
  by: 'certificate' | 'public-key' | 'trial-decryption';
  /** True when no certificate came with the key (a finding for the report). */
  certMissing: boolean;
  /** A certificate came with the key but is not the one the domain lists (re-issued). */
  certReissued?: boolean;
  /**
   * Other holders' shares this same key opens: the domain wraps two shares to one key, so
   * one person holds two votes (a `duplicate-wrapping-key` error finding).
   */
  alsoOpens?: number[];
}

/**
 * What is known of a presented key: its certificate, its public key, and (once unlocked) the
 * key itself. Every way of matching a key goes through `SecurityDomainFormat.matchKey` with
 * this, in one order: certificate thumbprint, then public key, then (Azure, whose files list
 * no public keys) trial decryption of its at most ten shares.
 */
export interface KeyEvidence {
  certificate?: {certFingerprint: string; spkiFingerprint?: string};
  spkiFingerprint?: string;
  key?: LoadedKey;
}

/** A problem with the domain file itself, known without any key (a finding, not a refusal). */
export interface DomainProblem {
  rule: 'duplicate-wrapping-key' | 'share-damaged' | 'duplicate-share';
  /** The shares concerned (1-based). */
  shares: number[];
  /** One sentence naming the shares and what is wrong. */
  text: string;
}

/** One holder's opened share. `secret` is wiped by whoever ends the ceremony. */
export interface OpenedShare {
  holder: Holder;
  file: string;
  match: KeyMatch;
  secret: Buffer;
}

export interface BadShare {
  holderIndex: number;
  holderName?: string;
  file?: string;
  reason: string;
}

/**
 * Two holders whose opened shares are one and the same share (Azure: holder 1's share re-sealed
 * into holder 3's slot — anyone who held holder 1's share can do it). Counted once; neither
 * holder has proven anything (see ./prove-all.ts), and the domain is a holder short.
 */
export interface DuplicateShare {
  holderIndex: number;
  /** The holder whose share it already is (given earlier). */
  sameAs: number;
}

/** The domain problem a duplicate share is, for findings and the CLI. */
export function duplicateShareProblem(d: DuplicateShare): DomainProblem {
  return {
    rule: 'duplicate-share',
    shares: [d.sameAs, d.holderIndex],
    text: `holders ${d.sameAs} and ${d.holderIndex} carry the same share: it counts once and proves neither holder's key — the file's share for one of them was replaced by the other's`,
  };
}

export interface BlobDigest {
  tag: string;
  bytes: number;
  sha256: string;
}

/** The reconstructed domain: secret material stays inside; `wipe()` zeroes it. */
export interface ReconstructedDomain {
  format: FormatName;
  /** The combined domain secret (native: the domain key; Azure: the 32-byte combined secret). */
  secret: Buffer;
  /** Non-secret evidence that the domain opened: blob digests, key count. */
  evidence: {blobs: BlobDigest[]; keyCount?: number};
  /** The public report key derived from the secret: the domain's identity (report-key.ts). */
  reportKey: string;
  /** Shares that took part; shares found bad are listed in `badShares`. */
  usedHolders: number[];
  badShares: BadShare[];
  /** Holders whose shares were one share (counted once): never proven. */
  duplicates?: DuplicateShare[];
  wipe(): void;
}

export interface SecurityDomainFormat {
  describe(): DomainDescription;
  /** Matches without opening anything: by certificate thumbprint or public-key fingerprint. */
  matchByFingerprint(fp: {certFingerprint?: string; spkiFingerprint?: string}): Holder | undefined;
  /**
   * The one way a key is matched to a holder (see KeyEvidence); undefined when nothing
   * known matches — for Azure, possibly only until the key is unlocked and can be tried.
   */
  matchKey(evidence: KeyEvidence): KeyMatch | undefined;
  /**
   * Finds the key's holder (matchKey) and opens the share. Expected failures: not a holder,
   * key and certificate mixed up, share unreadable.
   */
  openShare(presented: PresentedKey): Result<OpenedShare>;
  /**
   * Combines opened shares. Fails with a `check` error when fewer than the quorum are
   * given or the result does not authenticate; names bad shares where it can.
   */
  reconstruct(shares: OpenedShare[]): Result<ReconstructedDomain>;
}

/** A failed reconstruction, naming the shares found bad where that could be proven. */
export class ReconstructError extends SdError {
  readonly badShares: BadShare[];
  readonly duplicates: DuplicateShare[];
  constructor(
    reason: string,
    message: string,
    badShares: BadShare[] = [],
    file?: string,
    duplicates: DuplicateShare[] = [],
  ) {
    super('check', reason, message, file);
    this.badShares = badShares;
    this.duplicates = duplicates;
  }
}

/** The duplicate shares a reconstruction found, whether it opened the domain or not. */
export function duplicatesOf(
  r: {ok: true; value: ReconstructedDomain} | {ok: false; error: SdError},
): DuplicateShare[] {
  if (r.ok) return r.value.duplicates ?? [];
  return r.error instanceof ReconstructError ? r.error.duplicates : [];
}

/** All k-element subsets of `items`, in lexicographic order (the first is items[0..k)). */
export function* combinations<T>(items: readonly T[], k: number): Generator<T[]> {
  const idx = Array.from({length: k}, (_, i) => i);
  if (k > items.length || k <= 0) return;
  for (;;) {
    yield idx.map((i) => items[i] as T);
    let i = k - 1;
    while (i >= 0 && idx[i] === items.length - k + i) i--;
    if (i < 0) return;
    (idx[i] as number)++;
    for (let j = i + 1; j < k; j++) idx[j] = (idx[j - 1] as number) + 1;
  }
}

/** "holder 2 (bob)" — how screens and messages name a holder. */
export function holderLabel(holder: Pick<Holder, 'index' | 'name'>): string {
  return holder.name ? `holder ${holder.index} (${holder.name})` : `holder ${holder.index}`;
}
