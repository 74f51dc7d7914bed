/**
 * Every step of every use, as a screen in the state a ceremony reaches there: the cases the
 * terminal-size and screen-reader tests render. Each case is built on a domain of 5 holders
 * (the demo's) or of 10 (the most `init` allows), with long custodians, roles and paths, so a
 * screen that only fits the demo shows it.
 */
import {vi} from 'vitest';
import type {ReactElement} from 'react';
import type {
  CeremonyEvent,
  CeremonyState,
  DomainSummary,
  Mode,
  MigratedKey,
  NewHolder,
  Step,
} from '../../source/ceremony/types.js';
import type {Stick} from '../../source/media/stick.js';
import {CollectScreen} from '../../source/screens/collect-screen.js';
import {DisasterScreen} from '../../source/screens/disaster-screen.js';
import {EnlistScreen} from '../../source/screens/enlist-screen.js';
import {EnrolScreen} from '../../source/screens/enrol-screen.js';
import {FirstPinScreen} from '../../source/screens/first-pin-screen.js';
import {InspectScreen} from '../../source/screens/inspect-screen.js';
import {LoadScreen} from '../../source/screens/load-screen.js';
import {MigrateScreen} from '../../source/screens/migrate-screen.js';
import {ProveScreen} from '../../source/screens/prove-screen.js';
import {ReportScreen} from '../../source/screens/report-screen.js';
import {RestoreScreen} from '../../source/screens/restore-screen.js';
import {RewrapScreen} from '../../source/screens/rewrap-screen.js';
import {StartScreen} from '../../source/screens/start-screen.js';
import {KEY} from '../helpers/ink.js';
import {collectActions, domain as demo, folderStick, info, walk} from './fixtures.js';

const fp = (n: number) => (n % 16).toString(16).repeat(64);

export const ten: DomainSummary = {
  ...demo,
  file: '/run/media/custodian-office/SECURITY-DOMAIN-BACKUP-2026/quarterly/security-domain.json',
  name: 'production-managed-hsm-westeurope',
  required: 3,
  total: 10,
  holders: Array.from({length: 10}, (_, i) => ({
    index: i + 1,
    name: `holder-${i + 1}`,
    certFingerprint: fp(i + 1),
    bits: 3072,
  })),
};

export interface Case {
  use: Mode;
  step: Step;
  /** What state of the step. */
  what: string;
  holders: 5 | 10;
  node: () => ReactElement;
  /** Keys to press after the first frame, one at a time (a field filled in, a panel opened). */
  keys?: string[];
}

const sticksFor = (d: DomainSummary): Stick[] =>
  [...d.holders.map((h) => folderStick(h.name ?? `h${h.index}`)), folderStick('courier')].slice(
    0,
    d.total,
  );

function collectOn(d: DomainSummary, mode: Mode = 'rehearsal'): CeremonyEvent[] {
  return [
    {type: 'choose-mode', mode},
    {type: 'domain-loaded', domain: d},
    {type: 'inspected'},
    ...(mode === 'restore' ? [] : [{type: 'choose-scenario', scenario: 'purged'} as const]),
    {
      type: 'recovery-ready',
      hsmId: '5b7e0c2a-91d4-4e33-a0c1-2f9e8d7c6b5a',
      exchangeFingerprint: 'ab',
    },
  ];
}

function present(d: DomainSummary, i: number): CeremonyEvent[] {
  const name = d.holders[i - 1]?.name ?? `h${i}`;
  return [
    {type: 'stick-inserted', stick: info(name)},
    {
      type: 'key-matched',
      stick: info(name),
      file: `/demo/${name}/${name}.key`,
      holderIndex: i,
      encrypted: true,
      matchedBy: 'certificate',
      certMissing: false,
    },
  ];
}

function accepted(d: DomainSummary, i: number): CeremonyEvent[] {
  const name = d.holders[i - 1]?.name ?? `h${i}`;
  return [
    ...present(d, i),
    {
      type: 'acknowledged',
      custodian: {
        name: `Maximiliane Augusta von Rosenberg-Lindqvist ${i}`,
        role: 'Principal Cryptographic Key Custodian, Infrastructure Security',
      },
    },
    {type: 'share-accepted', holderIndex: i, certMissing: false, matchedBy: 'certificate'},
    {type: 'stick-removed', path: `/demo/${name}`},
  ];
}

const identity = {reportKey: `${'A'.repeat(43)}=`, pinnedBy: 'header' as const, mismatch: null};

function reportOn(d: DomainSummary): CeremonyEvent[] {
  return [
    ...collectOn(d),
    ...accepted(d, 1),
    ...accepted(d, 2),
    ...accepted(d, 3),
    {type: 'reconstruct'},
    {type: 'reconstructed', usedHolders: [1, 2, 3], badShares: [], identity},
    {
      type: 'restored',
      summary: {
        keysExpected: 27,
        keysRestored: 27,
        canaries: {total: 3, passed: 3},
        blobs: [],
        verified: true,
        mismatched: [],
      },
    },
    {
      type: 'report-saved',
      markdown:
        '/home/ceremony-lead/Documents/drill-reports/production-managed-hsm-westeurope/drill-20261207-021503-1ecce5.md',
      json: '/home/ceremony-lead/Documents/drill-reports/production-managed-hsm-westeurope/drill-20261207-021503-1ecce5.json',
    },
  ];
}

const CHART = [
  'Load domain      ▏                                              <1s',
  'Inspect          ███▌                                           12s',
  'Disaster         ▏                                               2s',
  'Collect shares   ███████████████████████████████████████  12m 04s',
  'Reconstruct      ▏                                              <1s',
  'Restore          ▏                                               1s',
  'Report           ▏                                              <1s',
];

const findings = [
  {
    rule: 'review-overdue',
    severity: 'warning' as const,
    evidence:
      'No passing drill of this domain is on record: the quorum has not been shown to recover it, and the review date set by policy has passed.',
  },
  {
    rule: 'holder-unregistered',
    severity: 'info' as const,
    evidence:
      'holder-4, holder-7 and holder-9 have no custodian in the registry (sd-drill holders register).',
  },
  {
    rule: 'quorum-below-three',
    severity: 'error' as const,
    evidence: 'The quorum is 2 of 5: the domain document recommends 3 or more.',
  },
];

const newHolder = (n: number, keeps?: number): NewHolder => ({
  certFingerprint: fp(n),
  spkiFingerprint: `${n}`.padEnd(64, 'a'),
  bits: 3072,
  name: `holder-${n}`,
  from: keeps ? `the old file (holder ${keeps})` : `holder-${n}.cer on stick holder-${n}`,
  ...(keeps ? {keeps} : {}),
});

function rotationOn(d: DomainSummary, adding: number): CeremonyEvent[] {
  return [
    {type: 'choose-mode', mode: 'rotation'},
    {type: 'domain-loaded', domain: d},
    {type: 'inspected'},
    ...accepted(d, 1),
    ...accepted(d, 2),
    ...accepted(d, 3),
    {type: 'reconstruct'},
    {type: 'reconstructed', usedHolders: [1, 2, 3], badShares: [], identity},
    ...Array.from({length: adding}, (_, i) => ({
      type: 'new-holder-added' as const,
      holder: newHolder(i + 1, i < 3 ? i + 1 : undefined),
    })),
  ];
}

function newFileOf(d: DomainSummary, n: number): DomainSummary {
  return {
    ...d,
    file: `${d.file.replace(/[^/]+$/, '')}security-domain-gen2.json`,
    required: 3,
    total: n,
    holders: Array.from({length: n}, (_, i) => ({
      index: i + 1,
      name: `holder-${i + 1}`,
      certFingerprint: fp(i + 1),
    })),
    generation: 2,
  };
}

function rewrapped(d: DomainSummary, n: number): CeremonyEvent[] {
  return [
    ...rotationOn(d, n),
    {type: 'new-holders-chosen', change: {kept: [], added: [], departed: []}, destroy: []},
    {type: 'choose-quorum', required: 3},
    {type: 'rewrap-started'},
    {type: 'rewrapped', domain: newFileOf(d, n)},
  ] as CeremonyEvent[];
}

/** A compromise of `d`: holders 2 and 3 lost, the rest open it, a new HSM, keys moving. */
function migratingOn(d: DomainSummary): CeremonyEvent[] {
  const n = d.total - 2;
  const to = {...newFileOf(d, n), name: `${d.name ?? 'hsm'}-new`, reportKey: `${'B'.repeat(43)}=`};
  const opened = [1, ...Array.from({length: n - 1}, (_, i) => i + 4)].slice(0, 3);
  return [
    {type: 'choose-mode', mode: 'compromise'},
    {type: 'domain-loaded', domain: d},
    {type: 'lost-reported', holders: [2, 3]},
    {type: 'inspected'},
    ...opened.flatMap((i) => accepted(d, i)),
    {type: 'reconstruct'},
    {type: 'reconstructed', usedHolders: opened, badShares: [], identity},
    ...Array.from({length: n}, (_, i) => ({
      type: 'new-holder-added' as const,
      holder: newHolder(i + 1),
    })),
    {type: 'new-holders-chosen', change: {kept: [], added: [], departed: []}, destroy: []},
    {type: 'choose-quorum', required: 3},
    {type: 'rewrap-started'},
    {type: 'rewrapped', domain: to},
    ...Array.from({length: n}, (_, i) => accepted(to, i + 1)).flat(),
    {type: 'reconstruct'},
    {
      type: 'new-shares-checked',
      proven: Array.from({length: n}, (_, i) => i + 1),
      unproven: [],
      reportKey: to.reportKey,
    },
    {type: 'migration-started', total: 5002},
  ] as CeremonyEvent[];
}

const migrated = (i: number, failed = false): MigratedKey => ({
  name: `payment-wrapping-key-${String(i).padStart(5, '0')}`,
  version: 3,
  type: 'aes',
  outcome: failed ? 'failed' : 'migrated',
  records: 1,
  verified: failed ? 0 : 1,
  ...(failed
    ? {reason: "the old instance's copy does not match its manifest (sha-256 differs)"}
    : {newKey: 'k'}),
});

/**
 * Every case, for a domain of `holders`; every action the screens can take (a choice, a key,
 * a field submitted) calls `spy`, so a test can tell whether a key did anything.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one spy stands for every action
export function cases(holders: 5 | 10, spy: (...args: any[]) => void = vi.fn()): Case[] {
  const noop = spy;
  const disasterProps = {starting: false, onScenario: noop, onStartRecovery: noop, onBack: noop};
  const rewrapActions = () => ({quorum: spy, write: spy, back: spy});
  const enlistActions = () => ({read: spy, keep: spy, drop: spy, done: spy});
  const remote = () => ({call: spy, read: spy});
  const actions = () =>
    collectActions({
      insert: spy,
      remove: spy,
      acknowledge: spy,
      passphrase: spy,
      identify: spy,
      cancel: spy,
      absent: spy,
      reconstruct: spy,
      back: spy,
      remote: remote(),
    });
  const d = holders === 10 ? ten : demo;
  const sticks = sticksFor(d);
  const registered = new Map(
    d.holders.map((h) => [h.certFingerprint, `Custodian of ${h.name}, Key Custodian (Zurich)`]),
  );
  const custodians = new Map(
    d.holders.map((h) => [
      h.certFingerprint,
      {
        name: `Maximiliane von Rosenberg-Lindqvist ${h.index}`,
        role: 'Principal Key Custodian, Zurich',
      },
    ]),
  );
  const collect = (
    state: CeremonyState,
    extra: Partial<Parameters<typeof CollectScreen>[0]> = {},
  ) => <CollectScreen state={state} sticks={sticks} actions={actions()} {...extra} />;
  const rehearsal = (
    step: Step,
    what: string,
    node: () => ReactElement,
    keys?: string[],
  ): Case => ({
    use: 'rehearsal',
    step,
    what,
    holders,
    node,
    ...(keys ? {keys} : {}),
  });
  const collecting = walk(...collectOn(d));
  const reached = walk(...collectOn(d), ...accepted(d, 1), ...accepted(d, 2), ...accepted(d, 3));
  const list: Case[] = [
    rehearsal('start', 'the uses', () => <StartScreen onChoose={noop} />),
    rehearsal('load', 'files found on sticks', () => (
      <LoadScreen
        state={walk({type: 'choose-mode', mode: 'rehearsal'})}
        candidates={[d.file, '/media/holder-2/security-domain.json']}
        onLoad={noop}
        onBack={noop}
      />
    )),
    rehearsal('load', 'a path refused', () => (
      <LoadScreen
        state={walk(
          {type: 'choose-mode', mode: 'rehearsal'},
          {
            type: 'domain-failed',
            message: `${d.file}: is not a security-domain file (no "EncData")`,
          },
        )}
        candidates={[]}
        onLoad={noop}
        onBack={noop}
      />
    )),
    rehearsal('inspect', 'holders and findings', () => (
      <InspectScreen
        state={walk({type: 'choose-mode', mode: 'rehearsal'}, {type: 'domain-loaded', domain: d})}
        findings={findings}
        registered={registered}
        onContinue={noop}
        onBack={noop}
      />
    )),
    rehearsal('disaster', 'choosing', () => (
      <DisasterScreen
        state={walk(
          {type: 'choose-mode', mode: 'rehearsal'},
          {type: 'domain-loaded', domain: d},
          {type: 'inspected'},
        )}
        {...disasterProps}
      />
    )),
    rehearsal('disaster', 'the new HSM coming up', () => (
      <DisasterScreen
        state={walk(
          {type: 'choose-mode', mode: 'rehearsal'},
          {type: 'domain-loaded', domain: d},
          {type: 'inspected'},
          {type: 'choose-scenario', scenario: 'archived-and-deleted'},
        )}
        {...disasterProps}
        starting={true}
      />
    )),
    rehearsal('collect', 'waiting for the first holder', () => collect(collecting)),
    rehearsal('collect', 'quorum reached', () => collect(reached)),
    rehearsal('collect', 'name', () => collect(walk(...collectOn(d), ...present(d, 1)))),
    rehearsal('collect', 'role', () => collect(walk(...collectOn(d), ...present(d, 1))), [
      'Maximiliane von Rosenberg',
      KEY.enter,
    ]),
    rehearsal(
      'collect',
      'duties',
      () => collect(walk(...collectOn(d), ...accepted(d, 1), ...accepted(d, 2), ...present(d, 3))),
      [
        'Maximiliane von Rosenberg',
        KEY.enter,
        'Principal Cryptographic Key Custodian, Infrastructure Security',
        KEY.enter,
      ],
    ),
    rehearsal('collect', 'the registry names the custodian', () =>
      collect(walk(...collectOn(d), ...present(d, 1)), {registry: custodians}),
    ),
    rehearsal(
      'collect',
      'the registry named someone else: they type their own',
      () => collect(walk(...collectOn(d), ...present(d, 1)), {registry: custodians}),
      ['n'],
    ),
    rehearsal(
      'collect',
      'marking a holder absent would end the drill: asks first',
      () =>
        collect(
          walk(
            ...collectOn(d),
            ...d.holders
              .slice(2)
              .map((h) => ({type: 'mark-absent' as const, holderIndex: h.index})),
          ),
        ),
      ['a', '1'],
    ),
    rehearsal('collect', 'passphrase, second try', () =>
      collect(
        walk(
          ...collectOn(d),
          ...present(d, 1),
          {type: 'acknowledged', custodian: {name: 'Maximiliane von Rosenberg', role: 'Custodian'}},
          {type: 'passphrase-submitted'},
          {type: 'passphrase-failed', message: 'Wrong passphrase for holder-1.key'},
        ),
      ),
    ),
    rehearsal('collect', 'a key with no certificate', () =>
      collect(
        walk(
          ...collectOn(d),
          {type: 'stick-inserted', stick: info('holder-1')},
          {
            type: 'key-locked',
            stick: info('holder-1'),
            file: '/demo/holder-1/holder-1.key',
          },
        ),
      ),
    ),
    rehearsal('collect', 'opening a share', () =>
      collect(
        walk(
          ...collectOn(d),
          ...present(d, 1),
          {type: 'acknowledged', custodian: {name: 'Maximiliane von Rosenberg', role: 'Custodian'}},
          {type: 'passphrase-submitted'},
        ),
      ),
    ),
    rehearsal('collect', 'remove the stick', () =>
      collect(walk(...collectOn(d), ...accepted(d, 1).slice(0, -1))),
    ),
    rehearsal('collect', 'who is absent', () => collect(collecting), ['a']),
    rehearsal('collect', 'a holder at another site: menu', () => collect(collecting), ['c']),
    rehearsal('collect', 'a holder at another site: which holder', () => collect(collecting), [
      'c',
      KEY.enter,
    ]),
    rehearsal('collect', 'a holder at another site: where', () => collect(collecting), [
      'c',
      KEY.enter,
      KEY.enter,
    ]),
    rehearsal('collect', 'a holder at another site: called', () =>
      collect(
        walk(...collectOn(d), {
          type: 'remote-called',
          holderIndex: 3,
          code: 'NMNV-VZS6-RWD1-7J8A',
          requestFile: '/media/courier/sd-drill-request-holder-3.json',
          expiresAt: 1_800_000_000_000,
        }),
      ),
    ),
    rehearsal('reconstruct', 'combining', () => (
      <RestoreScreen
        state={walk(...collectOn(d), ...accepted(d, 1), ...accepted(d, 2), ...accepted(d, 3), {
          type: 'reconstruct',
        })}
      />
    )),
    rehearsal('restore', 'keys going in', () => (
      <RestoreScreen
        state={walk(
          ...collectOn(d),
          ...accepted(d, 1),
          ...accepted(d, 2),
          ...accepted(d, 3),
          {type: 'reconstruct'},
          {type: 'reconstructed', usedHolders: [1, 2, 3], badShares: [], identity},
          {type: 'restore-progress', done: 1250, total: 5002},
        )}
      />
    )),
    rehearsal('report', 'a pass', () => (
      <ReportScreen
        state={walk(...reportOn(d))}
        chart={CHART}
        findings={{errors: 1, warnings: 2, rules: findings.map((f) => f.rule)}}
        onQuit={noop}
      />
    )),
    {
      use: 'restore',
      step: 'disaster',
      what: 'no exchange key given',
      holders,
      node: () => (
        <DisasterScreen
          state={walk(
            {type: 'choose-mode', mode: 'restore'},
            {type: 'domain-loaded', domain: {...d, format: 'azure'}},
            {type: 'inspected'},
          )}
          {...disasterProps}
        />
      ),
    },
    rehearsal('report', 'pin a first-seen domain’s key?', () => (
      <FirstPinScreen
        facts={{
          label: d.name ?? 'domain',
          format: 'native',
          file: d.file,
          fileSha256: 'e'.repeat(64),
          reportKey: `${'Q'.repeat(43)}=`,
          header: true,
          lookalikes: [
            'production-managed-hsm-westeurop (pinned 2026-03-01) has a name one letter away',
          ],
        }}
        onDecide={noop}
      />
    )),
    {
      use: 'restore',
      step: 'report',
      what: 'the restore blob written, and the command to upload it',
      holders,
      node: () => (
        <ReportScreen
          state={walk(
            ...collectOn({...d, format: 'azure'}, 'restore'),
            ...accepted(d, 1),
            ...accepted(d, 2),
            ...accepted(d, 3),
            {type: 'reconstruct'},
            {type: 'reconstructed', usedHolders: [1, 2, 3], badShares: [], identity},
            {
              type: 'restored',
              summary: {
                keysExpected: 3,
                keysRestored: 3,
                canaries: {total: 0, passed: 0},
                blobs: [],
                verified: true,
                mismatched: [],
                restoreBlob: {
                  file: '/media/courier/restore-blob-production-managed-hsm-westeurope.json',
                  sha256: 'f'.repeat(64),
                  x5t256: 'HG_7JdVq3xk2Qm0pR8sT1uW4yZ6bC9eF2hJ5kL8nP0r',
                  upload:
                    'az keyvault security-domain upload --hsm-name <HSM-NAME> --sd-file /media/courier/restore-blob-production-managed-hsm-westeurope.json --restore-blob',
                },
              },
            },
          )}
          chart={CHART}
          findings={{errors: 0, warnings: 0, rules: []}}
          onQuit={noop}
        />
      ),
    },
    {
      use: 'onboarding',
      step: 'collect',
      what: 'a practice holder',
      holders,
      node: () =>
        collect(
          walk(
            {type: 'choose-mode', mode: 'onboarding'},
            {type: 'enrolled', holder: 'frank', certFingerprint: 'ab'.repeat(32)},
            {type: 'domain-loaded', domain: d},
            {type: 'inspected'},
            {type: 'choose-scenario', scenario: 'purged'},
            {type: 'recovery-ready', hsmId: 'new-hsm', exchangeFingerprint: 'ab'},
            ...present(d, 2),
          ),
        ),
    },
    {
      use: 'restore',
      step: 'collect',
      what: 'waiting',
      holders,
      node: () => collect(walk(...collectOn({...d, format: 'azure'}, 'restore'))),
    },
    {
      use: 'onboarding',
      step: 'enrol',
      what: 'name',
      holders,
      node: () => <EnrolScreen sticks={sticks} busy={false} onEnrol={noop} onBack={noop} />,
    },
    {
      use: 'onboarding',
      step: 'enrol',
      what: 'which stick',
      holders,
      node: () => <EnrolScreen sticks={sticks} busy={false} onEnrol={noop} onBack={noop} />,
      keys: ['frank', KEY.enter],
    },
    {
      use: 'onboarding',
      step: 'enrol',
      what: 'the key being made, an error before',
      holders,
      node: () => (
        <EnrolScreen
          sticks={sticks}
          busy={true}
          error="/media/holder-1 is not writable (read-only file system): choose another stick"
          onEnrol={noop}
          onBack={noop}
        />
      ),
    },
    {
      use: 'onboarding',
      step: 'inspect',
      what: "the newcomer's fingerprint",
      holders,
      node: () => (
        <InspectScreen
          state={walk(
            {type: 'choose-mode', mode: 'onboarding'},
            {type: 'enrolled', holder: 'frank', certFingerprint: 'ab'.repeat(32)},
            {type: 'domain-loaded', domain: d},
          )}
          findings={findings}
          registered={registered}
          onContinue={noop}
          onBack={noop}
        />
      ),
    },
    {
      use: 'rotation',
      step: 'enlist',
      what: 'the first new holder',
      holders,
      node: () => (
        <EnlistScreen state={walk(...rotationOn(d, 0))} sticks={sticks} actions={enlistActions()} />
      ),
    },
    {
      use: 'rotation',
      step: 'enlist',
      what: 'all new holders in',
      holders,
      node: () => (
        <EnlistScreen
          state={walk(...rotationOn(d, holders))}
          sticks={sticks}
          actions={enlistActions()}
        />
      ),
    },
    {
      use: 'rotation',
      step: 'rewrap',
      what: 'the new quorum',
      holders,
      node: () => (
        <RewrapScreen
          state={walk(...rotationOn(d, holders), {
            type: 'new-holders-chosen',
            change: {kept: [], added: [], departed: []},
            destroy: [],
          })}
          sticks={sticks}
          actions={rewrapActions()}
        />
      ),
    },
    {
      use: 'rotation',
      step: 'rewrap',
      what: 'where the new file goes',
      holders,
      node: () => (
        <RewrapScreen
          state={walk(
            ...rotationOn(d, holders),
            {
              type: 'new-holders-chosen',
              change: {kept: [], added: [], departed: []},
              destroy: [],
            },
            {type: 'choose-quorum', required: 3},
          )}
          sticks={sticks}
          actions={rewrapActions()}
        />
      ),
    },
    {
      use: 'rotation',
      step: 'prove',
      what: 'new holders proving',
      holders,
      node: () => (
        <ProveScreen
          state={walk(...rewrapped(d, holders), ...accepted(newFileOf(d, holders), 1))}
          sticks={sticks}
          actions={actions()}
        />
      ),
    },
    {
      use: 'rotation',
      step: 'report',
      what: 'the outcome',
      holders,
      node: () => (
        <ReportScreen
          state={walk(
            ...rewrapped(d, holders),
            ...accepted(newFileOf(d, holders), 1),
            {type: 'reconstruct'},
            {
              type: 'new-shares-checked',
              proven: [1],
              unproven: [{holderIndex: 2, reason: 'x'}],
              reportKey: identity.reportKey,
            },
          )}
          chart={CHART}
          findings={{errors: 1, warnings: 0, rules: ['rotation-unproven']}}
          onQuit={noop}
        />
      ),
    },
    {
      use: 'compromise',
      step: 'inspect',
      what: 'two sticks reported lost',
      holders,
      node: () => (
        <InspectScreen
          state={walk(
            {type: 'choose-mode', mode: 'compromise'},
            {type: 'domain-loaded', domain: d},
            {type: 'lost-reported', holders: [2, 3]},
          )}
          findings={findings}
          registered={registered}
          onContinue={noop}
          onBack={noop}
        />
      ),
    },
    {
      use: 'compromise',
      step: 'migrate',
      what: 'keys moving, some failed',
      holders,
      node: () => (
        <MigrateScreen
          state={walk(...migratingOn(d), {
            type: 'keys-migrated',
            keys: [1, 2, 3, 4, 5, 6].map((i) => migrated(i, i % 2 === 0)),
            next: 'payment-wrapping-key-00007 v3',
          })}
        />
      ),
    },
    {
      use: 'compromise',
      step: 'report',
      what: 'not purged',
      holders,
      node: () => (
        <ReportScreen
          state={walk(
            ...migratingOn(d).slice(0, -1),
            {type: 'migration-started', total: 2},
            {type: 'keys-migrated', keys: [migrated(1), migrated(2, true)]},
            {type: 'migration-finished'},
          )}
          chart={CHART}
          findings={{errors: 1, warnings: 0, rules: ['migration-incomplete']}}
          onQuit={noop}
        />
      ),
    },
  ];
  return list;
}
