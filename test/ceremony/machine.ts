/**
 * Fixtures for the machine's own tests: a native domain of `total` holders (h1, h2, …), mount
 * sticks (s1, s2, …) and the events run through reduce() one second apart on this file's clock.
 */
import {reduce} from '../../source/ceremony/reduce.js';
import type {
  CeremonyEvent,
  CeremonyState,
  DomainKeyCheck,
  DomainSummary,
  StickInfo,
} from '../../source/ceremony/types.js';

/** Holder `n`'s certificate fingerprint: the digit repeated. */
export const fp = (n: number): string => String(n).repeat(64).slice(0, 64);

export function nativeDomain(required: number, total: number): DomainSummary {
  return {
    format: 'native',
    file: '/sd.json',
    name: 'demo-hsm',
    id: 'id-1',
    required,
    total,
    holders: Array.from({length: total}, (_, i) => ({
      index: i + 1,
      name: `h${i + 1}`,
      certFingerprint: fp(i + 1),
    })),
    details: {},
    problems: [],
  };
}

export const REPORT_KEY = `${'A'.repeat(43)}=`;

/** The domain's report key, as reconstruct finds it, pinned the way given. */
export const keyCheck = (pinnedBy: DomainKeyCheck['pinnedBy']): DomainKeyCheck => ({
  reportKey: REPORT_KEY,
  pinnedBy,
  mismatch: null,
});

export const stick = (n: number): StickInfo => ({
  path: `/media/s${n}`,
  label: `s${n}`,
  source: 'mount',
  removable: true,
  device: `/dev/sd${n}`,
});

/** The clock the events run on: each one a second after the last. */
export let clock = 1_000;

export function run(state: CeremonyState, ...events: CeremonyEvent[]): CeremonyState {
  return events.reduce(
    (s, e) => reduce(s, {...e, at: (clock += 1_000)} as CeremonyEvent & {at: number}),
    state,
  );
}
