/**
 * A solo check from start to end, as `sd-drill check` and the TUI's "Check my key" run it:
 * read what is on record (this machine's store, a report given), check (./check.ts), and on
 * a pass record the holder's proof and, when asked, write their signed attestation. Nothing
 * secret leaves memory: the share is wiped inside the check, the key only signs.
 */
import {fail, ok, SdError, type Result} from '../errors.js';
import {writeFileAtomic} from '../fs/atomic-write.js';
import {sha256Hex} from '../domain/key-file.js';
import type {OpenedDomain} from '../domain/open.js';
import {readReportFile} from '../report/verify.js';
import {pinsFile, storeDirectory, storeExists} from '../store/location.js';
import type {DomainPin} from '../store/pins.js';
import type {CommitmentRecord} from '../store/proofs.js';
import {attestationText, makeAttestation} from './attestation.js';
import {soloCheck, type CheckResult, type Signer} from './check.js';

export interface RunCheckInput {
  opened: OpenedDomain;
  keyFile: string;
  /** Owned and wiped by the caller. */
  passphrase?: Buffer;
  reportFile?: string;
  expectKey?: string;
  /** Where to write the attestation (a new file). */
  out?: string;
  now?: () => number;
  toolVersion: string;
}

export interface RunCheckOutput {
  result: CheckResult;
  /** On a pass: the unlocked key, to sign an attestation later (the TUI asks first). */
  signer?: Signer;
  attestation?: {file: string; sha256: string};
  /** The holder's proof was recorded in the store (where it is). */
  recorded?: string;
  warnings: string[];
}

/**
 * What this machine has on record, read straight from the store's files (no store, nothing on
 * record): the pinned keys and the proofs. A check needs no more of the store.
 */
async function onRecord(): Promise<{
  pins: DomainPin[];
  commitments: CommitmentRecord[];
  warnings: string[];
}> {
  if (!storeExists()) return {pins: [], commitments: [], warnings: []};
  const [{readPins}, {readProofsFile, proofsFile}, {assertStoreTrusted}] = await Promise.all([
    import('../store/pins-schema.js'),
    import('../store/proofs-file.js'),
    import('../store/permissions.js'),
  ]);
  // What is on record counts only while the store is the user's own: one line (exit 2) if not.
  assertStoreTrusted(storeDirectory());
  const pins = readPins(pinsFile());
  const proofs = readProofsFile(proofsFile(storeDirectory()));
  const warnings = [
    ...(pins.problem ? [pins.problem] : []),
    ...(proofs.damaged
      ? [
          `${proofsFile(storeDirectory())}: not read (${proofs.damaged}); no proof is on record from it`,
        ]
      : []),
  ];
  return {pins: pins.pins, commitments: proofs.proofs.commitments, warnings};
}

export async function runCheck(input: RunCheckInput): Promise<Result<RunCheckOutput>> {
  const now = input.now ?? Date.now;
  let report;
  if (input.reportFile) {
    const read = readReportFile(input.reportFile);
    if (!read.ok) return read;
    report = {file: input.reportFile, ...read.value};
  }
  const record = await onRecord();
  const warnings = [...record.warnings];
  const checked = await soloCheck({
    opened: input.opened,
    keyFile: input.keyFile,
    ...(input.passphrase ? {passphrase: input.passphrase} : {}),
    ...(report ? {report} : {}),
    ...(input.expectKey !== undefined ? {expectKey: input.expectKey} : {}),
    pins: record.pins,
    history: [],
    commitments: record.commitments,
  });
  if (!checked.ok) return checked;
  const {result, signer} = checked.value;
  const output: RunCheckOutput = {result, warnings};
  if (!result.ok || !result.holder || !result.commitment) return ok(output);
  const at = new Date(now()).toISOString();
  try {
    const {appendProofs} = await import('../store/proofs-file.js');
    warnings.push(
      ...appendProofs(null, [
        {
          domain: result.domain.identity,
          label: result.domain.label.slice(0, 300),
          holder: result.holder.index,
          fingerprint: result.holder.certFingerprint,
          at,
          by: 'check',
          ref: null,
        },
      ]),
    );
    output.recorded = storeDirectory();
  } catch (error) {
    if (!(error instanceof SdError)) throw error;
    warnings.push(`the check was not recorded as your last proof: ${error.message}`);
  }
  if (input.out && signer) {
    const written = writeAttestation(input.opened, result, signer, input.out, {
      at,
      toolVersion: input.toolVersion,
    });
    if (!written.ok) return written;
    if ('written' in written.value) output.attestation = written.value.written;
    else warnings.push(written.value.why);
  }
  return ok({...output, ...(signer ? {signer} : {})});
}

/**
 * Writes the holder's attestation of a passed check (./attestation.ts) to `out`, a new file.
 * An Azure holder's key is named by the domain only through their certificate: without the
 * one the file lists beside the key, the lead could not tell whose key signed, so nothing is
 * written and `why` says so.
 */
export function writeAttestation(
  opened: OpenedDomain,
  result: CheckResult,
  signer: Signer,
  out: string,
  meta: {at: string; toolVersion: string},
): Result<{written: {file: string; sha256: string}} | {why: string}> {
  if (!result.ok || !result.holder || !result.commitment)
    return ok({why: 'no attestation written: the check did not pass'});
  const named = signer.certificate?.certFingerprint === result.holder.certFingerprint;
  if (opened.format === 'azure' && !named)
    return ok({
      why: `no attestation written: an Azure file names holder ${result.holder.index} only by their certificate, and the one beside ${signer.key.file} is ${signer.certificate ? 'not the one the file lists' : 'missing'}; put the holder's .cer beside the key and check again`,
    });
  const best = result.matched[0];
  const attestation = makeAttestation(
    {
      domain: {
        identity: result.domain.identity,
        generation: result.generation,
        label: result.domain.label.slice(0, 300),
        sha256: opened.sha256 ?? null,
      },
      holder: {index: result.holder.index, certFingerprint: result.holder.certFingerprint},
      commitment: result.commitment,
      checkedAgainst: {
        source: best?.source ?? 'store',
        by: best?.by ?? 'check',
        at: best?.at ?? null,
        ref: best?.ref ?? null,
      },
      at: meta.at,
      tool: {name: 'sd-drill', version: meta.toolVersion},
    },
    signer.key,
    signer.certificate,
  );
  const text = attestationText(attestation);
  const written = writeFileAtomic(out, text, {mode: 0o644});
  if (!written.ok) return fail(written.error);
  return ok({written: {file: out, sha256: sha256Hex(Buffer.from(text, 'utf8'))}});
}
