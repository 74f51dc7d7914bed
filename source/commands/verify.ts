/**
 * `sd-drill verify`: do these keys reconstruct this security domain? The keys are opened and
 * the domain reconstructed and checked as ./quorum.ts does for `rotate` too; this says what
 * came of it (with --all, of every holder), for a person or as one JSON document.
 */
import {checkError, usageError} from '../errors.js';
import {duplicateShareProblem, holderLabel} from '../domain/format.js';
import {shortFingerprint} from '../domain/key-file.js';
import {openDomainFile} from '../domain/open.js';
import {wipe} from '../secret.js';
import {proveAll, unprovenText} from '../domain/prove-all.js';
import {out, printJson, warn} from './io.js';
import {recordReconstruction} from '../proof/record.js';
import {collectShares, reconstructWithQuorum, type MatchedKey} from './quorum.js';

export interface VerifyOptions {
  sd: string;
  key: string[];
  passphraseFile?: string;
  json?: boolean;
  /** Every holder must prove their key, not only a quorum. */
  all?: boolean;
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
    // The shares this authenticated reconstruction proved are recorded: a holder can then
    // check alone that their key still opens the same share (`sd-drill check`).
    const recorded =
      reconstructed && pin?.ok
        ? await recordReconstruction(opened.value, collected.shares, reconstructed, {
            at: new Date().toISOString(),
            by: options.all ? 'verify-all' : 'verify',
            ref: null,
          })
        : undefined;
    if (recorded?.warning) warn(recorded.warning);
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
        ...(recorded ? {commitmentsRecorded: recorded.proven} : {}),
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
      if (recorded) out(recordedLine(recorded.proven));
      return 0;
    }
    if (recorded) out(recordedLine(recorded.proven));
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

function recordedLine(proven: readonly number[]): string {
  return proven.length === 0
    ? 'No share was proven, so no commitment was recorded.'
    : `Recorded the commitments of the shares of holders ${proven.join(', ')}: each of them can now check alone that their key opens the same share (sd-drill check).`;
}

function matchNote(m: MatchedKey): string {
  if (m.by === 'certificate') return '';
  const how = m.by === 'trial-decryption' ? 'by trial decryption' : 'by its public key';
  return m.certReissued
    ? ` (its certificate is not the one the domain lists — re-issued?; matched ${how})`
    : ` (no certificate beside it; matched ${how})`;
}

/** `sd-drill verify` (registered in ./register-domain.ts). */
export async function verifyAction(options: VerifyOptions): Promise<void> {
  process.exitCode = await verify(options);
}
