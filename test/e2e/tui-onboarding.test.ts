/**
 * Onboarding on the built bundle in tmux (`CI=false`): the newcomer makes their key on their
 * stick (name, stick, passphrase twice), practises the drill to the report, and sees their own
 * key open their own share. The practice holders' unencrypted keys live in a temporary
 * folder; each test runs the app with a TMPDIR of its own so it can see that folder appear,
 * with its three keys, and go on every way out: q at the report, Ctrl-C, SIGTERM, SIGINT,
 * the terminal closed (SIGHUP), and the idle timeout.
 */
import {mkdirSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {tempDir} from '../helpers/temp.js';
import {processGone, type Pane} from '../helpers/tmux.js';
import {
  exitCode,
  insert,
  present,
  removeStick,
  shownAnywhere,
  startApp,
  toReport,
  tuiSuite,
} from '../helpers/tui.js';

const NEWCOMER = 'frank';
const PASSPHRASE = 'Grüße-é onboarding';

interface Onboarding {
  p: Pane;
  /** The app's TMPDIR: only its practice folder is ever made there. */
  temp: string;
  stick: string;
  reports: string;
}

function start(extra: string[] = []): Onboarding {
  const temp = tempDir('e2e-onboarding-tmp');
  const media = tempDir('e2e-onboarding-media');
  const stick = join(media, `${NEWCOMER}-stick`);
  mkdirSync(stick);
  const {p, reports} = startApp(
    'onboarding',
    ['drill', '--mode', 'onboarding', '--media', media, ...extra],
    {env: {TMPDIR: temp}},
  );
  return {p, temp, stick, reports};
}

/** The practice folders in `temp`, each with the private keys under it. */
function practiceFolders(temp: string): Array<{name: string; keys: string[]}> {
  return readdirSync(temp).map((name) => ({
    name,
    keys: readdirSync(join(temp, name), {recursive: true, encoding: 'utf8'})
      .filter((f) => f.endsWith('.key'))
      .sort(),
  }));
}

/** Name, stick and passphrase (twice), in bursts as a fast typist sends them; to inspect. */
async function enrol(o: Onboarding): Promise<void> {
  const {p} = o;
  await p.waitFor('Your name (letters, digits');
  await p.burst(NEWCOMER);
  await p.waitFor('Which stick is yours?');
  await p.keys('Enter');
  await p.waitFor('Choose a passphrase (12+ characters):');
  await p.burst(PASSPHRASE);
  await p.waitFor('Type it again:');
  await p.paste(`${PASSPHRASE}\n`);
  // RSA-3072 for the newcomer and three practice keys: slow on a loaded machine.
  await p.waitFor('your certificate is on your stick', 120_000);
  await p.waitFor('Press Enter when the holders are ready');
  // The practice folder now exists, private keys and all: the thing that must go.
  const folders = practiceFolders(o.temp);
  expect(folders.map((f) => f.name)).toEqual([expect.stringMatching(/^sd-drill-practice-/)]);
  expect(folders[0]?.keys).toEqual(
    ['practice-1', 'practice-2', 'practice-3'].map((h) => join('sticks', h, `${h}.key`)),
  );
}

/** To collect, then the newcomer presents their own key with their own passphrase. */
async function presentOwnShare(p: Pane): Promise<void> {
  await p.keys('Enter');
  await p.waitFor('Choose the disaster');
  await p.keys('Enter');
  await p.waitFor('Sticks present');
  await present(p, `${NEWCOMER}-stick`, 'Frank Li', 'Newcomer', {
    passphrase: PASSPHRASE,
    burst: true,
    remove: false,
  });
  await p.waitFor(`Remove the stick ${NEWCOMER}-stick now`);
}

tuiSuite('onboarding in a real terminal', {needsProc: true}, () => {
  it('makes the key, walks the practice drill to a passing report, and leaves no practice folder', async () => {
    const o = start();
    const {p} = o;
    await enrol(o);
    expect(p.flat()).toMatch(/frank, your certificate is on your stick/);
    expect(p.flat()).toMatch(/practice-hsm .* quorum 3 of 4/);
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
      expect(p.flat()).not.toMatch(/Your name:/);
      await p.keys('y');
      await removeStick(p, h);
    }
    await toReport(p);
    const report = p.flat();
    expect(report).toMatch(/Verdict: PASS/);
    expect(report).toMatch(/✓ frank: your own key opened your own share/);
    // The practice is over: its keys are gone before anyone presses q.
    expect(practiceFolders(o.temp)).toEqual([]);
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');
    expect(readdirSync(o.temp)).toEqual([]);
    expect(shownAnywhere(p, ['Grüße'])).toEqual([]);
  }, 240_000);

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

  it('left idle with their share held: aborted, and the practice folder goes at once', async () => {
    const o = start(['--idle-minutes', '0.05']);
    await enrol(o);
    await presentOwnShare(o.p);
    await o.p.waitFor('Verdict: ABORTED', 60_000);
    await o.p.waitFor('Report saved');
    expect(o.p.flat()).toMatch(/idle for more than 3 seconds with shares held/);
    // The app still runs, at its report screen; the practice keys are already gone.
    expect(o.p.appPid()).toBeDefined();
    expect(readdirSync(o.temp)).toEqual([]);
    await o.p.keys('q');
    expect(await exitCode(o.p)).toBe('1');
  }, 180_000);
});
