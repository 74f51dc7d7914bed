/**
 * Onboarding on the built bundle in tmux, left every way but q: Ctrl-C, SIGTERM, SIGINT and the
 * terminal closed (SIGHUP), each at the inspect screen, once the practice keys exist. Each
 * time the practice folder, private keys and all, goes.
 */
import {readdirSync} from 'node:fs';
import {expect, it} from 'vitest';
import {processGone} from '../helpers/tmux.js';
import {exitCode, tuiSuite} from '../helpers/tui.js';
import {enrol, practiceFolders, start} from './onboarding-kit.js';

tuiSuite('onboarding in a real terminal, left before the end', {needsProc: true}, () => {
  it('Ctrl-C at the inspect screen: the drill is aborted and the practice folder goes', async () => {
    const o = start();
    await enrol(o);
    await o.p.keys('C-c');
    await o.p.waitFor('Verdict: ABORTED');
    await o.p.waitFor('Report saved');
    expect(practiceFolders(o.temp)).toEqual([]);
    await o.p.keys('q');
    expect(await exitCode(o.p)).toBe('1');
  }, 180_000);

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s from outside at the inspect screen: the practice folder goes',
    async (signal) => {
      const o = start();
      await enrol(o);
      o.p.signal(signal);
      expect(await exitCode(o.p)).toBe('1');
      expect(readdirSync(o.temp)).toEqual([]);
    },
    180_000,
  );

  it('the terminal closed (tmux kill-session, SIGHUP) at the inspect screen: the practice folder goes', async () => {
    const o = start();
    await enrol(o);
    const pid = o.p.appPid();
    expect(pid, 'the sd-drill process').toBeDefined();
    o.p.kill();
    await processGone(pid as number);
    expect(readdirSync(o.temp)).toEqual([]);
  }, 180_000);
});
