/**
 * The TUI ceremony (a real pty through tmux) interrupted from outside: SIGTERM, SIGINT and the
 * terminal closing, at the start, with a share held, mid-passphrase and at the report. Each
 * time: exit 1 (or the report screen's own), no report before a domain is loaded, one whole
 * "aborted" report pair once shares were held, the history intact, nothing secret anywhere.
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {leaksOnScreen} from '../helpers/leaks.js';
import {sdDrillPids} from '../helpers/processes.js';
import type {Pane} from '../helpers/tmux.js';
import {
  exitCode,
  identify,
  insert,
  present as presentAt,
  startApp,
  toCollect,
  toReport,
  tuiSuite,
} from '../helpers/tui.js';
import {
  copyDemo,
  demoPassphrase,
  DRILL_SECRETS as passphrases,
  leaksInFiles,
  secret,
  tmp,
  type HistoryJson,
  type ReportJson,
} from './kit.js';

tuiSuite('the TUI ceremony signalled from outside', {needsProc: true}, () => {
  /** The drill on a copy of the demo, its report folder made (a test lists it). */
  function start(): {p: Pane; reports: string; config: string} {
    const demo = tmp('tui-demo');
    copyDemo(demo);
    return startApp(
      'hardening',
      ['drill', '--sd', join(demo, 'security-domain.json'), '--media', join(demo, 'sticks')],
      {makeReports: true},
    );
  }

  const present = (p: Pane, holder: string): Promise<void> =>
    presentAt(p, holder, `${holder} custodian`, 'holder', {passphrase: demoPassphrase(holder)});

  function signalApp(reports: string, signal: NodeJS.Signals): void {
    // The report folder, a unique temporary path, picks out this test's app.
    const pid = sdDrillPids([reports])[0];
    expect(pid, 'the sd-drill process').toBeDefined();
    process.kill(pid as number, signal);
  }

  function reportsIn(dir: string): ReportJson[] {
    const names = readdirSync(dir);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(names.filter((n) => n.endsWith('.md')).length).toBe(
      names.filter((n) => n.endsWith('.json')).length,
    );
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as ReportJson);
  }

  function noLeaks(p: Pane, dirs: string[], extra: string[] = []): void {
    p.capture({history: true});
    const all = [...passphrases, ...extra.map((e) => secret('typed passphrase', e))];
    expect(p.frames.flatMap((f) => leaksOnScreen(f, all))).toEqual([]);
    expect(leaksInFiles(dirs, all)).toEqual([]);
  }

  it('SIGTERM at the start screen: exit 1, no report (no domain was loaded)', async () => {
    const {p, reports, config} = start();
    await p.waitFor('What is this session for?');
    signalApp(reports, 'SIGTERM');
    expect(await exitCode(p)).toBe('1');
    expect(reportsIn(reports)).toEqual([]);
    expect(existsSync(join(config, 'history.json'))).toBe(false);
  }, 60_000);

  it('SIGTERM in collect with a share held: the share wiped, an "aborted" report, exit 1', async () => {
    const {p, reports, config} = start();
    await toCollect(p);
    await present(p, 'alice');
    await p.waitFor('1 of 3');
    signalApp(reports, 'SIGTERM');
    expect(await exitCode(p)).toBe('1');
    const [report, ...more] = reportsIn(reports);
    expect(more).toEqual([]);
    expect(report).toMatchObject({verdict: 'aborted'});
    expect(report?.verdictReason).toContain('interrupted by SIGTERM');
    expect(report?.participants.map((x) => x.custodian)).toContain('alice custodian');
    const history = JSON.parse(readFileSync(join(config, 'history.json'), 'utf8')) as HistoryJson;
    expect(history.drills).toEqual([expect.objectContaining({id: report?.id, verdict: 'aborted'})]);
    noLeaks(p, [reports, config]);
  }, 90_000);

  it('SIGINT from outside mid-passphrase (typed, not entered): aborted, the typed text nowhere', async () => {
    const {p, reports, config} = start();
    await toCollect(p);
    await present(p, 'alice');
    await insert(p, 'bob');
    await identify(p, 'bob custodian', 'holder');
    await p.waitFor(/Passphrase: ▌/);
    const typed = 'half-typed-secret-9e1';
    await p.text(typed);
    await p.waitFor(`Passphrase: ${'•'.repeat(typed.length)}▌`);
    signalApp(reports, 'SIGINT');
    expect(await exitCode(p)).toBe('1');
    const [report, ...more] = reportsIn(reports);
    expect(more).toEqual([]);
    expect(report).toMatchObject({verdict: 'aborted'});
    expect(report?.verdictReason).toContain('interrupted by SIGINT');
    noLeaks(p, [reports, config], [typed]);
  }, 90_000);

  it('the terminal closed (SIGHUP) with a share held: an "aborted" report all the same', async () => {
    const {p, reports, config} = start();
    await toCollect(p);
    await present(p, 'alice');
    await p.waitFor('1 of 3');
    // The terminal closes, and the app, told by SIGHUP, writes its report before it goes.
    await p.close();
    const [report, ...more] = reportsIn(reports);
    expect(more).toEqual([]);
    expect(report).toMatchObject({verdict: 'aborted'});
    expect(report?.verdictReason).toContain('interrupted by SIGHUP');
    expect(leaksInFiles([reports, config], passphrases)).toEqual([]);
  }, 90_000);

  it('SIGTERM at the report screen of a passing drill: still one report, one history record', async () => {
    const {p, reports, config} = start();
    await toCollect(p);
    for (const h of ['alice', 'bob', 'carol']) await present(p, h);
    await toReport(p);
    signalApp(reports, 'SIGTERM');
    expect(await exitCode(p)).toBe('1');
    const [report, ...more] = reportsIn(reports);
    expect(more).toEqual([]);
    expect(report?.verdict).toBe('pass');
    const history = JSON.parse(readFileSync(join(config, 'history.json'), 'utf8')) as HistoryJson;
    expect(history.drills.map((d) => d.id)).toEqual([report?.id]);
    expect(statSync(join(config, 'history.json')).mode & 0o777).toBe(0o600);
    noLeaks(p, [reports, config]);
  }, 120_000);
});
