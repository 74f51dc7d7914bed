/**
 * The people at the machine: a registered holder confirmed with one key (or someone else typing
 * their own name), onboarding's practice holders taken without a custodian, a holder identified
 * earlier in a rotation asked for nothing but the passphrase, a mark "absent" that would end the
 * drill asked first, and the report screen that quits on q only.
 */
import type {ReactElement} from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {CeremonyEvent} from '../../source/ceremony/types.js';
import {CollectScreen} from '../../source/screens/collect-screen.js';
import {LoadScreen} from '../../source/screens/load-screen.js';
import {ReportScreen} from '../../source/screens/report-screen.js';
import {KEY, plain, press, waitForFrame} from '../helpers/ink.js';
import {shows} from '../helpers/screen-text.js';
import {renderScreen} from '../helpers/screen.js';
import {
  aliceMatched,
  collectActions,
  domain,
  folderStick,
  info,
  toCollect,
  walk,
} from './fixtures.js';

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});
/** In the app's frame (the keys under the rule), 80×24. */
const render = (node: ReactElement) => {
  const app = renderScreen(node);
  unmount = app.unmount;
  return app;
};

const ALICE_FP = '1'.repeat(64);
const registry = new Map([[ALICE_FP, {name: 'Alice Ng', role: 'Security Architect'}]]);

describe('a registered holder at the machine', () => {
  it('is named by the registry and confirms it and the duties with one key', async () => {
    const a = collectActions();
    const {lastFrame, stdin} = render(
      <CollectScreen
        state={walk(...toCollect, ...aliceMatched(true))}
        sticks={[]}
        actions={a}
        registry={registry}
      />,
    );
    const f = await waitForFrame(lastFrame, 'y yes · n no');
    expect(f).toShow(
      /Key found for alice \(holder 1\)\. The holder registry has Alice Ng, Security Architect as this key’s custodian\. “I am the custodian of this key\. .*” Alice Ng: press y if that is you and you acknowledge these duties, n if you are someone else\./,
    );
    expect(f).not.toShow(/Your name:/);
    await press(stdin, 'y');
    expect(a.acknowledge).toHaveBeenCalledWith({
      name: 'Alice Ng',
      role: 'Security Architect',
      from: 'registry',
    });
  });

  it('someone else presses n and types their own name and role; Enter on nothing says what to do', async () => {
    const a = collectActions();
    const {lastFrame, stdin} = render(
      <CollectScreen
        state={walk(...toCollect, ...aliceMatched(true))}
        sticks={[]}
        actions={a}
        registry={registry}
      />,
    );
    await waitForFrame(lastFrame, 'y yes · n no');
    await press(stdin, 'n');
    const f = await waitForFrame(lastFrame, 'Your name:');
    expect(f).toShow(/Not Alice Ng: type who you are \(the report names both\)\./);
    expect(f).toShow(/Enter submit · Esc cancel/);
    expect(f).not.toShow(/y yes/);
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, 'Type your name, then Enter (Esc cancels).');
    await press(stdin, 'Ann Other\r');
    await waitForFrame(lastFrame, 'Your role:');
    await press(stdin, 'Deputy\r');
    await waitForFrame(lastFrame, 'Ann Other, Deputy: press y to acknowledge');
    expect(plain(lastFrame())).toShow(/y yes · Esc cancel/);
    await press(stdin, 'y');
    expect(a.acknowledge).toHaveBeenCalledWith({name: 'Ann Other', role: 'Deputy'});
  });
});

describe('onboarding practice holders', () => {
  it('are said to be stand-ins sd-drill made, and are taken with y: no custodian typed', async () => {
    const a = collectActions();
    const state = walk(
      {type: 'choose-mode', mode: 'onboarding'},
      {type: 'enrolled', holder: 'alice', certFingerprint: ALICE_FP},
      {type: 'domain-loaded', domain},
      {type: 'inspected'},
      {type: 'choose-scenario', scenario: 'purged'},
      {type: 'recovery-ready', hsmId: 'h', exchangeFingerprint: 'ab'},
      {type: 'stick-inserted', stick: info('bob')},
      {
        type: 'key-matched',
        stick: info('bob'),
        file: '/demo/bob/bob.key',
        holderIndex: 2,
        encrypted: false,
        matchedBy: 'certificate',
        certMissing: false,
      },
    );
    const {lastFrame, stdin} = render(<CollectScreen state={state} sticks={[]} actions={a} />);
    const f = plain(lastFrame()).replace(/\s+/g, ' ');
    expect(f).toShow(
      /bob \(holder 2\) is a practice holder: a stand-in key sd-drill made for this practice drill\. It opens only this throw-away practice domain and is deleted when the drill ends, so nobody keeps it and no custodian is named\. Press y to take its share\./,
    );
    expect(f).not.toShow(/Your name:/);
    await press(stdin, 'y');
    expect(a.acknowledge).toHaveBeenCalledWith({
      name: 'stand-in for bob',
      role: 'practice holder',
      from: 'practice',
    });
  });

  it("the newcomer's own key is theirs to name", () => {
    const state = walk(
      {type: 'choose-mode', mode: 'onboarding'},
      {type: 'enrolled', holder: 'alice', certFingerprint: ALICE_FP},
      {type: 'domain-loaded', domain},
      {type: 'inspected'},
      {type: 'choose-scenario', scenario: 'purged'},
      {type: 'recovery-ready', hsmId: 'h', exchangeFingerprint: 'ab'},
      ...aliceMatched(true),
    );
    const {lastFrame} = render(
      <CollectScreen state={state} sticks={[]} actions={collectActions()} />,
    );
    expect(plain(lastFrame())).toShow(/Your name:/);
    expect(plain(lastFrame())).not.toShow(/practice holder/);
  });
});

describe('marking a holder absent', () => {
  const absent = (i: number): CeremonyEvent => ({type: 'mark-absent', holderIndex: i});

  it('asks first when it leaves too few holders for the quorum; n goes back, y marks', async () => {
    const a = collectActions();
    // 3 of 5, two already absent: a third makes the quorum impossible.
    const state = walk(...toCollect, absent(4), absent(5));
    const {lastFrame, stdin} = render(<CollectScreen state={state} sticks={[]} actions={a} />);
    await press(stdin, 'a');
    await waitForFrame(lastFrame, 'Which holder is absent?');
    await press(stdin, KEY.enter);
    const f = await waitForFrame(lastFrame, 'Mark alice (holder 1) absent?');
    expect(f).toShow(
      /Only 2 holders could still come, fewer than the quorum of 3: the drill ends now as FAIL\. Press y to mark them absent and end the drill, n to go back\./,
    );
    expect(f).toShow(/y yes · n no/);
    // Enter, the tired key, does nothing here.
    await press(stdin, KEY.enter, 'n');
    await waitForFrame(lastFrame, 'Which holder is absent?');
    expect(a.absent).not.toHaveBeenCalled();
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, 'Mark alice (holder 1) absent?');
    await press(stdin, 'y');
    expect(a.absent).toHaveBeenCalledWith(1);
  });

  it('marks at once when the quorum can still be met', async () => {
    const a = collectActions();
    const {lastFrame, stdin} = render(
      <CollectScreen state={walk(...toCollect)} sticks={[]} actions={a} />,
    );
    await press(stdin, 'a');
    await waitForFrame(lastFrame, 'Which holder is absent?');
    await press(stdin, KEY.enter);
    expect(a.absent).toHaveBeenCalledWith(1);
  });
});

describe('the stick list', () => {
  it('says which stick has no key on it; the pointer starts on one that has (numbers stay put)', () => {
    const c = (keys: number) => ({keys, certificates: keys, contributions: 0, fingerprints: []});
    const contents = new Map([
      ['/demo/alice', c(1)],
      ['/demo/backup', c(0)],
      ['/demo/bob', c(1)],
    ]);
    const {lastFrame} = render(
      <CollectScreen
        state={walk(...toCollect)}
        sticks={[folderStick('alice'), folderStick('backup'), folderStick('bob')]}
        actions={collectActions()}
        contents={contents}
      />,
    );
    const list = plain(lastFrame())
      .split('\n')
      .filter((l) => /\(folder\)/.test(l))
      .map((l) => l.trim());
    expect(list).toEqual([
      '❯ 1  alice (folder)',
      '2  backup (folder) — no key on it',
      '3  bob (folder)',
    ]);
  });
});

describe('a path typed and refused', () => {
  it('leaves an empty field for the next (the refusal names the path); Ctrl-U clears a line', async () => {
    const onLoad = vi.fn();
    const state = walk({type: 'choose-mode', mode: 'rehearsal'});
    const {stdin, lastFrame} = render(
      <LoadScreen state={state} candidates={[]} onLoad={onLoad} onBack={vi.fn()} />,
    );
    await press(stdin, '/media/alice/typo.json\r');
    expect(onLoad).toHaveBeenCalledWith('/media/alice/typo.json');
    await waitForFrame(lastFrame, (x) => !shows(x, 'typo.json'));
    await press(stdin, '/media/wrong');
    await waitForFrame(lastFrame, '/media/wrong');
    await press(stdin, '\u0015', '/media/alice/sd.json\r');
    expect(onLoad).toHaveBeenLastCalledWith('/media/alice/sd.json');
  });
});

describe('the report screen', () => {
  it('quits on q only, never on Enter', async () => {
    const onQuit = vi.fn();
    const state = walk(...toCollect, {type: 'abort', reason: 'aborted by the operator'});
    const {stdin} = render(
      <ReportScreen
        state={state}
        chart={[]}
        findings={{errors: 0, warnings: 0, rules: []}}
        onQuit={onQuit}
      />,
    );
    await press(stdin, KEY.enter, ' ', 'x', KEY.escape);
    expect(onQuit).not.toHaveBeenCalled();
    await press(stdin, 'q');
    expect(onQuit).toHaveBeenCalledTimes(1);
  });
});
