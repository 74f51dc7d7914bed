/**
 * Throw-away folders for tests: `sd-drill-<label>-XXXXXX` in the temp dir, every one removed,
 * pass or fail. A folder made while a test runs (in it, or in a beforeEach) goes when that test
 * ends (in a describe.concurrent group, when the group's last test ends); one made outside a
 * test (a beforeAll, the module's top level) goes when the file's tests are done. The hooks that do it are in setup.ts, which vitest loads into every test file.
 *
 * Why per test rather than one temp root for the whole run removed at the end: a key file a
 * test wrote is gone as soon as that test is, a run stopped half-way leaves at most the folders
 * of the tests that were running, and TMPDIR stays what the user set, so the child processes
 * the tests start (tmux, the CLI's own temporary folders) are seen where they really write.
 */
import {appendFileSync, chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const ofTest: string[] = [];
const ofFile: string[] = [];
/** Tests running now: more than one in a describe.concurrent group. */
let running = 0;
const cleanups: Array<() => void> = [];
const fileCleanups: Array<() => void> = [];

/** A new empty folder, 0700, removed with everything in it when the test (or file) is done. */
export function tempDir(label: string, under: string = tmpdir()): string {
  const dir = mkdtempSync(join(under, `sd-drill-${label}-`));
  (running > 0 ? ofTest : ofFile).push(dir);
  // The run's ledger: the global teardown removes whatever a crashed worker or a failing
  // afterAll (vitest then skips the file's other afterAll hooks) left behind.
  const ledger = process.env[LEDGER_ENV];
  if (ledger) appendFileSync(ledger, `${dir}\n`);
  return dir;
}

/** The environment variable naming the run's ledger of temporary folders (global-setup.ts). */
export const LEDGER_ENV = 'SD_DRILL_TEST_TEMP_LEDGER';

/**
 * Keeps `path` (a folder tempDir made, or something in one) until the file's tests are done:
 * for what one test makes and later tests use. Returns `path`.
 */
export function keepForFile(path: string): string {
  for (let i = ofTest.length - 1; i >= 0; i--) {
    const dir = ofTest[i] as string;
    if (path === dir || path.startsWith(`${dir}/`)) ofFile.push(...ofTest.splice(i, 1));
  }
  return path;
}

/**
 * Something to undo before the folders go (unmount a file system, detach a loop device), run
 * in reverse order of registration at the same moment as tempDir's removal.
 */
export function beforeRemoval(undo: () => void): void {
  if (running > 0) cleanups.push(undo);
  else fileCleanups.push(undo);
}

/**
 * Removes a folder tree, even one a test made unreadable (chmod 000: root does not mind, any
 * other user needs the modes back first). Throws if it cannot: a folder left behind is a
 * failure, not a shrug.
 */
export function removeTree(dir: string): void {
  try {
    rmSync(dir, {recursive: true, force: true, maxRetries: 3});
  } catch {
    restoreModes(dir);
    rmSync(dir, {recursive: true, force: true, maxRetries: 3});
  }
}

function restoreModes(dir: string): void {
  try {
    if (!lstatSync(dir).isDirectory()) return;
    chmodSync(dir, 0o700);
    for (const name of readdirSync(dir)) restoreModes(join(dir, name));
  } catch {
    // gone already, or not ours to change: rmSync will say
  }
}

function settle(undo: Array<() => void>, dirs: string[]): void {
  const problems: string[] = [];
  for (const u of undo.splice(0).reverse()) {
    try {
      u();
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  for (const dir of dirs.splice(0).reverse()) {
    try {
      removeTree(dir);
    } catch (error) {
      problems.push(`${dir} could not be removed: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new Error(`left behind: ${problems.join('; ')}`);
}

/** setup.ts: a test (with its beforeEach hooks) is starting. */
export function testStarting(): void {
  running++;
}

/**
 * setup.ts: a test is over, its afterEach hooks done: remove what it made. Tests running side
 * by side (describe.concurrent) share their folders' fate: they go when the last one ends.
 */
export function testOver(): void {
  running = Math.max(0, running - 1);
  if (running === 0) settle(cleanups, ofTest);
}

/** setup.ts: the file's tests are over. */
export function fileOver(): void {
  settle(fileCleanups, ofFile);
}
