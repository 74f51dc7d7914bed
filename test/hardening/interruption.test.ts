/**
 * Interruptions: SIGTERM, SIGINT and SIGHUP at every point of a scripted drill and of a restore
 * blob being written (the TUI ceremony's: interruption-tui.test.ts). Whatever the moment: a
 * non-zero exit unless the drill had already finished, no report at all or one complete report
 * pair with verdict "aborted", no `.tmp` file, the history parseable with nothing lost, nothing
 * secret anywhere. And drills finishing at the same moment lose no history.
 */
import {spawnSync} from 'node:child_process';
import {cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {parseRestoreBlob} from '../../source/domain/azure/restore-blob.js';
import {appModule, bundleModule} from '../helpers/bundle.js';
import {onlyReport} from '../helpers/files.js';
import {keepForFile} from '../helpers/temp.js';
import {sleep} from '../helpers/time.js';
import {
  azureRestoreBlobArgs,
  cli,
  demoPlan,
  DRILL_SECRETS as passphrases,
  filesUnder,
  leaks,
  leaksInFiles,
  parses,
  spawnCli,
  tmp,
  type HistoryJson,
  type ReportJson,
} from './kit.js';

/** A copy of the demo with a plan for alice, bob and carol, and a store holding one drill. */
function planned(): {dir: string; plan: string; store: string; reports: string} {
  const dir = tmp('plan');
  const plan = demoPlan(dir, 'reports');
  const store = join(dir, 'store');
  if (seedStore) cpSync(seedStore, store, {recursive: true});
  return {dir, plan, store, reports: join(dir, 'reports')};
}

/** The store after one finished drill: every interrupted run must keep its record. */
let seedStore: string | undefined;
let seedDrill = '';

type Outcome = 'finished' | 'killed' | 'aborted';

/** Checks one run's leftovers; says what it found. */
function inspect(
  run: {dir: string; store: string; reports: string},
  result: {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string},
  signal: NodeJS.Signals,
): {outcome: Outcome; problems: string[]} {
  const problems: string[] = [];
  const files = filesUnder(run.dir);
  const tmps = files.filter((f) => /\.tmp$|\.tmp-|\.lock$/.test(f));
  if (tmps.length > 0) problems.push(`left behind: ${tmps.join(', ')}`);
  const names = existsSync(run.reports) ? readdirSync(run.reports) : [];
  const json = names.filter((n) => n.endsWith('.json'));
  const md = names.filter((n) => n.endsWith('.md'));
  if (json.length > 1) problems.push(`${json.length} reports for one drill`);
  if (json.some((j) => !md.includes(j.replace(/\.json$/, '.md'))))
    problems.push('a JSON report without its Markdown');
  if (md.length !== json.length) problems.push('a Markdown report without its JSON');
  const reports = json.map((j) => join(run.reports, j));
  const broken = reports.filter((r) => !parses(r));
  if (broken.length > 0) problems.push(`unparseable report: ${broken.join(', ')}`);
  const history = join(run.store, 'history.json');
  let drills: HistoryJson['drills'] = [];
  if (existsSync(history)) {
    if (!parses(history)) problems.push('the history does not parse');
    else drills = (JSON.parse(readFileSync(history, 'utf8')) as HistoryJson).drills;
  }
  if (!drills.some((d) => d.id === seedDrill)) problems.push('the earlier drill is gone');
  if (/^\s+at |TypeError|RangeError|internal error/m.test(result.stderr))
    problems.push(`a crash on stderr: ${result.stderr}`);
  problems.push(
    ...leaks(result.stdout + result.stderr, passphrases),
    ...leaksInFiles([run.store, ...(existsSync(run.reports) ? [run.reports] : [])], passphrases),
  );

  let outcome: Outcome;
  const report =
    reports.length === 1 && broken.length === 0
      ? (JSON.parse(readFileSync(reports[0] as string, 'utf8')) as ReportJson)
      : undefined;
  if (result.code === 0) {
    outcome = 'finished';
    if (report?.verdict !== 'pass') problems.push('exit 0 without a passing report');
  } else if (result.signal !== null) {
    if (result.signal !== signal) problems.push(`killed by ${result.signal}`);
    // Killed before the drill began, or just after it ended (its report whole and recorded).
    outcome = json.length === 0 ? 'killed' : 'finished';
    if (report && report.verdict !== 'pass')
      problems.push(`killed, leaving a ${report.verdict} report`);
    if (report && !drills.some((d) => d.id === report.id)) problems.push('a report not in history');
  } else {
    outcome = 'aborted';
    if (result.code !== 1) problems.push(`exit ${result.code}`);
    if (!report) problems.push('no report for an interrupted drill');
    else {
      if (report.verdict !== 'aborted') problems.push(`verdict ${report.verdict}`);
      if (!report.verdictReason.includes(`interrupted by ${signal}`))
        problems.push(`verdict reason: ${report.verdictReason}`);
      const recorded = drills.find((d) => d.id === report.id);
      if (recorded?.verdict !== 'aborted') problems.push('the aborted drill is not in history');
      // The operator is told, with where the report went.
      if (!result.stdout.includes(`Drill aborted: interrupted by ${signal}`))
        problems.push(`stdout does not say the drill was aborted: ${result.stdout}`);
      if (!result.stdout.includes(`${report.id}.json`))
        problems.push('stdout does not name the report');
    }
  }
  return {outcome, problems};
}

describe('a scripted drill (--plan) interrupted at any moment', () => {
  let baselineMs = 0;

  it('runs to a pass when left alone (the baseline the signals are timed against)', async () => {
    // Twice: the first run also pays for cold caches.
    let run = planned();
    for (let i = 0; i < 2; i++) {
      run = planned();
      const started = Date.now();
      const r = await spawnCli(['drill', '--plan', run.plan], {SD_DRILL_CONFIG_DIR: run.store})
        .done;
      const took = Date.now() - started;
      baselineMs = i === 0 ? took : Math.min(baselineMs, took);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const history = JSON.parse(
      readFileSync(join(run.store, 'history.json'), 'utf8'),
    ) as HistoryJson;
    expect(history.drills).toHaveLength(1);
    seedStore = keepForFile(run.store);
    seedDrill = history.drills[0]?.id ?? '';
  }, 60_000);

  /**
   * The moments: the very start, past the end, and a spread in between. Machines differ, so
   * after the fixed ones the delay is steered (later after a run killed before the drill
   * began, earlier after one that had already finished) until `aborted` drills were caught.
   */
  const signals: Array<[NodeJS.Signals, number[], number]> = [
    ['SIGTERM', [0, 0.3, 0.5, 0.7, 1.6], 3],
    ['SIGINT', [0.1, 0.4, 0.6, 0.85], 3],
    ['SIGHUP', [0.5], 1],
  ];
  it.each(signals)(
    '%s: no report or one whole "aborted" report, no .tmp, history intact, nothing leaked',
    async (signal, fixed, wanted) => {
      expect(seedStore).toBeDefined();
      const outcomes: Outcome[] = [];
      const problems: string[] = [];
      const once = async (f: number): Promise<Outcome> => {
        const run = planned();
        const child = spawnCli(['drill', '--plan', run.plan], {SD_DRILL_CONFIG_DIR: run.store});
        await sleep(Math.round(f * baselineMs));
        child.signal(signal);
        const result = await child.done;
        const seen = inspect(run, result, signal);
        outcomes.push(seen.outcome);
        problems.push(...seen.problems.map((p) => `${signal} at ${f.toFixed(2)}×: ${p}`));
        return seen.outcome;
      };
      for (const f of fixed) await once(f);
      let [lo, hi, f] = [0, 1.2, 0.5];
      for (let i = 0; i < 8 && outcomes.filter((o) => o === 'aborted').length < wanted; i++) {
        const seen = await once(f);
        if (seen === 'killed') lo = f;
        if (seen === 'finished') hi = f;
        f = seen === 'aborted' ? lo + (hi - lo) * ((i * 0.37) % 1) : (lo + hi) / 2;
      }
      expect(problems).toEqual([]);
      expect(outcomes.filter((o) => o === 'aborted').length).toBeGreaterThanOrEqual(wanted);
    },
    180_000,
  );
});

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
    const runs = [planned(), planned(), planned()];
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
