import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * Builds the bundle once so smoke and pty tests run what users run, and gives the whole run
 * a private sd-drill store: a command a test runs without its own SD_DRILL_CONFIG_DIR must
 * never read or write the user's real history and pinned domain keys. Removed at the end.
 */
export default function setup(): () => void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs'], {cwd: root, stdio: 'inherit'});
  const store = mkdtempSync(join(tmpdir(), 'sd-drill-test-store-'));
  process.env.SD_DRILL_CONFIG_DIR = store;
  return () => rmSync(store, {recursive: true, force: true});
}
