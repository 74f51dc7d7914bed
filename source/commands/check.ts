/**
 * `sd-drill check`: one holder, alone and offline — does my key, with my passphrase, open my
 * share of this file, and is that share the one a quorum last proved? (../proof/check.ts.)
 * Exit 0 yes; 1 no, with the one line that says why; 2 bad input. `--out` writes the holder's
 * signed attestation for the ceremony lead; `--import` is the lead's side (./check-import.ts).
 */
import {checkError, unwrap, usageError} from '../errors.js';
import {REPORT_KEY_PATTERN} from '../domain/report-key.js';
import {holderLabel} from '../domain/format.js';
import {shortFingerprint, sniff} from '../domain/key-file.js';
import {openDomainFile} from '../domain/open.js';
import {readPassphraseFile} from '../domain/passphrase-file.js';
import {readSmallFileSync} from '../fs/read-file.js';
import {runCheck} from '../proof/run-check.js';
import {provenanceWords} from '../proof/sources.js';
import {wipe} from '../secret.js';
import {out, printJson, refuseExistingOut, warn} from './io.js';
import {promptPassphrase} from './passphrases.js';

declare const SD_DRILL_VERSION: string;
const toolVersion = typeof SD_DRILL_VERSION === 'string' ? SD_DRILL_VERSION : '0.0.0-dev';

export interface CheckOptions {
  sd: string;
  key?: string;
  passphraseFile?: string;
  report?: string;
  expectKey?: string;
  out?: string;
  import?: string[];
  json?: boolean;
}

async function passphraseFor(options: CheckOptions, key: string): Promise<Buffer | undefined> {
  if (options.passphraseFile) {
    const [first, ...rest] = unwrap(readPassphraseFile(options.passphraseFile));
    wipe(...rest);
    return first && first.length > 0 ? first : undefined;
  }
  const bytes = readSmallFileSync(key);
  const encrypted = bytes.ok && sniff(bytes.value).kind === 'encrypted-private-key';
  if (bytes.ok) wipe(bytes.value);
  if (!encrypted) return undefined;
  return unwrap(await promptPassphrase(`Passphrase for ${key}: `));
}

const WHERE = {
  store: "this machine's store",
  report: 'the report',
  header: "the file's header",
} as const;

const ANCHOR_WORDS = {
  'expect-key': 'the key you gave (--expect-key)',
  store: "this machine's record of the domain",
  file: "the file's own header",
} as const;

async function check(options: CheckOptions): Promise<number> {
  if (options.import && options.import.length > 0) {
    if (options.key || options.out || options.report)
      throw usageError(
        'import-alone',
        '--import takes only --sd (and --json): it checks attestations, not a key',
      );
    return (await import('./check-import.js')).importAttestations(
      options.sd,
      options.import,
      options.json === true,
    );
  }
  const keyFile = options.key;
  if (!keyFile)
    throw usageError(
      'no-key',
      'give your key: --key FILE (or --import ATTESTATION… to collect attestations)',
    );
  if (options.expectKey !== undefined && !REPORT_KEY_PATTERN.test(options.expectKey))
    throw usageError(
      'bad-key',
      '--expect-key must be a base64 Ed25519 public key (44 characters ending in =), as a report shows it',
    );
  if (options.out) refuseExistingOut(options.out, 'check');
  const opened = unwrap(openDomainFile(options.sd));
  const passphrase = await passphraseFor(options, keyFile);
  let run;
  try {
    run = unwrap(
      await runCheck({
        opened,
        keyFile,
        ...(passphrase ? {passphrase} : {}),
        ...(options.report ? {reportFile: options.report} : {}),
        ...(options.expectKey !== undefined ? {expectKey: options.expectKey} : {}),
        ...(options.out ? {out: options.out} : {}),
        toolVersion,
      }),
    );
  } finally {
    wipe(passphrase);
  }
  const {result} = run;
  for (const w of run.warnings) warn(w);
  const missingAttestation = options.out !== undefined && result.ok && !run.attestation;
  if (options.json) {
    printJson({
      ok: result.ok,
      line: result.line,
      reason: result.failure?.reason ?? null,
      domain: {...result.domain, generation: result.generation, sha256: opened.sha256 ?? null},
      holder: result.holder
        ? {
            index: result.holder.index,
            name: result.holder.name ?? null,
            fingerprint: result.holder.certFingerprint,
          }
        : null,
      commitment: result.commitment ?? null,
      matched: result.matched,
      anchors: result.anchors,
      notes: result.notes,
      recorded: run.recorded ?? null,
      attestation: run.attestation ?? null,
    });
  } else if (result.ok) {
    const h = result.holder;
    out(`✓ ${result.line}`);
    if (h)
      out(
        `  ${holderLabel(h)} · certificate ${shortFingerprint(h.certFingerprint)} · ${result.domain.identity.slice(0, 20)}… generation ${result.generation}`,
      );
    for (const m of result.matched.slice(1))
      out(`  also agrees: ${WHERE[m.source]} — ${provenanceWords(m)}`);
    if (result.anchors.length > 0)
      out(
        `  counted under the report key pinned by ${[...new Set(result.anchors)].map((a) => ANCHOR_WORDS[a]).join(' and ')}`,
      );
    for (const n of result.notes) out(`  note: ${n}`);
    if (run.recorded)
      out(
        `  recorded in ${run.recorded}: ${h ? holderLabel(h) : 'the holder'} proved their key today (solo check)`,
      );
    if (run.attestation)
      out(
        `  attestation written to ${run.attestation.file} (sha256 ${run.attestation.sha256}): give it to the ceremony lead (sd-drill check --import)`,
      );
    out('  Nothing secret was written: the share was opened in memory, hashed and wiped.');
  }
  if (!result.ok)
    throw checkError(result.failure?.reason ?? 'check-failed', result.line, options.sd);
  return missingAttestation ? 2 : 0;
}

/** `sd-drill check` (registered in ./register-ceremony.ts). */
export async function checkAction(options: CheckOptions): Promise<void> {
  process.exitCode = await check(options);
}
