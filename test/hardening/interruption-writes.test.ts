/**
 * Interruptions at the moment that matters most: a signal while a report or a restore blob is
 * being written (made certain with a patched fsync, and by timing around the end of
 * restore-blob), and drills finishing at the same moment. The file is whole or absent, no
 * `.tmp` is left, and no history is lost.
 */
import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {parseRestoreBlob} from '../../source/domain/azure/restore-blob.js';
import {appModule, bundleModule} from '../helpers/bundle.js';
import {onlyReport} from '../helpers/files.js';
import {sleep} from '../helpers/time.js';
import {
  azureRestoreBlobArgs,
  cli,
  demoPlan,
  DRILL_SECRETS as passphrases,
  filesUnder,
  leaks,
  spawnCli,
  tmp,
  type HistoryJson,
  type ReportJson,
} from './kit.js';

/**
 * The moment that matters, made certain: a child process writes a report (writeFileAtomic)
 * or a restore blob (writeNewFile) and gets SIGTERM between the temporary file and its final
 * name (fsyncSync is patched to raise it there). The signal must wait for the write: the file
 * whole, no `.tmp`, and then the process ends by the signal as it would have.
 */
describe('a signal in the middle of an atomic write', () => {
  let lib = '';
  beforeAll(async () => {
    const dir = tmp('atomic-lib');
    lib = join(dir, 'writers.mjs');
    await bundleModule(lib, [
      `export {writeFileAtomic} from ${appModule('source/fs/atomic-write.ts')};`,
      `export {writeNewFile} from ${appModule('source/commands/restore-blob.ts')};`,
    ]);
    writeFileSync(
      join(dir, 'child.mjs'),
      `import fs from 'node:fs';
import {syncBuiltinESMExports} from 'node:module';
import {writeFileAtomic, writeNewFile} from './writers.mjs';
const [which, out] = process.argv.slice(2);
const fsync = fs.fsyncSync;
fs.fsyncSync = (fd) => {
  fsync(fd);
  process.kill(process.pid, 'SIGTERM');
  const until = Date.now() + 100;
  while (Date.now() < until);
};
syncBuiltinESMExports();
if (which === 'report') {
  const r = writeFileAtomic(out, 'r'.repeat(100000));
  if (!r.ok) throw r.error;
} else writeNewFile(out, 'b'.repeat(100000));
process.stdout.write('written\\n');
`,
    );
  }, 60_000);

  it.each([
    ['a report (writeFileAtomic)', 'report'],
    ['a restore blob (writeNewFile)', 'blob'],
  ])('%s: written whole, no .tmp, then the process ends by the signal', (_what, which) => {
    const out = tmp('atomic-out');
    const r = spawnSync(
      process.execPath,
      [join(dirname(lib), 'child.mjs'), which, join(out, 'file.json')],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(readdirSync(out)).toEqual(['file.json']);
    expect(statSync(join(out, 'file.json')).size).toBe(100_000);
    expect(r.stdout).toBe('written\n');
    expect(r.signal).toBe('SIGTERM');
  });
});

describe('restore-blob interrupted while it writes', () => {
  it('leaves no .tmp beside --out, and any blob it leaves is whole', async () => {
    const store = tmp('blob-store');
    const first = tmp('blob');
    const started = Date.now();
    const whole = await cli(azureRestoreBlobArgs(join(first, 'blob.json')), {store});
    const baseline = Date.now() - started;
    expect(whole.code, whole.stderr).toBe(0);

    const problems: string[] = [];
    let blobs = 0;
    const once = async (i: number, delay: number): Promise<void> => {
      const out = tmp('blob');
      const child = spawnCli(azureRestoreBlobArgs(join(out, 'blob.json')), {
        SD_DRILL_CONFIG_DIR: store,
      });
      await sleep(delay);
      child.signal(i % 2 ? 'SIGINT' : 'SIGTERM');
      const r = await child.done;
      const left = readdirSync(out);
      if (left.some((f) => f.endsWith('.tmp'))) problems.push(`run ${i}: ${left.join(', ')}`);
      if (left.includes('blob.json')) {
        blobs++;
        const blob = parseRestoreBlob('blob.json', readFileSync(join(out, 'blob.json')));
        if (!blob.ok) problems.push(`run ${i}: a damaged blob: ${blob.error.message}`);
      } else if (r.code === 0) problems.push(`run ${i}: exit 0 without a blob`);
      problems.push(...leaks(r.stdout + r.stderr, passphrases).map((l) => `run ${i}: ${l}`));
    };
    // Around the moment the blob is written: the last third of the run, by the first run's time.
    for (let i = 0; i < 12; i++) await once(i, Math.round(baseline * (0.5 + i * 0.06)));
    // A loaded machine runs slower than the first run did: later, until a run got as far as
    // the blob (so the checks above saw one), each time half as late again.
    for (let i = 12, f = 1.2; blobs === 0 && i < 20; i++, f *= 1.5)
      await once(i, Math.round(baseline * f));
    expect(problems).toEqual([]);
    expect(blobs).toBeGreaterThan(0);
  }, 120_000);
});

describe('drills finishing at the same moment', () => {
  it('lose no history: three plans and twenty hand-offs at once, every record kept', async () => {
    const store = tmp('together-store');
    const runs = [1, 2, 3].map(() => {
      const dir = tmp('plan');
      return {plan: demoPlan(dir, 'reports'), reports: join(dir, 'reports')};
    });
    const drills = runs.map(
      (run) => spawnCli(['drill', '--plan', run.plan], {SD_DRILL_CONFIG_DIR: store}).done,
    );
    const handOffs = Array.from({length: 20}, (_, i) =>
      cli(['custody', 'add', '--from', `holder-${i}`, '--to', 'vault', '--note', `n${i}`], {store}),
    );
    const results = await Promise.all([...drills, ...handOffs]);
    expect(results.map((r) => r.code)).toEqual(results.map(() => 0));
    const history = JSON.parse(readFileSync(join(store, 'history.json'), 'utf8')) as HistoryJson;
    const ids = runs.map((run) => onlyReport<ReportJson>(run.reports).id);
    expect(history.drills.map((d) => d.id).sort()).toEqual(ids.sort());
    const custody = JSON.parse(readFileSync(join(store, 'custody.json'), 'utf8')) as {
      custody: Array<{note: string}>;
    };
    expect(custody.custody.map((c) => c.note).sort()).toEqual(
      Array.from({length: 20}, (_, i) => `n${i}`).sort(),
    );
    expect(filesUnder(store).filter((f) => /\.tmp|\.lock$/.test(f))).toEqual([]);
  }, 120_000);
});
