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
import {checkPin, identityOf, type DomainIdentity, type DomainPin} from '../store/pins.js';
import {nestedDeeperThan} from '../json-depth.js';
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

/** The domain the report says it is of: only a key to look pins up by, never trusted alone. */
function claimedIdentity(report: DrillReport): DomainIdentity | undefined {
  // A compromise rehearsal's report is signed by the new domain it made, not the old one.
  const to = report.compromise?.to;
  if (to)
    return identityOf({
      format: 'native',
      file: to.file,
      name: to.name,
      id: to.id,
      sha256: to.sha256,
      holders: to.holders.map((h) => ({certFingerprint: h.fingerprint})),
    });
  const d = report.scope.domain;
  if (!d) return undefined;
  return identityOf({
    format: d.format,
    file: d.file,
    name: d.name,
    id: d.id,
    sha256: d.sha256 ?? null,
    holders: d.holders.map((h) => ({certFingerprint: h.fingerprint})),
  });
}

function pinReasons(
  report: DrillReport,
  key: string,
  sources: PinSources,
): {
  by: PinnedBy[];
  problems: string[];
} {
  const by: PinnedBy[] = [];
  const problems: string[] = [];
  if (sources.expectKey !== undefined) {
    if (key === sources.expectKey) by.push('expect-key');
    else problems.push(`it was signed with ${key}, not the expected key ${sources.expectKey}`);
  }
  if (sources.sd) {
    const {file, identity} = sources.sd;
    const recorded = report.scope.domain?.sha256 ?? null;
    if (recorded === null)
      problems.push(
        `it does not record the SHA-256 of its domain file, so it cannot be checked against ${file}; pin it with --expect-key`,
      );
    // A rotation's report is of both files: the old one opened and the new one proven; so is
    // a compromise rehearsal's (the old domain and the new HSM's).
    else if (
      recorded !== identity.fileSha256 &&
      report.rotation?.to?.sha256 !== identity.fileSha256 &&
      report.compromise?.to?.sha256 !== identity.fileSha256
    )
      problems.push(
        `it is a drill of another domain file (sha256 ${recorded.slice(0, 16)}…), not ${file} (sha256 ${(identity.fileSha256 ?? '').slice(0, 16)}…)`,
      );
    else if (identity.headerKey !== null) {
      if (identity.headerKey === key) by.push('sd-header');
      else problems.push(`${file} pins the key ${identity.headerKey}, not ${key}`);
    } else {
      const check = checkPin(identity, key, sources.pins);
      if (!check.ok) problems.push(check.message);
      else if (check.pinnedBy === 'store') by.push('store');
      else
        problems.push(
          `${file} carries no report key (an Azure file has no room for one) and no drill of it is on record on this machine; pin it with --expect-key`,
        );
    }
  }
  if (sources.expectKey === undefined && !sources.sd) {
    const claimed = claimedIdentity(report);
    const check = claimed ? checkPin(claimed, key, sources.pins) : undefined;
    if (check && !check.ok) problems.push(check.message);
    else if (check?.ok && check.pinnedBy === 'store') by.push('store');
    else
      problems.push(
        'no passing drill of this domain is on record on this machine, so nothing pins its key; give --sd FILE (the domain file) or --expect-key KEY (the key on record)',
      );
  }
  return {by, problems};
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
  const {by, problems} = pinReasons(report, proof.publicKey, sources);
  const pinned = by.length > 0 && problems.length === 0;
  return {
    valid: true,
    pinned,
    ...(by.length > 0 ? {pinnedBy: by} : {}),
    ...(pinned
      ? {}
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

/** One line on what pins the key, and how it compares with this machine's history. */
export function continuitySentence(check: ReportCheck): string {
  const by = (check.pinnedBy ?? []).map((b) => PINNED_WORDS[b]).join(' and ');
  const earlier =
    check.matchesEarlier > 0
      ? `; the same key signed ${check.matchesEarlier} earlier drill${check.matchesEarlier === 1 ? '' : 's'} on record`
      : '';
  return `pinned by ${by}${earlier}`;
}
