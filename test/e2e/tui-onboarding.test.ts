/**
 * Onboarding on the built bundle in tmux (`CI=false`): the newcomer makes their key on their
 * stick, practises the drill to the report, and sees their own key open their own share; the
 * practice folder goes at q and at the idle timeout. (Ctrl-C, signals and the terminal
 * closing: tui-onboarding-exits.test.ts.)
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {exitCode, insert, removeStick, shownAnywhere, toReport, tuiSuite} from '../helpers/tui.js';
import {enrol, NEWCOMER, practiceFolders, presentOwnShare, start} from './onboarding-kit.js';

tuiSuite('onboarding in a real terminal', {needsProc: true}, () => {
  it('makes the key, walks the practice drill to a passing report, and leaves no practice folder', async () => {
    const o = start();
    const {p} = o;
    await enrol(o);
    expect(p.capture()).toShow(/frank, your certificate is on your stick/);
    expect(p.capture()).toShow(/practice-hsm .* quorum 3 of 4/);
    // The newcomer's key went onto their stick, encrypted.
    expect(readdirSync(o.stick).sort()).toEqual([`${NEWCOMER}.cer`, `${NEWCOMER}.key`]);
    expect(readFileSync(join(o.stick, `${NEWCOMER}.key`), 'utf8')).toMatch(
      /BEGIN ENCRYPTED PRIVATE KEY/,
    );
    await presentOwnShare(p);
    await removeStick(p, `${NEWCOMER}-stick`);
    // The practice holders are stand-ins sd-drill made: no custodian to type, y takes the share.
    for (const h of ['practice-1', 'practice-2']) {
      await insert(p, h);
      await p.waitFor(`${h} (holder`);
      await p.waitFor('is a practice holder: a stand-in key sd-drill made');
      expect(p.capture()).not.toShow(/Your name:/);
      await p.keys('y');
      await removeStick(p, h);
    }
    await toReport(p);
    const report = p.capture();
    expect(report).toShow(/Verdict: PASS/);
    expect(report).toShow(/✓ frank: your own key opened your own share/);
    // The practice is over: its keys are gone before anyone presses q.
    expect(practiceFolders(o.temp)).toEqual([]);
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');
    expect(readdirSync(o.temp)).toEqual([]);
    expect(shownAnywhere(p, ['Grüße'])).toEqual([]);
  }, 240_000);

  it('left idle with their share held: aborted, and the practice folder goes at once', async () => {
    const o = start(['--idle-minutes', '0.05']);
    await enrol(o);
    await presentOwnShare(o.p);
    await o.p.waitFor('Verdict: ABORTED', 60_000);
    await o.p.waitFor('Report saved');
    expect(o.p.capture()).toShow(/idle for more than 3 seconds with shares held/);
    // The app still runs, at its report screen; the practice keys are already gone.
    expect(o.p.appPid()).toBeDefined();
    expect(readdirSync(o.temp)).toEqual([]);
    await o.p.keys('q');
    expect(await exitCode(o.p)).toBe('1');
  }, 180_000);
});
