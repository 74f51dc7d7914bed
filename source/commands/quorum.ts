/**
 * The keys given on the command line, as a quorum: each key opened (its passphrase from a file
 * or a prompt) and matched to its holder's share, the same key or holder counted once, then the
 * domain reconstructed from the shares and checked against the pins (the file's header, the
 * store). What `verify` reports (./verify.ts), and what `rotate` needs before it writes.
 */
import {realpathSync} from 'node:fs';
import {checkError, SdError} from '../errors.js';
import {
  duplicatesOf,
  holderLabel,
  ReconstructError,
  type BadShare,
  type DuplicateShare,
  type DomainProblem,
  type OpenedShare,
  type ReconstructedDomain,
} from '../domain/format.js';
import {shortFingerprint, sniff} from '../domain/key-file.js';
import type {OpenedDomain} from '../domain/open.js';
import {presentKeyFile} from '../domain/present-key.js';
import {readSmallFileSync} from '../fs/read-file.js';
import {wipe} from '../secret.js';
import {checkPin, identityOf, lookalikeNotes, type PinCheck} from '../store/pins.js';
import {storePins} from './store-pins.js';
import {readPassphraseFile} from '../domain/passphrase-file.js';
import {promptPassphrase} from './passphrases.js';

export interface MatchedKey {
  file: string;
  holder: number;
  /** SHA-256 of the key's public key: one public key is one holder. */
  spkiFingerprint: string;
  holderName?: string;
  fingerprint: string;
  by: string;
  certMissing: boolean;
  certReissued: boolean;
}

export interface Refused {
  file: string;
  reason: string;
  kind: SdError['kind'];
}

export interface CollectedShares {
  shares: OpenedShare[];
  matched: MatchedKey[];
  refused: Refused[];
  /** The domain wraps two shares to one of the keys given (found by trial decryption). */
  problems: DomainProblem[];
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
}

function isEncryptedKeyFile(file: string): boolean {
  const bytes = readSmallFileSync(file);
  if (!bytes.ok) return false;
  const kind = sniff(bytes.value).kind;
  wipe(bytes.value);
  return kind === 'encrypted-private-key';
}

/**
 * Loads each key (passphrases matched to keys by position), opens its holder's share, and
 * counts the same key or holder once. Refusals are collected, not thrown: the caller decides.
 */
export async function collectShares(
  opened: OpenedDomain,
  keyFiles: string[],
  passphraseFile: string | undefined,
): Promise<CollectedShares> {
  const domain = opened.domain;
  let passphrases: Buffer[] = [];
  if (passphraseFile) {
    const r = readPassphraseFile(passphraseFile);
    if (!r.ok) throw r.error;
    passphrases = r.value;
  }
  const result: CollectedShares = {shares: [], matched: [], refused: [], problems: []};
  const keyOwners = new Map<string, OpenedShare>();
  try {
    for (const [i, file] of keyFiles.entries()) {
      const earlier = keyFiles.slice(0, i).find((f) => sameFile(f, file));
      if (earlier !== undefined) {
        result.refused.push({
          file,
          reason: `${file}: the same file was given twice; counted once`,
          kind: 'check',
        });
        continue;
      }
      let passphrase = passphrases[i];
      let prompted: Buffer | undefined;
      if ((!passphrase || passphrase.length === 0) && !passphraseFile && isEncryptedKeyFile(file)) {
        const p = await promptPassphrase(`Passphrase for ${file}: `);
        if (!p.ok) {
          result.refused.push({
            file,
            reason: `${file}: is encrypted and needs its passphrase (${p.error.message})`,
            kind: 'input',
          });
          continue;
        }
        prompted = p.value;
        passphrase = prompted;
      }
      const presented = await presentKeyFile(
        domain,
        file,
        passphrase && passphrase.length > 0 ? passphrase : undefined,
      );
      wipe(prompted);
      if (!presented.ok) {
        result.refused.push({file, reason: presented.error.message, kind: presented.error.kind});
        continue;
      }
      const share = presented.value.opened;
      const sameKey = keyOwners.get(presented.value.spkiFingerprint);
      if (sameKey) {
        wipe(share.secret);
        result.refused.push({
          file,
          reason: `${file}: is the same wrapping key as ${sameKey.file} (public key sha256 ${shortFingerprint(presented.value.spkiFingerprint)}), already counted for ${holderLabel(sameKey.holder)}; one key is one holder, whatever its certificates say`,
          kind: 'check',
        });
        continue;
      }
      const also = share.match.alsoOpens ?? [];
      if (also.length > 0)
        result.problems.push({
          rule: 'duplicate-wrapping-key',
          shares: [share.holder.index, ...also],
          text: `${file} opens the shares of holders ${[share.holder.index, ...also].join(' and ')}: the domain wraps ${also.length + 1} shares to one key, so whoever holds it holds ${also.length + 1} votes of the quorum`,
        });
      const dup = result.shares.find((s) => s.holder.index === share.holder.index);
      if (dup) {
        wipe(share.secret);
        result.refused.push({
          file,
          reason: `${file}: is the same wrapping key as ${dup.file} (${holderLabel(share.holder)}); counted once`,
          kind: 'check',
        });
        continue;
      }
      result.shares.push(share);
      keyOwners.set(presented.value.spkiFingerprint, share);
      result.matched.push({
        file,
        holder: share.holder.index,
        spkiFingerprint: presented.value.spkiFingerprint,
        ...(share.holder.name ? {holderName: share.holder.name} : {}),
        fingerprint: share.holder.certFingerprint,
        by: share.match.by,
        certMissing: share.match.certMissing,
        certReissued: share.match.certReissued === true,
      });
    }
  } finally {
    wipe(...passphrases);
  }
  return result;
}

export interface QuorumResult {
  reconstructed?: ReconstructedDomain;
  /** Why the quorum did not open the domain on record, when it did not. */
  failure?: SdError;
  badShares: BadShare[];
  /** Holders whose shares were one share: counted once, proving neither. */
  duplicates: DuplicateShare[];
  pin?: PinCheck;
  /** A domain with no record here: other pinned domains a person could take it for. */
  lookalikes: string[];
}

/**
 * Reconstructs from the shares collected and checks the result against the pins (the file's
 * header, the store): what `verify` reports and what `rotate` needs before it writes.
 */
export async function reconstructWithQuorum(
  opened: OpenedDomain,
  collected: CollectedShares,
  sd: string,
): Promise<QuorumResult> {
  let reconstructed: ReconstructedDomain | undefined;
  let failure: SdError | undefined;
  let badShares: BadShare[] = [];
  const r = opened.domain.reconstruct(collected.shares);
  const duplicates = duplicatesOf(r);
  if (r.ok) {
    reconstructed = r.value;
    badShares = r.value.badShares;
  } else {
    failure = r.error;
    if (r.error instanceof ReconstructError) badShares = r.error.badShares;
  }
  // The quorum opened *a* domain; is it the one on record? (the file's header, the store)
  const pins = reconstructed ? await storePins() : [];
  const identity = identityOf(identityInput(opened));
  const pin = reconstructed ? checkPin(identity, reconstructed.reportKey, pins) : undefined;
  const seen =
    reconstructed && pin?.ok && pin.records.length === 0
      ? lookalikeNotes(pins, identity, reconstructed.reportKey)
      : [];
  if (pin && !pin.ok) failure = checkError('domain-key-mismatch', `${sd}: ${pin.message}`, sd);
  // A key file that could not be read at all is an input problem (exit 2) when it cost the quorum.
  const inputProblem = collected.refused.find((x) => x.kind === 'input');
  if (!reconstructed && failure?.reason === 'quorum-not-met' && inputProblem)
    failure = new SdError('input', 'key-unusable', inputProblem.reason);
  if (!reconstructed && failure?.reason === 'quorum-not-met' && collected.refused.length > 0) {
    failure = checkError(
      failure.reason,
      `${failure.message}; refused: ${collected.refused.map((x) => x.reason).join('; ')}`,
    );
  }
  return {
    ...(reconstructed ? {reconstructed} : {}),
    ...(failure ? {failure} : {}),
    badShares,
    duplicates,
    ...(pin ? {pin} : {}),
    lookalikes: seen,
  };
}

function identityInput(opened: OpenedDomain) {
  return {...opened.domain.describe(), sha256: opened.sha256 ?? null};
}
