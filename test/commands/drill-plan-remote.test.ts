/**
 * A plan with a holder at another site, on the built bundle: the runner writes the request,
 * a separate process (the remote holder's machine) runs `sd-drill contribute` when it appears
 * and renames the contribution into place, and the drill counts it. Two local holders and one
 * remote make the quorum of three; the report verifies with the plan's store.
 */
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {bundle, fixturesDir} from '../helpers/paths.js';
import {cleanErrorProblems, lines, runCliAsync, type CliResult} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';
import {codeOf} from '../remote/kit.js';

const demo = join(fixturesDir, 'demo');
const demoSd = join(demo, 'security-domain.json');
const keyOf = (h: string): string => join(demo, 'sticks', h, `${h}.key`);

interface RemotePlan {
  dir: string;
  plan: string;
  config: string;
  request: string;
  contribution: string;
  reports: string;
}

function writeRemotePlan(label: string, timeoutSeconds = 120, extra: object = {}): RemotePlan {
  const dir = tempDir(label);
  mkdirSync(join(dir, 'exchange'));
  const participants = ['alice', 'bob'].map((h) => {
    writeFileSync(join(dir, `${h}.pass`), `${h}-practice-only\n`, {mode: 0o600});
    return {custodian: h, role: 'Key custodian', key: keyOf(h), passphraseFile: `${h}.pass`};
  });
  writeFileSync(join(dir, 'carol.pass'), 'carol-practice-only\n', {mode: 0o600});
  const plan = join(dir, 'plan.json');
  const remote = {
    holder: 3,
    request: 'exchange/request-3.json',
    contribution: 'exchange/contribution-3.json',
    timeoutSeconds,
  };
  writeFileSync(
    plan,
    JSON.stringify({
      domain: demoSd,
      scenario: 'purged',
      participants,
      remote: [remote],
      reportDir: 'reports',
      ...extra,
    }),
  );
  return {
    dir,
    plan,
    config: join(dir, 'config'),
    request: join(dir, 'exchange', 'request-3.json'),
    contribution: join(dir, 'exchange', 'contribution-3.json'),
    reports: join(dir, 'reports'),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function appears(file: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (existsSync(file)) return;
    await sleep(50);
  }
  throw new Error(`${file} never appeared`);
}

/** Carol, at her own machine: answers the request when it appears, renames the answer in. */
async function carolAnswers(p: RemotePlan, key = keyOf('carol')): Promise<CliResult> {
  await appears(p.request);
  const machine = join(p.dir, 'carol-machine');
  mkdirSync(machine, {recursive: true});
  const out = join(machine, 'contribution.json');
  const r = await runCliAsync([
    'contribute',
    '--request',
    p.request,
    '--sd',
    demoSd,
    '--key',
    key,
    '--passphrase-file',
    join(p.dir, key.includes('carol') ? 'carol.pass' : 'bob.pass'),
    '--out',
    out,
    '--expect-code',
    codeOf(p.request),
    '--json',
  ]);
  if (r.code === 0) renameSync(out, p.contribution);
  return r;
}

function reportOf(p: RemotePlan): {file: string; report: Record<string, unknown>} {
  const json = readdirSync(p.reports).filter((n) => n.endsWith('.json'));
  expect(json).toHaveLength(1);
  const file = join(p.reports, json[0] as string);
  return {file, report: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>};
}

describe('drill --plan with a holder at another site', () => {
  it('two local holders and one remote pass, and the report verifies', async () => {
    const p = writeRemotePlan('remote-plan-pass', 120, {pinFirstUse: true});
    const env = {SD_DRILL_CONFIG_DIR: p.config};
    const [drill, carol] = await Promise.all([
      runCliAsync(['drill', '--plan', p.plan], {env}),
      carolAnswers(p),
    ]);
    expect(carol.code, carol.stderr).toBe(0);
    const answered = JSON.parse(carol.stdout) as {code: string; sha256: string};
    expect(drill.code, drill.stdout + drill.stderr).toBe(0);
    const out = lines(drill.stdout);
    // The code the runner printed is the one `contribute` showed the holder.
    expect(out).toContain(
      `holder 3 (remote): request written to ${p.request}, code ${answered.code}`,
    );
    expect(out).toContain('holder 3 (carol), remote: contribution accepted');
    const {file, report} = reportOf(p);
    expect(report.verdict).toBe('pass');
    const carolRow = (report.participants as Array<Record<string, unknown>>).find(
      (x) => x.holderIndex === 3,
    );
    expect(carolRow).toMatchObject({
      remote: true,
      outcome: 'accepted',
      contribution: {sha256: answered.sha256},
    });
    const alice = (report.participants as Array<Record<string, unknown>>).find(
      (x) => x.holderIndex === 1,
    );
    expect(alice?.remote).toBeUndefined();
    const verified = await runCliAsync(['report', 'verify', file], {env});
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const bySd = await runCliAsync(['report', 'verify', file, '--sd', demoSd], {env});
    expect(bySd.code, bySd.stdout + bySd.stderr).toBe(0);
  });

  it('a refused or missing contribution leaves the quorum short: exit 1', async () => {
    const damaged = writeRemotePlan('remote-plan-damaged');
    const missing = writeRemotePlan('remote-plan-missing', 1);
    const [d, m] = await Promise.all([
      runCliAsync(['drill', '--plan', damaged.plan], {env: {SD_DRILL_CONFIG_DIR: damaged.config}}),
      runCliAsync(['drill', '--plan', missing.plan], {env: {SD_DRILL_CONFIG_DIR: missing.config}}),
      (async () => {
        await appears(damaged.request);
        const staged = join(damaged.dir, 'staged.json');
        writeFileSync(staged, '{"contribution":"sd-drill.remote-contribution/1","oops":1}\n');
        renameSync(staged, damaged.contribution);
      })(),
    ]);
    expect(d.code, d.stdout + d.stderr).toBe(1);
    expect(d.stdout).toMatch(/holder 3 \(remote\): no share taken — .*is damaged or was altered/);
    expect(reportOf(damaged).report.verdict).toBe('fail');
    expect(m.code, m.stdout + m.stderr).toBe(1);
    expect(m.stdout).toContain(
      `holder 3 (remote): no share taken — no contribution at ${missing.contribution} within 1 s`,
    );
    expect(reportOf(missing).report.verdict).toBe('fail');
  });

  it('SIGTERM while waiting ends the drill as aborted, with its report', async () => {
    const p = writeRemotePlan('remote-plan-term');
    const child = spawn(process.execPath, [bundle, 'drill', '--plan', p.plan], {
      env: {...process.env, SD_DRILL_CONFIG_DIR: p.config, NO_COLOR: '1', CI: '1'},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Both local holders have presented: the runner is waiting for the remote one.
    for (let i = 0; i < 1200 && !stdout.includes('share of holder 2'); i++) await sleep(50);
    expect(stdout).toMatch(/bob: share of holder 2 \(bob\) accepted/);
    child.kill('SIGTERM');
    expect(await exited).toBe(1);
    expect(stdout).toContain('Drill aborted: interrupted by SIGTERM');
    expect(reportOf(p).report.verdict).toBe('aborted');
  });

  it('refuses a plan whose request is already there, or a holder both absent and remote: exit 2', async () => {
    const stale = writeRemotePlan('remote-plan-stale');
    writeFileSync(stale.request, '{}');
    const both = writeRemotePlan('remote-plan-both', 60, {absent: [3]});
    const [s, b] = await Promise.all([
      runCliAsync(['drill', '--plan', stale.plan], {env: {SD_DRILL_CONFIG_DIR: stale.config}}),
      runCliAsync(['drill', '--plan', both.plan], {env: {SD_DRILL_CONFIG_DIR: both.config}}),
    ]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain(`${stale.request} already exists`);
    expect(cleanErrorProblems(s.stderr)).toEqual([]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('holder 3 is both absent and remote');
  });

  it('contribute with another holder’s key, or for another domain file: exit 1, one line', async () => {
    const p = writeRemotePlan('remote-plan-wrong-key', 2);
    const drill = runCliAsync(['drill', '--plan', p.plan], {env: {SD_DRILL_CONFIG_DIR: p.config}});
    const bob = await carolAnswers(p, keyOf('bob'));
    expect(bob.code).toBe(1);
    expect(bob.stderr).toMatch(
      /is the key of holder 2 \(bob\), but the request is for holder 3 \(carol\)/,
    );
    expect(cleanErrorProblems(bob.stderr)).toEqual([]);
    const azure = await runCliAsync([
      'contribute',
      '--request',
      p.request,
      '--sd',
      join(fixturesDir, 'azure', 'security-domain.json'),
      '--key',
      join(fixturesDir, 'azure', 'holders', 'holder1.pem'),
      '--out',
      join(p.dir, 'never.json'),
      '--expect-code',
      codeOf(p.request),
    ]);
    expect(azure.code).toBe(1);
    expect(azure.stderr).toMatch(/is for another security-domain file/);
    expect(existsSync(join(p.dir, 'never.json'))).toBe(false);
    expect((await drill).code).toBe(1);
  });
});
