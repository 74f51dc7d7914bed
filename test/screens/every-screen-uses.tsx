/**
 * The screens beyond a rehearsal's: the first pin's question, and the steps of a restore,
 * onboarding, a rotation and a compromise rehearsal. The second part of every screen's cases
 * (./every-screen.tsx).
 */
import {DisasterScreen} from '../../source/screens/disaster-screen.js';
import {EnlistScreen} from '../../source/screens/enlist-screen.js';
import {EnrolScreen} from '../../source/screens/enrol-screen.js';
import {FirstPinScreen} from '../../source/screens/first-pin-screen.js';
import {InspectScreen} from '../../source/screens/inspect-screen.js';
import {MigrateScreen} from '../../source/screens/migrate-screen.js';
import {ProveScreen} from '../../source/screens/prove-screen.js';
import {ReportScreen} from '../../source/screens/report-screen.js';
import {RewrapScreen} from '../../source/screens/rewrap-screen.js';
import {KEY} from '../helpers/ink.js';
import type {Case, CaseKit} from './every-screen-kit.js';
import {
  collectOn,
  present,
  accepted,
  identity,
  CHART,
  findings,
  rotationOn,
  newFileOf,
  rewrapped,
  migratingOn,
  migrated,
} from './every-screen-states.js';
import {walk} from './fixtures.js';

/** The first pin's case and the other uses' cases, after the rehearsal's. */
export function otherUseCases(kit: CaseKit): Case[] {
  const {
    holders,
    noop,
    disasterProps,
    rewrapActions,
    enlistActions,
    actions,
    d,
    sticks,
    registered,
    collect,
    rehearsal,
  } = kit;
  return [
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
}
