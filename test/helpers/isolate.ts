/**
 * Test files run side by side on several workers (vitest.config.ts), so nothing may be shared
 * between two files: each gets its own temporary folder, which becomes its TMPDIR (what
 * tempDir, os.tmpdir() and every process a test starts, tmux panes included, write under), and
 * its own sd-drill store (SD_DRILL_CONFIG_DIR) for the commands a test runs without naming one.
 * Both are removed when the file's tests are done (the ledger sweeps them if a worker dies).
 */
import {tmpdir} from 'node:os';
import {tempDir} from './temp.js';

/** The temp dir the run started with (global-setup.ts), under which each file's folder goes. */
export const TMP_BASE_ENV = 'SD_DRILL_TEST_TMP_BASE';

export function isolateFile(): void {
  const base = process.env[TMP_BASE_ENV] ?? tmpdir();
  const worker = process.env.VITEST_POOL_ID ?? '0';
  const root = tempDir(`w${worker}`, base);
  process.env.TMPDIR = root;
  process.env.SD_DRILL_CONFIG_DIR = tempDir('store', root);
}
