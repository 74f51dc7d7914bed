/**
 * A rehearsal's screens, step by step from the start screen to the report of a pass: the
 * first part of every screen's cases (./every-screen.tsx).
 */
import {DisasterScreen} from '../../source/screens/disaster-screen.js';
import {InspectScreen} from '../../source/screens/inspect-screen.js';
import {LoadScreen} from '../../source/screens/load-screen.js';
import {ReportScreen} from '../../source/screens/report-screen.js';
import {RestoreScreen} from '../../source/screens/restore-screen.js';
import {StartScreen} from '../../source/screens/start-screen.js';
import {KEY} from '../helpers/ink.js';
import type {Case, CaseKit} from './every-screen-kit.js';
import {
  collectOn,
  present,
  accepted,
  identity,
  reportOn,
  CHART,
  findings,
} from './every-screen-states.js';
import {info, walk} from './fixtures.js';

/** The rehearsal's cases, in the order of its steps. */
export function rehearsalCases(kit: CaseKit): Case[] {
  const {noop, disasterProps, d, registered, custodians, collect, rehearsal, collecting, reached} =
    kit;
  return [
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
  ];
}
