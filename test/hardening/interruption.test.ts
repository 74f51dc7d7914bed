/**
 * Interruptions: SIGTERM, SIGINT and SIGHUP at every point of a scripted drill (a write caught
 * mid-way and drills finishing together: interruption-writes.test.ts; the TUI ceremony:
 * interruption-tui.test.ts). Whatever the moment: a non-zero exit unless the drill had already
 * finished, no report at all or one complete report pair with verdict "aborted", no `.tmp`
 * file, the history parseable with nothing lost, nothing secret anywhere.
 */
import {cpSync, existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {keepForFile} from '../helpers/temp.js';
import {sleep} from '../helpers/time.js';
import {
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
