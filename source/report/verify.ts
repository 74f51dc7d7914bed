/**
 * Checks a report file: it must parse and match the report schema (else exit 2), and its
 * signature must verify over its canonical JSON (else exit 1). A valid report's public key is
 * compared with earlier drills of the same domain: a different key means a different domain
 * secret signed it, which is worth investigating.
 */
import {readSmallFileSync} from '../domain/read-file.js';
import {fail, inputError, ok, type Result} from '../errors.js';
import {nestedDeeperThan} from '../json-depth.js';
import {drillsOfDomain} from '../store/history.js';
import type {DrillRecord} from '../store/schema.js';
import {DrillReportSchema, type DrillReport} from './model.js';
import {signedBytes, verifyBytes} from './proof.js';

const MAX_REPORT_BYTES = 8 * 1024 * 1024;
/** A report nests 5 levels deep; anything far deeper is not one (and must not reach a walker). */
const MAX_REPORT_DEPTH = 64;

export interface ReportCheck {
  valid: boolean;
  /** Why the report is not valid (a tampered or unsigned report). */
  reason?: string;
  publicKey?: string;
  /** Earlier drills of this domain in history signed with the same key. */
  matchesEarlier: number;
  /** Earlier drills of this domain in history signed with a different key. */
  differsFromEarlier: number;
  report?: DrillReport;
}

/** Reads and schema-checks a report file; the raw JSON is kept for the signature check. */
export function readReportFile(file: string): Result<{report: DrillReport; raw: unknown}> {
  // The one bounded reader: no FIFO or device opened, no file over the limit read.
  const bytes = readSmallFileSync(file, MAX_REPORT_BYTES, 'drill report');
  if (!bytes.ok) return bytes;
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.value.toString('utf8'));
  } catch {
    return fail(inputError('malformed', `${file}: is not JSON, so not a drill report`, file));
  }
  if (nestedDeeperThan(raw, MAX_REPORT_DEPTH))
    return fail(
      inputError(
        'malformed',
        `${file}: nests more than ${MAX_REPORT_DEPTH} levels deep, so not a drill report`,
        file,
      ),
    );
  const parsed = DrillReportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the top level';
    return fail(
      inputError(
        'malformed',
        `${file}: is not a valid sd-drill report (${where}: ${issue?.message ?? 'schema mismatch'})`,
        file,
      ),
    );
  }
  return ok({report: parsed.data, raw});
}

export function verifyReport(
  raw: unknown,
  report: DrillReport,
  history: readonly DrillRecord[],
): ReportCheck {
  const proof = report.proof;
  if (!proof.signed)
    return {
      valid: false,
      reason: `the report is unsigned: ${proof.reason}`,
      matchesEarlier: 0,
      differsFromEarlier: 0,
      report,
    };
  // The signature covers the file's own JSON (not the schema's parse), so an added field counts.
  const good = verifyBytes(proof.publicKey, signedBytes(raw), proof.signature);
  if (!good)
    return {
      valid: false,
      reason:
        'the signature does not match the content: the report was changed after it was signed, or signed by another key',
      publicKey: proof.publicKey,
      matchesEarlier: 0,
      differsFromEarlier: 0,
      report,
    };
  let matchesEarlier = 0;
  let differsFromEarlier = 0;
  const d = report.scope.domain;
  if (d) {
    const endedAt = Date.parse(report.endedAt);
    for (const r of drillsOfDomain(history, {id: d.id, file: d.file}, report.id)) {
      if (r.publicKey === null || Date.parse(r.date) > endedAt) continue;
      if (r.publicKey === proof.publicKey) matchesEarlier++;
      else differsFromEarlier++;
    }
  }
  return {valid: true, publicKey: proof.publicKey, matchesEarlier, differsFromEarlier, report};
}

/**
 * Verifies a report file against its signature and the history. An unreadable or malformed
 * file is an error (exit 2); a tampered or unsigned one is `valid: false` with the reason.
 */
export function verifyReportFile(
  file: string,
  history: readonly DrillRecord[],
): Result<ReportCheck> {
  const read = readReportFile(file);
  if (!read.ok) return read;
  return ok(verifyReport(read.value.raw, read.value.report, history));
}

/** One line on how the key compares with earlier drills of the domain. */
export function continuitySentence(check: ReportCheck): string {
  if (check.differsFromEarlier > 0)
    return `DIFFERENT key from earlier drills of this domain — investigate (${check.differsFromEarlier} earlier drill${check.differsFromEarlier === 1 ? '' : 's'} signed with another key${check.matchesEarlier > 0 ? `, ${check.matchesEarlier} with this one` : ''})`;
  if (check.matchesEarlier > 0)
    return `matches ${check.matchesEarlier} earlier drill${check.matchesEarlier === 1 ? '' : 's'} of this domain`;
  return 'first drill on record for this domain';
}
