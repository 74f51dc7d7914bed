import {realpathSync} from 'node:fs';
import {checkError, SdError, usageError} from '../errors.js';
import {
  duplicateShareProblem,
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
import {openDomainFile, type OpenedDomain} from '../domain/open.js';
import {presentKeyFile} from '../domain/present-key.js';
import {readSmallFileSync} from '../fs/read-file.js';
import {wipe} from '../secret.js';
import {checkPin, identityOf, lookalikeNotes, type PinCheck} from '../store/pins.js';
import {storePins} from './store-pins.js';
import {proveAll, unprovenText} from '../domain/prove-all.js';
import {out, printJson} from './io.js';
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

export interface VerifyOptions {
  sd: string;
  key: string[];
  passphraseFile?: string;
  json?: boolean;
  /** Every holder must prove their key, not only a quorum. */
  all?: boolean;
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

async function verify(options: VerifyOptions): Promise<number> {
  if (!options.key || options.key.length === 0)
    throw usageError('no-keys', 'give at least one --key FILE');
  const opened = openDomainFile(options.sd);
  if (!opened.ok) throw opened.error;
  const desc = opened.value.domain.describe();
  const collected = await collectShares(opened.value, options.key, options.passphraseFile);
  const result = await reconstructWithQuorum(opened.value, collected, options.sd);
  const {reconstructed, badShares, duplicates, pin, lookalikes: alike} = result;
  let failure = result.failure;
  try {
    const proofs = options.all
      ? proveAll(
          desc.holders,
          collected.matched.map((m) => ({holderIndex: m.holder, file: m.file})),
          badShares,
          reconstructed !== undefined && !failure,
          duplicates,
        )
      : undefined;
    if (!failure && proofs?.some((p) => !p.proven))
      failure = checkError(
        'not-every-holder',
        `${options.sd}: ${proofs.filter((p) => p.proven).length} of ${desc.total} holders proved their key; every holder must: ${unprovenText(proofs)}`,
        options.sd,
      );
    const okResult = reconstructed !== undefined && !failure;
    const problems = [
      ...desc.problems,
      ...collected.problems,
      ...duplicates.map(duplicateShareProblem),
    ];
    if (options.json) {
      printJson({
        ok: okResult,
        format: desc.format,
        required: desc.required,
        total: desc.total,
        matched: collected.matched,
        refused: collected.refused.map(({file, reason}) => ({file, reason})),
        badShares,
        problems,
        domain: {
          name: desc.name ?? null,
          id: desc.id ?? null,
          created: desc.created ?? null,
          sha256: opened.value.sha256 ?? null,
          generation: desc.generation ?? null,
          ...desc.details,
        },
        ...(reconstructed
          ? {
              reportKey: reconstructed.reportKey,
              pinnedBy: pin?.ok ? pin.pinnedBy : null,
              notes: alike,
              blobs: reconstructed.evidence.blobs,
            }
          : {}),
        ...(proofs
          ? {
              all: {
                proven: proofs.filter((p) => p.proven).length,
                total: desc.total,
                holders: proofs.map((p) => ({
                  holder: p.index,
                  name: p.name ?? null,
                  fingerprint: p.certFingerprint,
                  proven: p.proven,
                  file: p.file ?? null,
                  reason: p.reason ?? null,
                })),
              },
            }
          : {}),
        ...(failure ? {error: failure.message} : {}),
      });
      if (failure) {
        process.stderr.write(`sd-drill: ${failure.message}\n`);
        return failure.exitCode;
      }
      return 0;
    }
    out(
      `Security domain: ${desc.file} (${desc.format}${desc.name ? `, ${desc.name}` : ''}) — quorum ${desc.required} of ${desc.total}`,
    );
    for (const m of collected.matched) {
      const h = desc.holders.find((x) => x.index === m.holder);
      const twin = duplicates.find((d) => d.holderIndex === m.holder || d.sameAs === m.holder);
      const other = twin && (twin.holderIndex === m.holder ? twin.sameAs : twin.holderIndex);
      out(
        `  ${twin ? '✗' : '✓'} ${m.file} → ${h ? holderLabel(h) : `holder ${m.holder}`} [${shortFingerprint(m.fingerprint)}]${matchNote(m)}${twin ? ` — but its share is holder ${other}'s share (duplicate-share): it proves nothing` : ''}`,
      );
    }
    for (const r of collected.refused) out(`  ✗ ${r.reason}`);
    for (const b of badShares) out(`  ✗ bad share: ${b.reason}`);
    for (const p of problems) out(`  ✗ the domain file: ${p.text}`);
    if (proofs) {
      out(
        `Every holder (--all): ${proofs.filter((p) => p.proven).length} of ${desc.total} proved their key.`,
      );
      for (const p of proofs)
        out(
          p.proven
            ? `  ✓ ${holderLabel(p)} — its key opened its share, which agrees with the domain`
            : `  ✗ ${holderLabel(p)} did not prove their key: ${p.reason ?? ''}`,
        );
    }
    if (reconstructed && !failure) {
      out(
        `Result: the domain reconstructs from ${reconstructed.usedHolders.length} of ${desc.required} required shares and authenticates.`,
      );
      for (const blob of reconstructed.evidence.blobs)
        out(`  ${blob.tag}: ${blob.bytes} bytes, sha256 ${blob.sha256}`);
      out(
        `  report key ${reconstructed.reportKey} (${PIN_WORDS[pin?.ok ? pin.pinnedBy : 'first-use']})`,
      );
      for (const note of alike) out(`  note: ${note}`);
      return 0;
    }
    if (failure) throw failure;
    return 1;
  } finally {
    reconstructed?.wipe();
    for (const s of collected.shares) wipe(s.secret);
  }
}

const PIN_WORDS = {
  header: "the key pinned in the file's header",
  store: 'the key on record for this domain',
  'first-use':
    "no key on record for this domain on this machine; verify pins nothing — a drill's first pass pins it when its operator says so",
} as const;

function matchNote(m: MatchedKey): string {
  if (m.by === 'certificate') return '';
  const how = m.by === 'trial-decryption' ? 'by trial decryption' : 'by its public key';
  return m.certReissued
    ? ` (its certificate is not the one the domain lists — re-issued?; matched ${how})`
    : ` (no certificate beside it; matched ${how})`;
}

function identityInput(opened: OpenedDomain) {
  return {...opened.domain.describe(), sha256: opened.sha256 ?? null};
}

/** `sd-drill verify` (registered in ./index.ts). */
export async function verifyAction(options: VerifyOptions): Promise<void> {
  process.exitCode = await verify(options);
}
