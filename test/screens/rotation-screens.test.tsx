/**
 * The rotation's screens with ink-testing-library: the start screen's fourth use, the new
 * holders (read a stick, keep a native holder from the old file, drop the last, done at 3),
 * the quorum and where the new file goes, the new holders proving their keys, and the end.
 */
import {renderScreen} from '../helpers/screen.js';
import type {ReactElement} from 'react';
import {describe, expect, it, vi} from 'vitest';
import type {NewHolder} from '../../source/ceremony/types.js';
import type {CeremonyEvent, DomainSummary} from '../../source/ceremony/types.js';
import {EnlistScreen} from '../../source/screens/enlist-screen.js';
import {LoadScreen} from '../../source/screens/load-screen.js';
import {ProveScreen} from '../../source/screens/prove-screen.js';
import {ReportScreen} from '../../source/screens/report-screen.js';
import {RewrapScreen} from '../../source/screens/rewrap-screen.js';
import {StartScreen} from '../../source/screens/start-screen.js';
import {flush, KEY, plain, press, type, waitForFrame} from '../helpers/ink.js';
import {collectActions, domain, folderStick, info, walk} from './fixtures.js';

const render = (node: ReactElement) => renderScreen(node);
const identity = {reportKey: `${'A'.repeat(43)}=`, pinnedBy: 'header' as const, mismatch: null};
const fp = (n: number) => String(n).repeat(64);

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

/** A rotation of `d`: the old quorum (alice, bob, carol) has opened it; at the new holders. */
const enlistingOn = (d: DomainSummary): CeremonyEvent[] => [
  {type: 'choose-mode', mode: 'rotation'},
  {type: 'domain-loaded', domain: d},
  {type: 'inspected'},
  ...share('alice', 1),
  ...share('bob', 2),
  ...share('carol', 3),
  {type: 'reconstruct'},
  {type: 'reconstructed', usedHolders: [1, 2, 3], badShares: [], identity},
];
const enlisting = enlistingOn(domain);

const holder = (n: number, name: string, keeps?: number): NewHolder => ({
  certFingerprint: fp(n),
  spkiFingerprint: `${n}`.padEnd(64, 'a'),
  bits: 2048,
  name,
  from: keeps ? `the old file (holder ${keeps})` : `${name}.cer on stick ${name}`,
  ...(keeps ? {keeps} : {}),
});
const added = (...hs: NewHolder[]): CeremonyEvent[] =>
  hs.map((h) => ({type: 'new-holder-added', holder: h}));

const newFile: DomainSummary = {
  ...domain,
  file: '/demo/backup/security-domain-gen2.json',
  required: 2,
  total: 3,
  holders: [
    {index: 1, name: 'alice', certFingerprint: fp(1)},
    {index: 2, name: 'bob', certFingerprint: fp(2)},
    {index: 3, name: 'frank', certFingerprint: fp(6)},
  ],
  generation: 2,
};
const proving: CeremonyEvent[] = [
  ...enlisting,
  ...added(holder(1, 'alice', 1), holder(2, 'bob', 2), holder(6, 'frank')),
  {type: 'new-holders-chosen', change: {kept: [], added: [], departed: []}, destroy: []},
  {type: 'choose-quorum', required: 2, confirmed: true},
  {type: 'rewrap-started'},
  {type: 'rewrapped', domain: newFile},
];

describe('start screen', () => {
  it('offers the rotation as the fourth use', async () => {
    const onChoose = vi.fn();
    const {lastFrame, stdin} = render(<StartScreen onChoose={onChoose} />);
    expect(plain(lastFrame())).toShow(/Rotation — the quorum changes/);
    await press(stdin, KEY.down, KEY.down, KEY.down, KEY.enter);
    expect(onChoose).toHaveBeenCalledWith('rotation');
  });
});

describe('load screen', () => {
  it('types a path when domain files were found on the sticks (a rotation leaves one there)', async () => {
    const onLoad = vi.fn();
    const {lastFrame, stdin} = render(
      <LoadScreen
        state={walk({type: 'choose-mode', mode: 'rotation'})}
        candidates={['/demo/backup/sd.json']}
        onLoad={onLoad}
        onBack={vi.fn()}
      />,
    );
    await press(stdin, KEY.down, KEY.enter);
    expect(plain(lastFrame())).toShow(/Path to the security-domain file/);
    await type(stdin, '/tmp/sd.json');
    await press(stdin, KEY.enter);
    expect(onLoad).toHaveBeenCalledWith('/tmp/sd.json');
  });
});

describe('enlist screen', () => {
  it('reads a stick, keeps a holder from a native file, drops the last, and offers done from 3 holders', async () => {
    const actions = {read: vi.fn(), keep: vi.fn(), drop: vi.fn(), done: vi.fn()};
    const sticks = [folderStick('frank')];
    const none = render(
      <EnlistScreen state={walk(...enlisting)} sticks={sticks} actions={actions} />,
    );
    let f = plain(none.lastFrame());
    expect(f).toShow(/New holders \(3 to 10\)/);
    expect(f).toShow(/none yet/);
    // The remaining holders first, then the sticks to read.
    expect(f).toShow(/❯ 1 {2}keep holder 1 \(alice\) from the old file/);
    expect(f).not.toShow(/done:/);
    expect(f).not.toShow(/u undo the last|d done/);
    // Fewer than 3: d does nothing yet.
    await press(none.stdin, 'd');
    expect(actions.done).not.toHaveBeenCalled();
    await press(none.stdin, KEY.enter);
    expect(actions.keep).toHaveBeenCalledWith(1);
    // Below the five old holders to keep: frank's stick to read.
    await press(none.stdin, KEY.down, KEY.down, KEY.down, KEY.down, KEY.down);
    expect(plain(none.lastFrame())).toShow(/❯ 6 {2}read stick frank \(folder\)/);
    await press(none.stdin, KEY.enter);
    expect(actions.read).toHaveBeenCalledWith(sticks[0]);
    none.unmount();

    const three = walk(
      ...enlisting,
      ...added(holder(1, 'alice', 1), holder(2, 'bob', 2), holder(6, 'frank')),
    );
    const r = render(<EnlistScreen state={three} sticks={sticks} actions={actions} />);
    f = plain(r.lastFrame());
    expect(f).toShow(/1 alice +11111111…1111 +the old file \(holder 1\) — keeps holder 1/);
    expect(f).toShow(/3 frank +66666666…6666 +frank\.cer on stick frank/);
    // Holders already kept are not offered again.
    expect(f).not.toShow(/keep holder 1 /);
    expect(f).toShow(/keep holder 3 \(carol\)/);
    expect(f).toShow(/done: these 3 are the new holders/);
    expect(f).toShow(/d done · u undo the last/);
    await press(r.stdin, 'u');
    expect(actions.drop).toHaveBeenCalledWith(fp(6));
    // Done is one key away, wherever the pointer is.
    await press(r.stdin, 'd');
    expect(actions.done).toHaveBeenCalledTimes(1);
    await press(r.stdin, KEY.down, KEY.down, KEY.down, KEY.down);
    expect(plain(r.lastFrame())).toShow(/❯ 5 {2}done: these 3 are the new holders/);
    await press(r.stdin, KEY.enter);
    expect(actions.done).toHaveBeenCalledTimes(2);
  });

  it('offers no keeping for an Azure file: it carries no certificates', () => {
    const azure = walk(...enlistingOn({...domain, format: 'azure'}));
    const {lastFrame} = render(
      <EnlistScreen
        state={azure}
        sticks={[]}
        actions={{read: vi.fn(), keep: vi.fn(), drop: vi.fn(), done: vi.fn()}}
      />,
    );
    expect(plain(lastFrame())).not.toShow(/keep holder/);
    expect(plain(lastFrame())).toShow(/Insert a new holder’s stick…/);
  });
});

describe('rewrap screen', () => {
  const chosen = [
    ...enlisting,
    ...added(holder(1, 'alice', 1), holder(2, 'bob', 2), holder(6, 'frank'), holder(7, 'grace')),
    {type: 'new-holders-chosen', change: {kept: [], added: [], departed: []}, destroy: []},
  ] as CeremonyEvent[];

  it('starts the quorum at the current one; a lower one asks first, and n goes back', async () => {
    const actions = {quorum: vi.fn(), write: vi.fn(), back: vi.fn()};
    const {lastFrame, stdin} = render(
      <RewrapScreen state={walk(...chosen)} sticks={[]} actions={actions} />,
    );
    const f = plain(lastFrame());
    expect(f).toShow(/How many of the 4 new holders must come to open the new file\?/);
    // The domain is 3 of 5: the pointer starts on 3, higher ones follow, lower ones last.
    expect(
      f
        .split('\n')
        .filter((l) => / of 4/.test(l))
        .map((l) => l.trim()),
    ).toEqual([
      '❯ 3 of 4 — the current quorum',
      '4 of 4',
      '2 of 4 — lower: asks first; 3 or more recommended',
    ]);
    // A lower one asks first; n goes back to the list, nothing chosen.
    await press(stdin, KEY.down, KEY.down, KEY.enter);
    await waitForFrame(lastFrame, 'Lower the quorum to 2 of 4?');
    expect(plain(lastFrame())).toShow(
      /Today 3 of 5 holders are needed\. With 2, fewer holders — or fewer lost or stolen keys — open the new file\. Press y to lower it \(the report records it as quorum-lowered\), n to choose again\./,
    );
    expect(plain(lastFrame())).toShow(/y yes · n no/);
    await press(stdin, 'n');
    await waitForFrame(lastFrame, '❯ 3 of 4');
    expect(actions.quorum).not.toHaveBeenCalled();
    // One tired Enter takes the safe quorum.
    await press(stdin, KEY.enter);
    expect(actions.quorum).toHaveBeenLastCalledWith(3);
    // y takes the lower one, confirmed.
    await press(stdin, KEY.down, KEY.down, KEY.enter);
    await waitForFrame(lastFrame, 'Lower the quorum to 2 of 4?');
    await press(stdin, 'y');
    expect(actions.quorum).toHaveBeenLastCalledWith(2, true);
    await press(stdin, KEY.escape);
    expect(actions.back).toHaveBeenCalled();
  });

  it('does not offer a departed holder’s stick as a place for the new file', async () => {
    const actions = {
      quorum: vi.fn(),
      write: vi.fn(),
      back: vi.fn(),
      departedHolder: (fps: readonly string[]) =>
        fps.includes('e'.repeat(64)) ? 'erin (holder 5)' : undefined,
    };
    const contents = new Map([
      ['/demo/alice', {keys: 1, certificates: 1, contributions: 0, fingerprints: ['a'.repeat(64)]}],
      ['/demo/backup', {keys: 0, certificates: 0, contributions: 0, fingerprints: []}],
      ['/demo/erin', {keys: 1, certificates: 1, contributions: 0, fingerprints: ['e'.repeat(64)]}],
    ]);
    const state = walk(...chosen, {type: 'choose-quorum', required: 3});
    const {lastFrame} = render(
      <RewrapScreen
        state={state}
        sticks={[folderStick('alice'), folderStick('backup'), folderStick('erin')]}
        actions={actions}
        contents={contents}
      />,
    );
    const f = await waitForFrame(lastFrame, 'Where does the new file go?');
    // A stick with no key on it comes first; a holder's key stick is said to be one.
    expect(f).toShow(/❯ 1 {2}on stick backup as security-domain-gen2\.json\n/);
    expect(f).toShow(/ on stick alice as security-domain-gen2\.json \(a holder’s key stick\)/);
    expect(f).not.toShow(/on stick erin/);
    expect(f).toShow(
      /Not offered: stick erin, which carries the key of departed erin \(holder 5\) \(to be destroyed\)\./,
    );
  });

  it('writes to a stick under a name that says the generation, or to a typed path', async () => {
    const actions = {quorum: vi.fn(), write: vi.fn(), back: vi.fn()};
    const state = walk(...chosen, {type: 'choose-quorum', required: 3});
    const {lastFrame, stdin} = render(
      <RewrapScreen
        state={state}
        sticks={[folderStick('backup')]}
        actions={actions}
        contents={new Map()}
      />,
    );
    await waitForFrame(lastFrame, /Quorum 3 of 4\. Where does the new file go\?/);
    // The list has just replaced "Looking at the sticks…": let it take keys.
    await flush();
    await press(stdin, KEY.enter);
    expect(actions.write).toHaveBeenCalledWith('/demo/backup/security-domain-gen2.json');
    await press(stdin, KEY.down, KEY.enter);
    expect(plain(lastFrame())).toShow(/Path of the new file \(it must not exist yet\):/);
    await type(stdin, '/tmp/new.json');
    await press(stdin, KEY.enter);
    expect(actions.write).toHaveBeenLastCalledWith('/tmp/new.json');
  });

  it('shows the write in progress and takes no keys meanwhile', async () => {
    const actions = {quorum: vi.fn(), write: vi.fn(), back: vi.fn()};
    const state = walk(...chosen, {type: 'choose-quorum', required: 3}, {type: 'rewrap-started'});
    const {lastFrame, stdin} = render(<RewrapScreen state={state} sticks={[]} actions={actions} />);
    expect(plain(lastFrame())).toShow(/Writing the new file and checking it/);
    await press(stdin, KEY.escape, KEY.enter);
    expect(actions.back).not.toHaveBeenCalled();
    expect(actions.write).not.toHaveBeenCalled();
  });
});

describe('prove screen and the end', () => {
  it('shows the new file’s holders, every one of them required', () => {
    const state = walk(...proving, ...share('alice', 1));
    const {lastFrame} = render(
      <ProveScreen state={state} sticks={[folderStick('bob')]} actions={collectActions()} />,
    );
    const f = plain(lastFrame());
    expect(f).toShow(/Every new holder proves their key against/);
    // Every new holder must prove their key: no "quorum" is shown.
    expect(f).toShow(/Proven ■□□ 1 of 3 — every new holder proves their key: 2 still to come/);
    expect(f).not.toShow(/Quorum/);
    expect(f).toShow(/✓ +1 alice/);
    expect(f).toShow(/· +3 frank +66666666…6666 +waiting/);
    expect(f).not.toShow(/carol/);
    expect(f).not.toShow(/New HSM in recovery mode/);
  });

  it('the report screen says what to destroy on a pass, and to destroy nothing on a fail', () => {
    const destroy = [
      {what: 'domain-file' as const, text: 'every copy of /sd.json'},
      {what: 'wrapping-key' as const, text: 'carol’s key'},
    ];
    const base = [
      ...enlisting,
      ...added(holder(1, 'alice', 1), holder(2, 'bob', 2), holder(6, 'frank')),
      {type: 'new-holders-chosen', change: {kept: [], added: [], departed: []}, destroy},
      {type: 'choose-quorum', required: 2},
      {type: 'rewrap-started'},
      {type: 'rewrapped', domain: newFile},
      ...share('alice', 1),
      ...share('bob', 2),
      ...share('frank', 3),
      {type: 'reconstruct'},
    ] as CeremonyEvent[];
    const screen = (events: CeremonyEvent[]) =>
      plain(
        render(
          <ReportScreen
            state={walk(...base, ...events)}
            chart={['CHART']}
            findings={{errors: 0, warnings: 1, rules: []}}
            onQuit={vi.fn()}
          />,
        ).lastFrame(),
      );
    const pass = screen([
      {type: 'new-shares-checked', proven: [1, 2, 3], unproven: [], reportKey: identity.reportKey},
    ]);
    expect(pass).toShow(/Verdict: PASS/);
    expect(pass).toShow(
      /New file: \/demo\/backup\/security-domain-gen2\.json — 2 of 3, generation 2/,
    );
    expect(pass).toShow(/new keys proven 3 of 3/);
    expect(pass).toShow(/Now destroy every copy of the old file and 1 departed key/);
    expect(pass).not.toShow(/CHART/);
    const fail = screen([
      {
        type: 'new-shares-checked',
        proven: [1, 2],
        unproven: [{holderIndex: 3, reason: 'x'}],
        reportKey: identity.reportKey,
      },
    ]);
    expect(fail).toShow(/Verdict: FAIL/);
    expect(fail).toShow(/Destroy nothing: keep using the old file\./);
    expect(fail).not.toShow(/Now destroy/);
  });
});
