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
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp.js';
import {
  EXITED,
  hasTmux,
  identify,
  insert,
  killServer,
  Pane,
  processGone,
  removeStick,
} from '../helpers/tmux.js';

const NEWCOMER = 'frank';
const PASSPHRASE = 'Grüße-é onboarding';

let pane: Pane | undefined;
let seq = 0;

interface Onboarding {
  p: Pane;
  /** The app's TMPDIR: only its practice folder is ever made there. */
  temp: string;
  stick: string;
  reports: string;
}

function start(extra: string[] = []): Onboarding {
  const work = tempDir('e2e-onboarding');
  const temp = join(work, 'tmp');
  const stick = join(work, 'media', `${NEWCOMER}-stick`);
  const reports = join(work, 'reports');
  for (const d of [temp, stick, join(work, 'config')]) mkdirSync(d, {recursive: true});
  pane = Pane.start(
    `onboarding-${process.pid}-${++seq}`,
    [
      'drill',
      ...['--mode', 'onboarding', '--media', join(work, 'media'), '--report-dir', reports],
      ...extra,
    ],
    {
      env: {
        TERM: 'xterm-256color',
        CI: 'false',
        TMPDIR: temp,
        SD_DRILL_CONFIG_DIR: join(work, 'config'),
      },
    },
  );
  return {p: pane, temp, stick, reports};
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
  await p.waitFor('Choose a passphrase:');
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
  await insert(p, `${NEWCOMER}-stick`);
  await identify(p, 'Frank Li', 'Newcomer', {burst: true});
  await p.waitFor(/Passphrase: ▌/);
  await p.burst(PASSPHRASE);
  await p.waitFor(`Remove the stick ${NEWCOMER}-stick now`);
}

const exitCode = async (p: Pane) => EXITED.exec(await p.waitFor(EXITED))?.[1];

const suite = hasTmux && process.platform === 'linux' ? describe : describe.skip;
const title =
  hasTmux && process.platform === 'linux'
    ? 'onboarding in a real terminal (tmux, built bundle)'
    : 'onboarding in a real terminal — SKIPPED: needs tmux and /proc (Linux)';

suite(title, () => {
  // Before the test's folders are removed (onTestFinished runs after afterEach).
  afterEach(async () => {
    await pane?.close();
    pane = undefined;
  });
  afterAll(() => killServer());

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
    for (const h of ['practice-1', 'practice-2']) {
      await insert(p, h);
      await p.waitFor('Your name:');
      await p.burst(`${h} holder`);
      await p.waitFor('Your role:');
      await p.burst('Practice');
      await p.waitFor('press y to acknowledge');
      await p.keys('y');
      await removeStick(p, h);
    }
    await p.waitFor('Quorum reached: press r');
    await p.keys('r');
    await p.waitFor('Report saved');
    const report = p.flat();
    expect(report).toMatch(/Verdict: PASS/);
    expect(report).toMatch(/✓ frank: your own key opened your own share/);
    // The practice is over: its keys are gone before anyone presses q.
    expect(practiceFolders(o.temp)).toEqual([]);
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');
    expect(readdirSync(o.temp)).toEqual([]);
    p.capture({history: true});
    expect(p.frames.filter((f) => f.includes('Grüße'))).toEqual([]);
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
