/**
 * A report given to a solo check (--report): its signature must verify (../report/verify.ts)
 * and its key must be one this domain is pinned by (./anchor.ts); only then do its
 * commitments count. A report signed by another key — a forger's, or another domain's — is a
 * failed check, not a source.
 */
import type {OpenedDomain} from '../domain/open.js';
import type {DrillReport} from '../report/model.js';
import {verifyReport} from '../report/verify.js';
import {anchorsFor, type Anchor, type PinContext} from './anchor.js';
import type {SourcedSet} from './sources.js';

export type ReportSets =
  | {ok: true; sets: SourcedSet[]; anchors: Anchor[]}
  | {ok: false; reason: 'report-not-valid' | 'key-mismatch'; message: string};

export function reportSets(
  given: {file: string; raw: unknown; report: DrillReport},
  opened: OpenedDomain,
  ctx: PinContext,
): ReportSets {
  const {file, raw, report} = given;
  const check = verifyReport(raw, report, {
    ...(ctx.expectKey !== undefined ? {expectKey: ctx.expectKey} : {}),
    pins: ctx.pins,
    history: ctx.history,
  });
  if (!check.valid || !report.proof.signed)
    return {
      ok: false,
      reason: 'report-not-valid',
      message: `${file} does not count: ${check.reason ?? 'it is not signed'}`,
    };
  const anchors = anchorsFor(report.proof.publicKey, opened, ctx);
  if (!anchors.ok)
    return {
      ok: false,
      reason: 'key-mismatch',
      message: `${file} does not count: ${anchors.message} — signed by another key than this domain's`,
    };
  if (anchors.anchors.length === 0)
    return {
      ok: false,
      reason: 'report-not-valid',
      message: `${file} is signed, but nothing pins its key ${report.proof.publicKey} for this domain on this machine: give --expect-key with the domain's report key on record`,
    };
  const by = report.scope.mode === 'rotation' ? ('rotation' as const) : ('drill' as const);
  return {
    ok: true,
    anchors: anchors.anchors,
    sets: (report.commitments ?? []).map((set) => ({
      set,
      provenance: {
        source: 'report',
        by,
        at: report.endedAt,
        ref: report.id,
        generation: set.generation,
      },
    })),
  };
}
