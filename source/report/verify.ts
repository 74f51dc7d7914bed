/**
 * Checks a report file: it must parse and match the report schema (else exit 2), its
 * signature must verify over its canonical JSON, and the key that made it must be *pinned*
 * (else exit 1): by the domain file the auditor holds (`--sd`: its digest must be the one the
 * report records, and a native file's header must carry the key), by a key on record
 * (`--expect-key`), or by this machine's store (an earlier passing drill of the same domain).
 * A signature alone proves only that someone with *some* key signed: a forger signs with a
 * fresh key and puts it in the report. Nothing the report says about itself (its dates, its
 * id, its domain) can make an unpinned key count.
 */
import {readSmallFileSync} from '../fs/read-file.js';
import {fail, inputError, ok, type Result} from '../errors.js';
import {
  knownBy,
  pinHistory,
  pinsMatching,
  type DomainIdentity,
  type DomainPin,
} from '../store/pins.js';
import {claimedIdentity, claimsAgainstFile, claimsAgainstRecord} from './claims.js';
import {parseStrictJsonBytes} from '../strict-json.js';
import type {DrillRecord} from '../store/schema.js';
import {DrillReportSchema, type DrillReport} from './model.js';
import {signedBytes, verifyBytes} from './proof.js';

const MAX_REPORT_BYTES = 8 * 1024 * 1024;
/** A report nests 5 levels deep; anything far deeper is not one (and must not reach a walker). */
const MAX_REPORT_DEPTH = 64;

/** Reads and schema-checks a report file; the raw JSON is kept for the signature check. */
export function readReportFile(file: string): Result<{report: DrillReport; raw: unknown}> {
  // The one bounded reader: no FIFO or device opened, no file over the limit read.
  const bytes = readSmallFileSync(file, MAX_REPORT_BYTES, 'drill report');
  if (!bytes.ok) return bytes;
  // Strict: a key given twice, a lone surrogate or a number that does not read back would let
  // the signed value differ from what a person (or another parser) reads in the file.
  const json = parseStrictJsonBytes(bytes.value, MAX_REPORT_DEPTH);
  if (!json.ok)
    return fail(
      inputError(
        'malformed',
        `${file}: ${json.problem}, so not a drill report sd-drill signs`,
        file,
      ),
    );
  const raw = json.value;
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

export type PinnedBy = 'expect-key' | 'sd-header' | 'store';

export interface ReportCheck {
  /** The signature verifies over the report's content. */
  valid: boolean;
  /** The signing key is pinned (valid and pinned: exit 0). */
  pinned: boolean;
  pinnedBy?: PinnedBy[];
  /** Why the report does not count: a bad or missing signature, or an unpinned key. */
  reason?: string;
  publicKey?: string;
  /** Earlier drills in this machine's history signed with the same key. */
  matchesEarlier: number;
  report?: DrillReport;
  /** The store's record that pins the key, when the store does: its label is what is shown. */
  record?: DomainPin;
  /** What the report is shown as a drill of: the pin's own words, never the report's. */
  label?: string;
}

/** Where a key may be pinned; each one given must agree. */
export interface PinSources {
  /** An auditor's key on record (base64 raw Ed25519). */
  expectKey?: string;
  /** The domain file the auditor holds. */
  sd?: {file: string; identity: DomainIdentity};
  /** This machine's store. Consulted only when neither of the above is given. */
  pins: readonly DomainPin[];
  history: readonly DrillRecord[];
}

interface Pinning {
  by: PinnedBy[];
  problems: string[];
  record?: DomainPin;
  label?: string;
}

/**
 * The store's one record of `key`, and whether every identifier the report claims is that
 * record's (./claims.ts). `file`: the domain file given, which the record must know too.
 */
function byStore(
  report: DrillReport,
  key: string,
  pins: readonly DomainPin[],
  file?: DomainIdentity,
): {record: DomainPin} | {problem: string} {
  const record = pins.find((p) => p.reportKey === key);
  const claimed = claimedIdentity(report);
  if (!record) {
    const other = claimed ? pinsMatching(pins, claimed)[0] : undefined;
    return {
      problem: other
        ? `this is not the domain on record: it claims ${knownBy(other, claimed as DomainIdentity) ?? 'the domain'} of "${other.label}" (${pinHistory(other)}), whose key is ${other.reportKey}, not ${key}`
        : 'no domain pinned on this machine has this key (no passing drill of it is on record here); give --sd FILE (the domain file) or --expect-key KEY (the key on record)',
    };
  }
  const disagree = claimsAgainstRecord(report, record);
  if (file && !knownBy(record, file))
    disagree.push(`the domain file given is not one the record knows`);
  if (disagree.length > 0)
    return {
      problem: `its key is pinned for "${record.label}" (${pinHistory(record)}), but the report does not describe that domain: ${disagree.join('; ')}`,
    };
  return {record};
}

function pinReasons(report: DrillReport, key: string, sources: PinSources): Pinning {
  const out: Pinning = {by: [], problems: []};
  if (sources.expectKey !== undefined) {
    if (key === sources.expectKey) {
      out.by.push('expect-key');
      out.label = `the domain whose key you gave (${key})`;
    } else
      out.problems.push(`it was signed with ${key}, not the expected key ${sources.expectKey}`);
  }
  if (sources.sd) {
    const {file, identity} = sources.sd;
    const recorded = report.scope.domain?.sha256 ?? null;
    if (recorded === null)
      out.problems.push(
        `it does not record the SHA-256 of its domain file, so it cannot be checked against ${file}; pin it with --expect-key`,
      );
    // A rotation's report is of both files: the old one opened and the new one proven; so is
    // a compromise rehearsal's (the old domain and the new HSM's).
    else if (
      recorded !== identity.fileSha256 &&
      report.rotation?.to?.sha256 !== identity.fileSha256 &&
      report.compromise?.to?.sha256 !== identity.fileSha256
    )
      out.problems.push(
        `it is a drill of another domain file (sha256 ${recorded.slice(0, 16)}…), not ${file} (sha256 ${(identity.fileSha256 ?? '').slice(0, 16)}…)`,
      );
    else {
      const disagree = claimsAgainstFile(report, identity);
      if (disagree.length > 0)
        out.problems.push(`it does not describe ${file}: ${disagree.join('; ')}`);
      else if (identity.headerKey !== null) {
        if (identity.headerKey === key) {
          out.by.push('sd-header');
          out.label = `${file}${identity.name ? ` ("${identity.name}")` : ''}`;
        } else out.problems.push(`${file} pins the key ${identity.headerKey}, not ${key}`);
      } else {
        const store = byStore(report, key, sources.pins, identity);
        if ('problem' in store)
          out.problems.push(
            `${file} carries no report key (an Azure file has no room for one), so only this machine's record can pin it, and ${store.problem}`,
          );
        else {
          out.by.push('store');
          out.record = store.record;
          out.label = `${file} ("${store.record.label}")`;
        }
      }
    }
  }
  if (sources.expectKey === undefined && !sources.sd) {
    const store = byStore(report, key, sources.pins);
    if ('problem' in store) out.problems.push(store.problem);
    else {
      out.by.push('store');
      out.record = store.record;
      out.label = `"${store.record.label}"`;
    }
  }
  return out;
}

export function verifyReport(raw: unknown, report: DrillReport, sources: PinSources): ReportCheck {
  const proof = report.proof;
  const base = {pinned: false, matchesEarlier: 0, report};
  if (!proof.signed)
    return {...base, valid: false, reason: `the report is unsigned: ${proof.reason}`};
  // The signature covers the file's own JSON (not the schema's parse), so an added field counts.
  const good = verifyBytes(proof.publicKey, signedBytes(raw), proof.signature);
  if (!good)
    return {
      ...base,
      valid: false,
      publicKey: proof.publicKey,
      reason:
        'the signature does not match the content: the report was changed after it was signed, or signed by another key',
    };
  const matchesEarlier = sources.history.filter(
    (r) => r.publicKey === proof.publicKey && r.id !== report.id,
  ).length;
  const {by, problems, record, label} = pinReasons(report, proof.publicKey, sources);
  const pinned = by.length > 0 && problems.length === 0;
  return {
    valid: true,
    pinned,
    ...(by.length > 0 ? {pinnedBy: by} : {}),
    ...(pinned
      ? {...(record ? {record} : {}), ...(label ? {label} : {})}
      : {reason: `the signature is valid but its key is not pinned: ${problems.join('; ')}`}),
    publicKey: proof.publicKey,
    matchesEarlier,
    report,
  };
}

/**
 * Verifies a report file against its signature and the pins. An unreadable or malformed file
 * is an error (exit 2); a tampered, unsigned or unpinned one is a check with the reason.
 */
export function verifyReportFile(file: string, sources: PinSources): Result<ReportCheck> {
  const read = readReportFile(file);
  if (!read.ok) return read;
  return ok(verifyReport(read.value.raw, read.value.report, sources));
}

const PINNED_WORDS: Record<PinnedBy, string> = {
  'expect-key': 'the expected key',
  'sd-header': "the domain file's header",
  store: "this machine's record of the domain",
};

/** One line on what pins the key, how and when, and this machine's history of it. */
export function continuitySentence(check: ReportCheck): string {
  const by = (check.pinnedBy ?? [])
    .map((b) =>
      b === 'store' && check.record
        ? `${PINNED_WORDS.store}, "${check.record.label}" (${pinHistory(check.record)})`
        : PINNED_WORDS[b],
    )
    .join(' and ');
  const earlier =
    check.matchesEarlier > 0
      ? `; the same key signed ${check.matchesEarlier} earlier drill${check.matchesEarlier === 1 ? '' : 's'} on record`
      : '';
  return `pinned by ${by}${earlier}`;
}
