/**
 * The app in a tmux pane (tmux.ts), as the e2e and hardening suites drive it: the suite around
 * a file's tests, the app started with a store and a report folder of its own, a custodian's
 * steps (insert, identify, passphrase, remove: `present`), choosing from a list, and the checks
 * the suites share (the exit code, what a frame showed, lines too wide for the terminal).
 */
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, afterEach, beforeEach, describe} from 'vitest';
import {endProcessesWithEnv} from './processes.js';
import {shows} from './screen-text.js';
import {needsInstalled, skipBecause} from './skips.js';
import {beforeRemoval, tempDir} from './temp.js';
import {EXITED, hasTmux, killServer, Pane} from './tmux.js';

/** The panes the running test started (startApp), closed when it ends. */
const open: Pane[] = [];
let seq = 0;

/**
 * `describe` for tests that run the app in tmux, titled `WHAT (tmux, built bundle)`. Each test
 * skips, saying why, where tmux is missing (under CI, where .ci/run installs it, it fails
 * instead) or, with `needsProc`, where there is no /proc (not Linux). After each test its
 * panes are closed and the app waited for, before its folders are removed: a drill closed
 * mid-way writes its "aborted" report as it goes. The file's tmux server is stopped at the end.
 */
export function tuiSuite(what: string, body: () => void): void;
export function tuiSuite(what: string, options: {needsProc: boolean}, body: () => void): void;
export function tuiSuite(
  what: string,
  ...rest: [() => void] | [{needsProc: boolean}, () => void]
): void {
  const [{needsProc}, body] = rest.length === 1 ? [{needsProc: false}, rest[0]] : rest;
  describe(`${what} (tmux, built bundle)`, () => {
    beforeEach((ctx) => {
      if (!hasTmux) needsInstalled(ctx, 'tmux is not installed', 'apt-get install tmux');
      if (needsProc && process.platform !== 'linux')
        skipBecause(ctx, 'reads /proc to find the app: a Linux test');
    });
    // Before the test's folders are removed (onTestFinished runs after afterEach).
    afterEach(async () => {
      for (const p of open.splice(0)) await p.close();
    });
    afterAll(() => killServer());
    body();
  });
}

export interface App {
  p: Pane;
  /** The app's store (SD_DRILL_CONFIG_DIR), made empty. */
  config: string;
  /** Its --report-dir: left for the app to make, unless `makeReports`. */
  reports: string;
}

export interface AppOptions {
  /** More environment, on top of TERM, CI=false and the store. */
  env?: Record<string, string>;
  /** No CI variable at all: chalk takes any CI, even "false", as "no colour". */
  noCi?: boolean;
  /** Make the report folder first, for a test that lists it before anything is written. */
  makeReports?: boolean;
  /** The terminal's size (default 80×24). */
  width?: number;
  height?: number;
}

/**
 * In a tuiSuite: starts `sd-drill ARGS --report-dir REPORTS` (the built bundle, `CI=false`) in
 * an 80×24 pane of its own, with a store and a report folder of its own in a temporary folder.
 */
export function startApp(label: string, args: readonly string[], options: AppOptions = {}): App {
  const work = tempDir(`e2e-${label}`);
  const config = join(work, 'config');
  const reports = join(work, 'reports');
  mkdirSync(config);
  if (options.makeReports) mkdirSync(reports);
  // A drill killed without waiting (Pane.kill) still writes its aborted report and history.
  beforeRemoval(() => endProcessesWithEnv('SD_DRILL_CONFIG_DIR', config));
  const p = Pane.start(`${label}-${process.pid}-${++seq}`, [...args, '--report-dir', reports], {
    ...(options.width ? {width: options.width} : {}),
    ...(options.height ? {height: options.height} : {}),
    env: {
      TERM: 'xterm-256color',
      // A UTF-8 terminal: without a locale sd-drill draws in plain ASCII (display.ts).
      LANG: 'C.UTF-8',
      ...(options.noCi ? {} : {CI: 'false'}),
      SD_DRILL_CONFIG_DIR: config,
      ...options.env,
    },
  });
  open.push(p);
  return {p, config, reports};
}

/** The app's exit code, once it has exited. */
export async function exitCode(p: Pane): Promise<string | undefined> {
  return EXITED.exec(await p.waitFor(EXITED))?.[1];
}

/**
 * Which of `texts` any frame seen so far showed (however wrapped), the scrollback captured
 * first.
 */
export function shownAnywhere(p: Pane, texts: readonly string[]): string[] {
  p.capture({history: true});
  return p.frames.flatMap((f) => texts.filter((t) => shows(f, t)));
}

/**
 * The lines of `screen` (a capture: the lines tmux wrapped are joined, so each is whole) wider than the
 * 80-column terminal, each with its width.
 */
export function tooWide(screen: string): string[] {
  return screen
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => [...l].length > 80)
    .map((l) => `a line of ${[...l].length} columns: ${l}`);
}

// Walking the demo drill.

/** Start → inspect → disaster (the first scenario) → collect. */
export async function toCollect(p: Pane, check?: () => void): Promise<void> {
  await p.waitFor('What is this session for?');
  check?.();
  await p.keys('Enter');
  await p.waitFor('Press Enter when the holders are ready');
  check?.();
  await p.keys('Enter');
  await p.waitFor('Choose the disaster to rehearse');
  check?.();
  await p.keys('Enter');
  await p.waitFor('Sticks present');
  check?.();
}

/**
 * A pass on a domain the drill's store has no record of asks whether to pin its key before the
 * report is written: answered `y` (pin) unless told otherwise. A drill that ends without the
 * question (onboarding, a failure) goes straight to the report.
 */
export async function answerFirstPin(p: Pane, answer: 'y' | 'n' = 'y'): Promise<void> {
  const screen = await p.waitFor(/pin its key\?|Report saved/);
  if (shows(screen, /pin its key\?/)) await p.keys(answer);
}

/** The quorum reached, r to restore, the first-pin question answered, and the report saved. */
export async function toReport(p: Pane): Promise<void> {
  await p.waitFor('Quorum reached: press r');
  await p.keys('r');
  await answerFirstPin(p);
  await p.waitFor('Report saved');
}

/**
 * A list's entries on screen, in order: each as shown (its number, one space, its label) and
 * without its number, and which one the pointer (❯) is on.
 */
function entries(screen: string): {line: string; label: string; here: boolean}[] {
  return screen.split('\n').flatMap((l) => {
    const m = /^(❯| ) (\d+) +(\S.*)$/.exec(l.trimEnd());
    return m ? [{line: `${m[2]} ${m[3]}`, label: m[3] ?? '', here: m[1] === '❯'}] : [];
  });
}

const accepts = (wanted: (line: string) => boolean, e: {line: string; label: string}) =>
  wanted(e.label) || wanted(e.line);

/**
 * Moves a list's pointer with the arrows (at most `tries` moves) to the entry that `wanted`
 * accepts (given the label, or the number and the label: "3 carol"), and presses Enter; fails
 * at once, with the screen, if it never gets there. The pointer starts wherever the screen
 * left it: the arrows go up or down to the entry, as a person would.
 */
async function pick(
  p: Pane,
  first: RegExp | string,
  wanted: (line: string) => boolean,
  tries: number,
  what: string,
): Promise<void> {
  let screen = await p.waitFor(first);
  const at = (s: string) => entries(s).findIndex((e) => e.here);
  for (let i = 0; i < tries; i++) {
    const list = entries(screen);
    const here = list.find((e) => e.here);
    if (here && accepts(wanted, here)) break;
    const target = list.findIndex((e) => accepts(wanted, e));
    // Not on screen: the window moves down first (lists start at the top).
    const key = target >= 0 && target < at(screen) ? 'Up' : 'Down';
    const before = here?.line;
    await p.keys(key);
    screen = await p.waitFor((s: string) => entries(s).find((e) => e.here)?.line !== before);
  }
  const here = entries(screen).find((e) => e.here);
  if (!here || !accepts(wanted, here)) throw new Error(`no ${what}:\n${screen}`);
  await p.keys('Enter');
}

/** Moves the highlight to a stick (it starts on the first) and presses Enter to insert it. */
export function insert(p: Pane, stick: string): Promise<void> {
  return pick(
    p,
    /❯ \d+ +\S+ \(folder\)/,
    (line) => line.split(' ')[0] === stick,
    8,
    `stick ${stick} to insert`,
  );
}

/** Moves the highlight to the option that starts with `label` and chooses it. */
export function choose(p: Pane, label: string): Promise<void> {
  return pick(p, '❯', (line) => line.startsWith(label), 12, `option ${label}`);
}

/**
 * A custodian identifies themselves and acknowledges their duties: name and role typed, then
 * Enter on its own, or (`burst`) each sent with its Enter in one read. Then the passphrase is
 * asked, unless the key is not encrypted (or was opened to identify it): `passphrase: false`.
 */
export async function identify(
  p: Pane,
  name: string,
  role: string,
  {burst = false, passphrase = true}: {burst?: boolean; passphrase?: boolean} = {},
): Promise<void> {
  for (const [field, value] of [
    ['name', name],
    ['role', role],
  ] as const) {
    const label = `Your ${field}:`;
    await p.waitFor(label);
    if (burst) {
      await p.burst(value);
    } else {
      await p.text(value);
      await p.waitFor(`${label} ${value}`);
      await p.keys('Enter');
    }
  }
  // Both submitted: the duties are shown with the name and role as typed, nothing else.
  await p.waitFor(`${name}, ${role}: press y to acknowledge`);
  await p.keys('y');
  if (passphrase) await p.waitFor('type the passphrase');
}

/**
 * A passphrase into the masked field: typed, its dots waited for, then Enter; or (`burst`)
 * sent with its Enter in one read.
 */
export async function passphrase(
  p: Pane,
  secret: string,
  {burst = false}: {burst?: boolean} = {},
): Promise<void> {
  await p.waitFor(/Passphrase: ▌/);
  if (burst) return p.burst(secret);
  await p.text(secret);
  await p.waitFor(`Passphrase: ${'•'.repeat(secret.length)}▌`);
  await p.keys('Enter');
}

/** The demo stick is "pulled" with x once the share is taken. */
export async function removeStick(p: Pane, stick: string): Promise<void> {
  await p.waitFor(`Remove the stick ${stick} now`);
  await p.keys('x');
  await p.waitFor('Stick removed');
}

export interface Presenting {
  /** Default: the demo's `STICK-practice-only`; null: a key without one, none asked. */
  passphrase?: string | null;
  /** Name, role and passphrase each sent with its Enter in one read. */
  burst?: boolean;
  /** false: the stick stays in (the test goes on from there). */
  remove?: boolean;
}

/** A holder at the machine: their stick in, who they are, their passphrase, the stick out. */
export async function present(
  p: Pane,
  stick: string,
  name: string,
  role: string,
  {passphrase: secret = `${stick}-practice-only`, burst = false, remove = true}: Presenting = {},
): Promise<void> {
  await insert(p, stick);
  await identify(p, name, role, {burst, passphrase: secret !== null});
  if (secret !== null) await passphrase(p, secret, {burst});
  if (remove) await removeStick(p, stick);
}
