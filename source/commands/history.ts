/** `sd-drill history`: past drills, newest first, and each domain's trend and review date. */
import {formatDuration} from '../report/chart.js';
import {
  domainGroups,
  domainLabel,
  reviewSentence,
  reviewStatus,
  type ReviewStatus,
} from '../store/history.js';
import type {DrillRecord} from '../store/schema.js';
import {openStore, type Store} from '../store/store.js';
import {holderStandings, proofWords} from '../store/proofs.js';
import {shortFingerprint} from '../domain/key-file.js';
import {out, printJson, warn} from './io.js';

/** Verdicts shown in a trend line, most recent last. */
const TREND_LENGTH = 12;

export interface DomainTrend {
  domain: string;
  domainId: string | null;
  domainFile: string;
  verdicts: DrillRecord['verdict'][];
  review: ReviewStatus;
  sentence: string;
}

export function domainTrends(
  drills: readonly DrillRecord[],
  now: number,
  reviewDays: number,
): DomainTrend[] {
  // Onboarding drills a throw-away practice domain: it has no quorum to review.
  const real = drills.filter((d) => d.mode !== 'onboarding');
  return domainGroups(real).map((records) => {
    const latest = records[records.length - 1] as DrillRecord;
    const review = reviewStatus(records, now, reviewDays);
    return {
      domain: domainLabel(latest),
      domainId: latest.domainId,
      domainFile: latest.domainFile,
      verdicts: records.slice(-TREND_LENGTH).map((r) => r.verdict),
      review,
      sentence: reviewSentence(review),
    };
  });
}

/** Prints what the store had to say (a damaged file set aside) on stderr. */
export function reportStoreWarnings(store: Store): void {
  for (const w of store.warnings.splice(0)) warn(w);
}

function when(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function history(options: {json?: boolean}): number {
  const store = openStore();
  const drills = [...store.drills()].sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
  const settings = store.settings();
  const trends = domainTrends(drills, Date.now(), settings.reviewDays);
  const standings = holderStandings(store.proofs(), Date.now(), settings.reviewDays);
  const custodian = new Map(store.registry().map((r) => [r.fingerprint, r.custodian]));
  reportStoreWarnings(store);
  if (options.json) {
    printJson({
      store: store.dir,
      reviewDays: settings.reviewDays,
      drills,
      domains: trends.map((t) => ({
        domain: t.domain,
        domainId: t.domainId,
        domainFile: t.domainFile,
        verdicts: t.verdicts,
        lastPass: t.review.lastPassAt === null ? null : new Date(t.review.lastPassAt).toISOString(),
        daysSinceLastPass: t.review.daysSinceLastPass,
        nextReviewDueInDays: t.review.dueInDays,
        overdue: t.review.overdue,
        summary: t.sentence,
      })),
      holders: standings.map((d) => ({
        domain: d.domain,
        label: d.label,
        holders: d.holders.map((h) => ({
          holder: h.holder,
          fingerprint: h.fingerprint,
          custodian: custodian.get(h.fingerprint) ?? null,
          lastProof: h.last ? {at: h.last.at, by: h.last.by, ref: h.last.ref} : null,
          overdue: h.overdue,
        })),
      })),
    });
    return 0;
  }
  if (drills.length === 0 && standings.length === 0) {
    out(`No drills on record yet (store: ${store.dir}).`);
    return 0;
  }
  out(
    drills.length > 0 ? 'Drills, newest first:' : `No drills on record yet (store: ${store.dir}).`,
  );
  for (const d of drills) {
    const mode = d.mode === 'onboarding' ? 'onboarding (practice domain, no reviews)' : d.mode;
    out(
      `  ${when(d.date)}  ${domainLabel(d)}  ${mode ?? '—'}  ${d.verdict.toUpperCase()}  ${formatDuration(d.durationMs)}  ${d.id}`,
    );
    if (d.reportMarkdown) out(`      report: ${d.reportMarkdown}`);
  }
  if (trends.length > 0) {
    out('');
    out(`Per domain (reviews due every ${settings.reviewDays} days):`);
  }
  for (const t of trends) out(`  ${t.domain}: ${t.verdicts.join(' ')} — ${t.sentence}`);
  if (standings.length > 0) {
    out('');
    out(`Each holder's last proof of their key (due every ${settings.reviewDays} days):`);
    for (const d of standings) {
      out(`  ${d.label} (${d.domain.slice(0, 20)}…)`);
      for (const h of d.holders) {
        const who = custodian.get(h.fingerprint);
        out(
          `    ${h.overdue ? '!' : '✓'} holder ${h.holder} ${shortFingerprint(h.fingerprint)}${who ? ` ${who}` : ''}: ${h.last ? proofWords(h.last) : 'no proof on record'}${h.overdue && h.last ? ' — OVERDUE' : ''}`,
        );
      }
    }
  }
  return 0;
}

/** `sd-drill history` (registered in ./register-records.ts). */
export function historyAction(options: {json?: boolean}): void {
  process.exitCode = history(options);
}
