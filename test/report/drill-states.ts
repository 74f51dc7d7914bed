/**
 * Ceremony states for report tests, made by running the real reducer over a drill's events:
 * the report's timeline then comes from a real journal.
 */
import {createHash} from 'node:crypto';
import {initialState, reduce} from '../../source/ceremony/reduce.js';
import type {
  CeremonyEvent,
  CeremonyState,
  DomainSummary,
  Mode,
  StickInfo,
} from '../../source/ceremony/types.js';

export const T0 = Date.parse('2025-03-01T10:00:00.000Z');
export const DAY = 24 * 60 * 60 * 1000;
export const NAMES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
];

export const fingerprint = (index: number): string =>
  createHash('sha256').update(`wrapping key ${index}`).digest('hex');

export interface Presenter {
  index: number;
  /** Custodian name typed at the machine (default: the holder's name, capitalised). */
  custodian?: string;
  role?: string;
  stick?: Partial<StickInfo>;
  /** Wrong passphrases before the right one (3 = the holder fails). */
  passphraseFailures?: number;
  /** The share is refused with this message. */
  refuse?: string;
  certMissing?: boolean;
}

export interface DrillSpec {
  holders?: number;
  required?: number;
  bits?: number | number[];
  domainId?: string | null;
  file?: string;
  name?: string;
  mode?: Mode;
  presenters?: Presenter[];
  absent?: number[];
  /** How the drill ends after collecting: default `pass`. */
  end?: 'pass' | 'reconstruct-fail' | 'restore-incomplete' | 'abort' | 'none';
  badShares?: Array<{holderIndex: number; reason: string}>;
  /** Time between events (default 30 s). */
  stepMs?: number;
  start?: number;
}

export function stick(n: number, patch: Partial<StickInfo> = {}): StickInfo {
  return {
    path: `/media/stick${n}`,
    label: `STICK${n}`,
    source: 'mount',
    removable: true,
    device: `/dev/sd${String.fromCharCode(97 + n)}`,
    ...patch,
  };
}

export function domainSummary(spec: DrillSpec = {}): DomainSummary {
  const total = spec.holders ?? 5;
  const bits = (i: number): number =>
    Array.isArray(spec.bits) ? (spec.bits[i - 1] ?? 2048) : (spec.bits ?? 2048);
  return {
    format: 'native',
    file: spec.file ?? '/drills/demo/security-domain.json',
    name: spec.name ?? 'demo-hsm',
    ...(spec.domainId === null
      ? {}
      : {id: spec.domainId ?? '93950bf5-b9a7-4a00-a912-3b4483dea16a'}),
    created: '2024-11-28T19:38:01.498Z',
    problems: [],
    required: spec.required ?? 3,
    total,
    holders: Array.from({length: total}, (_, k) => ({
      index: k + 1,
      name: NAMES[k] ?? `holder${k + 1}`,
      certFingerprint: fingerprint(k + 1),
      bits: bits(k + 1),
    })),
    details: {},
  };
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Runs a drill through the reducer and returns its state (at the report step unless `none`). */
export function drillState(spec: DrillSpec = {}): CeremonyState {
  let t = spec.start ?? T0;
  const step = spec.stepMs ?? 30_000;
  let s = initialState(t);
  const ev = (e: CeremonyEvent): void => {
    t += step;
    s = reduce(s, {...e, at: t} as CeremonyEvent & {at: number});
  };
  const mode = spec.mode ?? 'rehearsal';
  ev({type: 'choose-mode', mode});
  ev({type: 'domain-loaded', domain: domainSummary(spec)});
  ev({type: 'inspected'});
  if (mode !== 'restore') ev({type: 'choose-scenario', scenario: 'destroyed'});
  ev({type: 'recovery-ready', hsmId: 'hsm-new-1', exchangeFingerprint: 'ef'.repeat(32)});

  const presenters = spec.presenters ?? [{index: 1}, {index: 2}, {index: 3}];
  for (const p of presenters) {
    if (s.step !== 'collect') break;
    const st = stick(p.index, p.stick);
    const name = NAMES[p.index - 1] ?? `holder${p.index}`;
    ev({type: 'stick-inserted', stick: st});
    ev({
      type: 'key-matched',
      stick: st,
      file: `${st.path}/${name}.key`,
      holderIndex: p.index,
      encrypted: true,
      matchedBy: p.certMissing ? 'public-key' : 'certificate',
      certMissing: p.certMissing ?? false,
    });
    ev({
      type: 'acknowledged',
      custodian: {name: p.custodian ?? cap(name), role: p.role ?? 'Security Engineer'},
    });
    const failures = p.passphraseFailures ?? 0;
    for (let k = 0; k < failures && s.presenting; k++) {
      ev({type: 'passphrase-submitted'});
      ev({type: 'passphrase-failed', message: 'wrong passphrase'});
    }
    if (s.presenting) {
      ev({type: 'passphrase-submitted'});
      if (p.refuse) ev({type: 'share-refused', holderIndex: p.index, message: p.refuse});
      else
        ev({
          type: 'share-accepted',
          holderIndex: p.index,
          certMissing: p.certMissing ?? false,
          matchedBy: p.certMissing ? 'public-key' : 'certificate',
        });
    }
    if (s.step === 'collect') ev({type: 'stick-removed', path: st.path});
  }
  for (const index of spec.absent ?? [])
    if (s.step === 'collect') ev({type: 'mark-absent', holderIndex: index});

  const end = spec.end ?? 'pass';
  if (s.step === 'collect' && end === 'abort')
    ev({type: 'abort', reason: 'Esc pressed by the operator'});
  if (
    s.step === 'collect' &&
    (end === 'pass' || end === 'reconstruct-fail' || end === 'restore-incomplete')
  ) {
    ev({type: 'reconstruct'});
    if (end === 'reconstruct-fail') {
      ev({
        type: 'reconstruct-failed',
        message: 'the shares do not combine to the domain key',
        badShares: spec.badShares ?? [{holderIndex: 2, reason: 'share checksum mismatch'}],
      });
    } else {
      const used = s.holders.filter((h) => h.state === 'accepted').map((h) => h.index);
      ev({
        type: 'reconstructed',
        usedHolders: used,
        badShares: spec.badShares ?? [],
        identity: {reportKey: 'A'.repeat(43) + '=', pinnedBy: 'first-use', mismatch: null},
      });
      ev({type: 'restore-progress', done: 6, total: 12});
      const verified = end === 'pass';
      ev({
        type: 'restored',
        summary: {
          keysExpected: 12,
          keysRestored: verified ? 12 : 11,
          canaries: {total: 3, passed: verified ? 3 : 2},
          blobs: [{tag: 'domain', bytes: 4096, sha256: 'ab'.repeat(32)}],
          verified,
          mismatched: verified ? [] : ['key-7'],
        },
      });
    }
  }
  return s;
}

/** The same drill's last event time: what `now` is for its report. */
export function endOf(state: CeremonyState): number {
  return state.journal[state.journal.length - 1]?.at ?? state.startedAt;
}
