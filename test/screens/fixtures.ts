import {vi} from 'vitest';
import {initialState, reduce} from '../../source/ceremony/reduce.js';
import type {
  CeremonyEvent,
  CeremonyState,
  DomainSummary,
  StickInfo,
} from '../../source/ceremony/types.js';
import type {Stick} from '../../source/media/stick.js';
import type {CollectActions} from '../../source/screens/collect-screen.js';

/** The collect screen's actions, each a vi.fn that records its calls; `patch` over them. */
export function collectActions<P extends Partial<CollectActions>>(patch?: P) {
  return {
    insert: vi.fn(),
    remove: vi.fn(),
    acknowledge: vi.fn(),
    passphrase: vi.fn(),
    identify: vi.fn(),
    cancel: vi.fn(),
    absent: vi.fn(),
    reconstruct: vi.fn(),
    back: vi.fn(),
    ...(patch as P),
  } satisfies CollectActions;
}

export const domain: DomainSummary = {
  format: 'native',
  file: '/sticks/sd/security-domain.json',
  name: 'demo-hsm',
  id: 'd0d0',
  created: '2026-11-01T10:00:00.000Z',
  required: 3,
  total: 5,
  holders: ['alice', 'bob', 'carol', 'dave', 'erin'].map((name, i) => ({
    index: i + 1,
    name,
    certFingerprint: `${i + 1}`.repeat(64),
    bits: 2048,
  })),
  details: {keys: 27},
  problems: [],
};

export function folderStick(name: string): Stick {
  return {
    id: `folder:/demo/${name}`,
    path: `/demo/${name}`,
    label: name,
    source: 'folder',
    device: null,
    deviceId: `folder:/demo/${name}`,
    fsType: null,
    removable: true,
    simulated: true,
    transport: null,
    evidence: 'demo folder',
    rootDev: null,
  };
}

export const info = (name: string): StickInfo => ({
  path: `/demo/${name}`,
  label: name,
  source: 'folder',
  removable: null,
  device: `folder:/demo/${name}`,
});

let t = 1_000;
export function walk(...events: CeremonyEvent[]): CeremonyState {
  return events.reduce(
    (s, e) => reduce(s, {...e, at: (t += 1000)} as CeremonyEvent & {at: number}),
    initialState(t),
  );
}

export const toCollect: CeremonyEvent[] = [
  {type: 'choose-mode', mode: 'rehearsal'},
  {type: 'domain-loaded', domain},
  {type: 'inspected'},
  {type: 'choose-scenario', scenario: 'purged'},
  {type: 'recovery-ready', hsmId: 'new-hsm-1', exchangeFingerprint: 'ab'},
];

/** Alice's stick goes in and her key is matched to holder 1 by its certificate. */
export function aliceMatched(encrypted: boolean): CeremonyEvent[] {
  return [
    {type: 'stick-inserted', stick: info('alice')},
    {
      type: 'key-matched',
      stick: info('alice'),
      file: '/demo/alice/alice.key',
      holderIndex: 1,
      encrypted,
      matchedBy: 'certificate',
      certMissing: false,
    },
  ];
}
