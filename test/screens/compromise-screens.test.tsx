/**
 * The compromise rehearsal's screens with ink-testing-library: the start screen's entry, the
 * inspect step naming the sticks reported lost (and a wrong holder number), the migration's
 * progress and each key that failed, and the end: what signed the report, what moved, whether
 * the old instance was purged.
 */
import type {ReactElement} from 'react';
import {describe, expect, it, vi} from 'vitest';
import type {CeremonyEvent, DomainSummary, MigratedKey} from '../../source/ceremony/types.js';
import {InspectScreen} from '../../source/screens/inspect-screen.js';
import {MigrateScreen} from '../../source/screens/migrate-screen.js';
import {ReportScreen} from '../../source/screens/report-screen.js';
import {StartScreen} from '../../source/screens/start-screen.js';
import {KEY, plain, press} from '../helpers/ink.js';
import {renderScreen} from '../helpers/screen.js';
import {domain, info, walk} from './fixtures.js';

/** Screens render inside the app's frame (header, the keys under the rule), 80×24. */
const render = (node: ReactElement) => renderScreen(node);
/** The frame's text with its wrapping undone: one space wherever it broke a line. */
const words = (frame: string | undefined): string => plain(frame).replace(/\s+/g, ' ');
const identity = {reportKey: `${'A'.repeat(43)}=`, pinnedBy: 'header' as const, mismatch: null};
const NEW_KEY = `${'B'.repeat(43)}=`;
const newDomain: DomainSummary = {
  ...domain,
  file: '/sticks/backup/security-domain-new-hsm.json',
  name: 'demo-hsm-new',
  id: 'n3w',
  required: 2,
  total: 3,
  holders: [1, 6, 7].map((n, i) => ({
    index: i + 1,
    name: `n${n}`,
    certFingerprint: `${n}`.repeat(64),
  })),
  reportKey: NEW_KEY,
};

function share(name: string, index: number): CeremonyEvent[] {
  return [
    {type: 'stick-inserted', stick: info(name)},
    {
      type: 'key-matched',
      stick: info(name),
      file: `/demo/${name}/${name}.key`,
      holderIndex: index,
      encrypted: false,
      matchedBy: 'certificate',
      certMissing: false,
    },
    {type: 'acknowledged', custodian: {name, role: 'r'}},
    {type: 'share-accepted', holderIndex: index, certMissing: false, matchedBy: 'certificate'},
    {type: 'stick-removed', path: `/demo/${name}`},
  ];
}

const newHolder = (n: number, keeps?: number) => ({
  certFingerprint: `${n}`.repeat(64),
  spkiFingerprint: `${n}`.repeat(64),
  bits: 2048,
  name: `n${n}`,
  from: `n${n}.cer`,
  ...(keeps ? {keeps} : {}),
});

/** The stolen bag up to the migration. */
const migrating: CeremonyEvent[] = [
  {type: 'choose-mode', mode: 'compromise'},
  {type: 'domain-loaded', domain},
  {type: 'lost-reported', holders: [2, 3]},
  {type: 'inspected'},
  ...share('alice', 1),
  ...share('dave', 4),
  ...share('erin', 5),
  {type: 'reconstruct'},
  {type: 'reconstructed', usedHolders: [1, 4, 5], badShares: [], identity},
  {type: 'new-holder-added', holder: newHolder(1, 1)},
  {type: 'new-holder-added', holder: newHolder(6)},
  {type: 'new-holder-added', holder: newHolder(7)},
  {
    type: 'new-holders-chosen',
    change: {kept: [], added: [{index: 2, certFingerprint: '6'.repeat(64)}], departed: []},
    destroy: [],
  },
  {type: 'choose-quorum', required: 2},
  {type: 'rewrap-started'},
  {type: 'rewrapped', domain: newDomain},
  ...share('alice', 1),
  ...share('n6', 2),
  ...share('n7', 3),
  {type: 'reconstruct'},
  {type: 'new-shares-checked', proven: [1, 2, 3], unproven: [], reportKey: NEW_KEY},
  {type: 'migration-started', total: 5002},
];

const key = (i: number, failed = false): MigratedKey => ({
  name: `db-column-${String(i).padStart(5, '0')}`,
  version: 1,
  type: 'aes',
  outcome: failed ? 'failed' : 'migrated',
  records: 1,
  verified: failed ? 0 : 1,
  ...(failed ? {reason: "the old instance's copy does not match its manifest"} : {newKey: 'k'}),
});

describe('compromise screens', () => {
  it('the start screen offers the compromise rehearsal as its fifth use', async () => {
    const onChoose = vi.fn();
    const {lastFrame, stdin} = render(<StartScreen onChoose={onChoose} />);
    expect(plain(lastFrame())).toShow(
      /Compromise — the domain is lost: rehearse moving every key to a new HSM/,
    );
    await press(stdin, KEY.down, KEY.down, KEY.down, KEY.down, KEY.enter);
    expect(onChoose).toHaveBeenCalledWith('compromise');
  });

  it('inspect names the sticks reported lost, and says so when a number is wrong', () => {
    const props = {findings: [], registered: new Map(), onContinue: vi.fn(), onBack: vi.fn()};
    const lost = walk(
      {type: 'choose-mode', mode: 'compromise'},
      {type: 'domain-loaded', domain},
      {type: 'lost-reported', holders: [3, 2]},
    );
    expect(plain(render(<InspectScreen state={lost} {...props} />).lastFrame())).toShow(
      /Reported lost: holders 2 and 3 — they will not present, and their keys never\s+protect the new HSM\./,
    );
    const wrong = walk(
      {type: 'choose-mode', mode: 'compromise'},
      {type: 'domain-loaded', domain},
      {type: 'lost-reported', holders: [9]},
    );
    expect(plain(render(<InspectScreen state={wrong} {...props} />).lastFrame())).toShow(
      /Reported lost: holder 9 — this domain has holders 1 to 5/,
    );
  });

  it('the migration shows its count, the key next in line, and each key that failed', () => {
    const s = walk(...migrating, {
      type: 'keys-migrated',
      keys: [key(1), key(2, true), key(3)],
      next: 'db-column-00004 v1',
    });
    const f = plain(render(<MigrateScreen state={s} />).lastFrame());
    expect(f).toShow(/New HSM demo-hsm-new \(simulated\): a new security domain, quorum 2 of 3/);
    expect(f).toShow(/Keys 3 \/ 5002 · migrated 2 · failed 1/);
    expect(f).toShow(/Next: db-column-00004 v1/);
    expect(f).toShow(/✗ db-column-00002 v1: the old instance's copy does not match its manifest/);
    expect(f).toShow(/The old instance is purged only once every key is migrated and checked/);
    expect(f).toShow(/Ctrl-C abort/);
  });

  it('the end: the new HSM and its key on a pass; NOT purged on a fail', () => {
    const findings = {errors: 0, warnings: 0, rules: []};
    const pass = walk(
      ...migrating.slice(0, -1),
      {type: 'migration-started', total: 2},
      {type: 'keys-migrated', keys: [key(1), key(2)]},
      {type: 'migration-finished'},
      {type: 'old-purged'},
    );
    const f = words(
      render(
        <ReportScreen state={pass} chart={[]} findings={findings} onQuit={vi.fn()} />,
      ).lastFrame(),
    );
    expect(f).toShow(/Verdict: PASS — the new HSM demo-hsm-new \(simulated\)/);
    expect(f).toShow(/the report is signed with its key BBBBBBBBBBBB…/);
    expect(f).toShow(
      /Keys migrated 2 of 2 · data re-protected and verified 2 of 2 · old instance purged/,
    );
    // Not the old domain's key, and not the rotation's "destroy now".
    expect(f).not.toShow(/AAAAAAAAAAAA/);
    expect(f).not.toShow(/Now destroy/);
    const fail = walk(
      ...migrating.slice(0, -1),
      {type: 'migration-started', total: 2},
      {type: 'keys-migrated', keys: [key(1), key(2, true)]},
      {type: 'migration-finished'},
    );
    const g = words(
      render(
        <ReportScreen state={fail} chart={[]} findings={findings} onQuit={vi.fn()} />,
      ).lastFrame(),
    );
    expect(g).toShow(/Verdict: FAIL — 1 of 2 keys were not migrated/);
    expect(g).toShow(/old instance NOT purged/);
    expect(g).toShow(/The old instance was not purged: keys not migrated would lose their data/);
  });
});
