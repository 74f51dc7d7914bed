/**
 * Questions asked of the drill history: which drills were of this domain, when did it last
 * pass, when is the next review due. A domain is known by its id; a domain file without one
 * (some formats carry none) is known by its path.
 */
import {resolve} from 'node:path';
import type {DrillRecord} from './schema.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

const byDate = (a: DrillRecord, b: DrillRecord): number => Date.parse(a.date) - Date.parse(b.date);

export interface DomainIdentity {
  id: string | null | undefined;
  file: string;
  /**
   * The domain's report key where known (a native header, a reconstruction, the store's pin):
   * a rotation writes the same domain to a new file, and the key is what stays.
   */
  reportKey?: string | null;
}

export function sameDomain(record: DrillRecord, domain: DomainIdentity): boolean {
  if (domain.reportKey && record.publicKey === domain.reportKey) return true;
  if (domain.id) return record.domainId === domain.id;
  if (!domain.file || !record.domainFile) return false;
  return record.domainId === null && resolve(record.domainFile) === resolve(domain.file);
}

/** A stable key for grouping records by domain. */
export function domainKey(record: DrillRecord): string {
  return record.domainId ? `id:${record.domainId}` : `file:${resolve(record.domainFile)}`;
}

/**
 * Records grouped by domain, oldest first in each group: records are one domain when they
 * share a domain id, a file (where there is no id) or the report key they were signed with —
 * so an Azure domain rotated into a new file keeps one history.
 */
export function domainGroups(records: readonly DrillRecord[]): DrillRecord[][] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== undefined && parent.get(root) !== root)
      root = parent.get(root) as string;
    parent.set(k, root);
    return root;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  for (const r of records) {
    const k = domainKey(r);
    if (!parent.has(k)) parent.set(k, k);
    if (r.publicKey) {
      const key = `key:${r.publicKey}`;
      if (!parent.has(key)) parent.set(key, key);
      union(k, key);
    }
  }
  const groups = new Map<string, DrillRecord[]>();
  for (const r of [...records].sort(byDate)) {
    const root = find(domainKey(r));
    groups.set(root, [...(groups.get(root) ?? []), r]);
  }
  return [...groups.values()];
}

export function domainLabel(record: DrillRecord): string {
  return record.domainName ?? record.domainId ?? record.domainFile;
}

/** This domain's drills, oldest first, leaving out the drill `excludeId` (the one in hand). */
export function drillsOfDomain(
  history: readonly DrillRecord[],
  domain: DomainIdentity,
  excludeId?: string,
): DrillRecord[] {
  return history.filter((r) => r.id !== excludeId && sameDomain(r, domain)).sort(byDate);
}

export function lastPass(records: readonly DrillRecord[]): DrillRecord | undefined {
  return [...records]
    .sort(byDate)
    .reverse()
    .find((r) => r.verdict === 'pass');
}

export interface ReviewStatus {
  lastPassAt: number | null;
  daysSinceLastPass: number | null;
  /** Days until the next review is due; negative when overdue; null with no pass on record. */
  dueInDays: number | null;
  overdue: boolean;
}

export function reviewStatus(
  records: readonly DrillRecord[],
  now: number,
  reviewDays: number,
): ReviewStatus {
  const pass = lastPass(records);
  if (!pass) return {lastPassAt: null, daysSinceLastPass: null, dueInDays: null, overdue: true};
  const at = Date.parse(pass.date);
  const days = Math.floor((now - at) / DAY_MS);
  return {
    lastPassAt: at,
    daysSinceLastPass: days,
    dueInDays: reviewDays - days,
    overdue: now - at > reviewDays * DAY_MS,
  };
}

export function daysAgo(days: number): string {
  if (days <= 0) return 'today';
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "last pass 3 days ago; next review due in 87 days", or what is overdue. */
export function reviewSentence(status: ReviewStatus): string {
  if (status.lastPassAt === null || status.daysSinceLastPass === null || status.dueInDays === null)
    return 'no passing drill on record — a review is due now';
  const last = `last pass ${daysAgo(status.daysSinceLastPass)}`;
  if (status.overdue)
    return `${last}; review OVERDUE by ${plural(Math.max(1, -status.dueInDays), 'day')}`;
  return status.dueInDays === 0
    ? `${last}; next review due today`
    : `${last}; next review due in ${plural(status.dueInDays, 'day')}`;
}
