import type {FindingsContext} from '../../source/report/findings.js';
import type {DrillRecord, RegistryEntry} from '../../source/store/schema.js';
import {DAY, endOf, fingerprint, T0} from './drill-states.js';
import type {CeremonyState} from '../../source/ceremony/types.js';

export const DOMAIN_ID = '93950bf5-b9a7-4a00-a912-3b4483dea16a';

export function ctx(state: CeremonyState, patch: Partial<FindingsContext> = {}): FindingsContext {
  return {
    now: endOf(state),
    history: [],
    registry: [],
    settings: {reviewDays: 90, rtoMinutes: 60},
    ...patch,
  };
}

let n = 0;
/** A history record of the demo domain, `daysBefore` days before T0. */
export function record(
  verdict: DrillRecord['verdict'],
  daysBefore: number,
  patch: Partial<DrillRecord> = {},
): DrillRecord {
  n++;
  return {
    id: `earlier-${n}`,
    domainId: DOMAIN_ID,
    domainFile: '/drills/demo/security-domain.json',
    domainName: 'demo-hsm',
    date: new Date(T0 - daysBefore * DAY).toISOString(),
    mode: 'rehearsal',
    verdict,
    durationMs: 600_000,
    reportJson: null,
    reportMarkdown: null,
    publicKey: null,
    ...patch,
  };
}

export function registered(
  index: number,
  custodian: string,
  role = 'Security Engineer',
): RegistryEntry {
  return {
    fingerprint: fingerprint(index),
    custodian,
    role,
    location: `Safe ${index}`,
    since: new Date(T0 - 100 * DAY).toISOString(),
  };
}
