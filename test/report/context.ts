import {buildReport} from '../../source/report/build.js';
import type {FindingsContext} from '../../source/report/findings.js';
import type {DrillReport} from '../../source/report/model.js';
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

/**
 * The report the app builds at the end of `state` (tool 0.1.0, no history, no registry, the
 * default settings), signed with the domain's `secret` when there is one.
 */
export function reportOf(
  state: CeremonyState,
  secret: Buffer | undefined,
  id: string,
): DrillReport {
  return buildReport({
    state,
    id,
    now: endOf(state),
    toolVersion: '0.1.0',
    history: [],
    registry: [],
    settings: {reviewDays: 90, rtoMinutes: 60},
    ...(secret ? {domainSecret: secret} : {}),
  });
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
