import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {TMP_BASE_ENV} from './isolate.js';
import {sweepLedger} from './sweep.js';
import {LEDGER_ENV} from './temp.js';

/**
 * Builds the bundle once so smoke and pty tests run what users run; gives the whole run a
 * private sd-drill store (a command a test runs without its own SD_DRILL_CONFIG_DIR must never
 * read or write the user's real history and pinned domain keys; each test file then gets one of
 * its own, isolate.ts); and keeps the run's ledger of temporary folders: every test removes its
 * own, and the teardown removes (and names) any that a crash or a failed hook left behind.
 */
export default function setup(): () => void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // .ci/run's later Node legs reuse the first leg's build (its output does not depend on the
  // Node that runs esbuild: build.test.ts), so legs running side by side never rebuild dist/
  // under each other's feet.
  if (process.env.SD_DRILL_TESTS_USE_BUILT !== '1')
    execFileSync(process.execPath, ['scripts/build.mjs'], {cwd: root, stdio: 'inherit'});
  const store = mkdtempSync(join(tmpdir(), 'sd-drill-test-store-'));
  process.env.SD_DRILL_CONFIG_DIR = store;
  process.env[TMP_BASE_ENV] = tmpdir();
  const ledgerDir = mkdtempSync(join(tmpdir(), 'sd-drill-test-ledger-'));
  const ledger = join(ledgerDir, 'folders');
  writeFileSync(ledger, '');
  process.env[LEDGER_ENV] = ledger;
  return () => {
    try {
      const swept = sweepLedger(ledger);
      if (swept.length > 0)
        console.warn(
          `removed ${swept.length} temporary folder(s) a test left: ${swept.join(', ')}`,
        );
    } finally {
      rmSync(ledgerDir, {recursive: true, force: true});
      rmSync(store, {recursive: true, force: true});
    }
  };
}
