/**
 * `sd-drill drill --plan FILE` on the built bundle: a scripted drill on the demo domain, its
 * report and history, and the refusals a reviewer of a plan relies on.
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {basename, join, relative} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import type {OpenedShare} from '../../source/domain/format.js';
import {openDomainFile} from '../../source/domain/open.js';
import {findCertificateBeside} from '../../source/domain/present-key.js';
import {fixturesDir} from '../helpers/paths.js';
import {
  cleanErrorProblems,
  lines,
  runCli,
  runCliAsync,
  type CliResult,
} from '../helpers/run-cli.js';
import {filesUnder} from '../helpers/files.js';
import {leaks, secret, verbatim, type Secret} from '../helpers/leaks.js';
import {tempDir} from '../helpers/temp.js';
import {parsePrivateKey} from '../../source/domain/key-file.js';

const demo = join(fixturesDir, 'demo');
const demoSd = join(demo, 'security-domain.json');
const HOLDERS = ['alice', 'bob', 'carol', 'dave', 'erin'] as const;
type Holder = (typeof HOLDERS)[number];
const keyOf = (h: Holder): string => join(demo, 'sticks', h, `${h}.key`);
const passOf = (h: Holder): string => `${h}-practice-only`;
const WRONG = 'certainly-not-carols-passphrase';

interface Participant {
  custodian: string;
  role: string;
  key: string;
  passphraseFile?: string;
}

interface Report {
  id: string;
  verdict: string;
  participants: Array<{custodian: string; outcome: string; passphraseFailures: number}>;
  timeline: Array<{step: string; durationMs: number}>;
  findings: Array<{rule: string; severity: string; evidence: string}>;
  proof: {signed: boolean; algorithm?: string; publicKey?: string; signature?: string};
}

interface PlannedDrill {
  dir: string;
  plan: string;
  config: string;
  reportDir: string;
  result: CliResult;
}

/**
 * Writes a plan in its own directory — passphrase files beside it, the domain and keys
 * named by paths relative to it — and runs it with its own store.
 */
function writePlan(
  participants: Array<{holder: Holder; custodian: string; role?: string; passphrase?: string}>,
  extra: Record<string, unknown> = {},
): {dir: string; plan: string; config: string; reportDir: string} {
  const dir = tempDir('plan');
  const list: Participant[] = participants.map((p, i) => {
    const passFile = `${i + 1}-${p.holder}.pass`;
    writeFileSync(join(dir, passFile), `${p.passphrase ?? passOf(p.holder)}\n`, {mode: 0o600});
    return {
      custodian: p.custodian,
      role: p.role ?? 'Key custodian',
      key: relative(dir, keyOf(p.holder)),
      passphraseFile: passFile,
    };
  });
  const plan = join(dir, 'plan.json');
  writeFileSync(
    plan,
    JSON.stringify(
      {
        domain: relative(dir, demoSd),
        scenario: 'purged',
        participants: list,
        reportDir: 'reports',
        ...extra,
      },
      null,
      2,
    ),
  );
  return {dir, plan, config: join(dir, 'config'), reportDir: join(dir, 'reports')};
}

async function runPlan(
  participants: Parameters<typeof writePlan>[0],
  extra?: Record<string, unknown>,
): Promise<PlannedDrill> {
  const p = writePlan(participants, extra);
  const result = await runCliAsync(['drill', '--plan', p.plan], {
    env: {SD_DRILL_CONFIG_DIR: p.config},
  });
  return {...p, result};
}

function reportOf(d: PlannedDrill): {json: string; md: string; report: Report} {
  const names = existsSync(d.reportDir) ? readdirSync(d.reportDir) : [];
  const json = names.filter((n) => n.endsWith('.json'));
  const md = names.filter((n) => n.endsWith('.md'));
  expect(json, `reports in ${d.reportDir}`).toHaveLength(1);
  expect(md, `reports in ${d.reportDir}`).toHaveLength(1);
  const file = join(d.reportDir, json[0] as string);
  return {
    json: file,
    md: join(d.reportDir, md[0] as string),
    report: JSON.parse(readFileSync(file, 'utf8')) as Report,
  };
}

/**
 * The secret material of the demo domain, worked out here in-process: the shares the
 * participants opened and the reconstructed domain key, as text, hex and base64; and every
 * line of the private keys' PEM bodies.
 */
function demoSecrets(): string[] {
  const opened = openDomainFile(demoSd);
  if (!opened.ok) throw opened.error;
  const shares: OpenedShare[] = [];
  for (const h of HOLDERS) {
    const key = parsePrivateKey(keyOf(h), readFileSync(keyOf(h)), Buffer.from(passOf(h)));
    if (!key.ok) throw key.error;
    const {certificate} = findCertificateBeside(keyOf(h));
    const share = opened.value.domain.openShare({
      key: key.value,
      ...(certificate ? {certificate} : {}),
    });
    if (!share.ok) throw share.error;
    shares.push(share.value);
  }
  const rec = opened.value.domain.reconstruct(shares.slice(0, 3));
  if (!rec.ok) throw rec.error;
  const buffers = [rec.value.secret, ...shares.map((s) => s.secret)];
  const forms = buffers.flatMap((b) => {
    const text = b.toString('latin1');
    return [
      b.toString('hex'),
      b.toString('base64'),
      b.toString('base64url'),
      ...(/^[\x20-\x7e]+$/.test(text) ? [text] : []),
    ];
  });
  const pemLines = HOLDERS.flatMap((h) =>
    readFileSync(keyOf(h), 'utf8')
      .split('\n')
      .filter((l) => l.length >= 40 && !l.startsWith('-----')),
  );
  return [...forms.filter((f) => f.length >= 16), ...pemLines];
}

/** The words no output may hold (passphrases, a PEM marker) and the demo's secret material. */
function secretsOf(material: string[]): Secret[] {
  return [
    ...HOLDERS.map((h) => secret(`${h}'s passphrase`, passOf(h))),
    secret('the mistyped passphrase', WRONG),
    verbatim('PRIVATE KEY'),
    ...material.map((m) => verbatim(m, `secret material ${m.slice(0, 12)}…`)),
  ];
}

describe('sd-drill drill --plan', () => {
  let pass: PlannedDrill;
  let short: PlannedDrill;
  let oneCustodian: PlannedDrill;
  let mistyped: PlannedDrill;

  beforeAll(async () => {
    // Four independent drills, each with its own plan, store and report directory.
    [pass, short, oneCustodian, mistyped] = await Promise.all([
      // The reviewer of this plan decided to pin the domain's key at its first pass here.
      runPlan(
        [
          {holder: 'alice', custodian: 'Alice Ng', role: 'Security Architect'},
          {holder: 'bob', custodian: 'Bob Brown', role: 'Operations'},
          {holder: 'carol', custodian: 'Carol Chu', role: 'Audit'},
        ],
        {pinFirstUse: true},
      ),
      runPlan([
        {holder: 'alice', custodian: 'Alice Ng'},
        {holder: 'bob', custodian: 'Bob Brown'},
      ]),
      runPlan([
        {holder: 'alice', custodian: 'Mallory Max'},
        {holder: 'bob', custodian: 'Mallory Max'},
        {holder: 'carol', custodian: 'Mallory Max'},
      ]),
      runPlan([
        {holder: 'alice', custodian: 'Alice Ng'},
        {holder: 'bob', custodian: 'Bob Brown'},
        {holder: 'carol', custodian: 'Carol Chu', passphrase: WRONG},
      ]),
    ]);
  }, 120_000);

  it('passes with 3 of 5: exit 0, a signed report with participants, timeline and findings', () => {
    expect(pass.result.stderr).toBe('');
    expect(pass.result.code).toBe(0);
    expect(lines(pass.result.stdout).slice(0, 7)).toEqual([
      'Alice Ng: share of holder 1 (alice) accepted',
      'Bob Brown: share of holder 2 (bob) accepted',
      'Carol Chu: share of holder 3 (carol) accepted',
      'First use: no key was on record here for "demo-hsm"; its key is pinned, as the plan says ("pinFirstUse": true):',
      expect.stringMatching(
        /^ {2}domain file .*security-domain\.json \(native\), sha256 [0-9a-f]{64}$/,
      ),
      expect.stringMatching(
        /^ {2}report key [A-Za-z0-9+/]{43}= \(the key its file's header carries\)$/,
      ),
      expect.stringMatching(/^Drill pass: /),
    ]);
    const {report, md} = reportOf(pass);
    expect(report.verdict).toBe('pass');
    expect(report.participants.map((p) => [p.custodian, p.outcome])).toEqual([
      ['Alice Ng', 'accepted'],
      ['Bob Brown', 'accepted'],
      ['Carol Chu', 'accepted'],
    ]);
    expect(report.timeline.length).toBeGreaterThanOrEqual(5);
    for (const step of report.timeline) {
      expect(typeof step.durationMs, step.step).toBe('number');
      expect(step.durationMs, step.step).toBeGreaterThanOrEqual(0);
    }
    expect(report.timeline.map((s) => s.step)).toEqual(
      expect.arrayContaining(['load', 'collect', 'reconstruct', 'restore']),
    );
    expect(Array.isArray(report.findings)).toBe(true);
    expect(report.proof).toMatchObject({signed: true, algorithm: 'Ed25519'});
    expect(report.proof.signature).toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/);
    expect(pass.result.stdout).toContain(md);
  });

  it('writes a report that `report verify` accepts, and refuses a copy with a name changed', () => {
    const {json, report} = reportOf(pass);
    const env = {SD_DRILL_CONFIG_DIR: pass.config};
    const ok = runCli(['report', 'verify', json], {env});
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('signature valid');

    const copy = join(tempDir('plan-tampered'), basename(json));
    const changed = JSON.parse(readFileSync(json, 'utf8')) as Report;
    (changed.participants[1] as {custodian: string}).custodian = 'Someone Else';
    writeFileSync(copy, JSON.stringify(changed, null, 2));
    const bad = runCli(['report', 'verify', copy], {env});
    expect(bad.code).toBe(1);
    expect(cleanErrorProblems(bad.stderr)).toEqual([]);
    expect(bad.stderr).toContain(copy);
    expect(report.id).toBeTruthy();
  });

  it('records the drill in history (same store)', () => {
    const {report} = reportOf(pass);
    const h = runCli(['history', '--json'], {env: {SD_DRILL_CONFIG_DIR: pass.config}});
    expect(h.code).toBe(0);
    const doc = JSON.parse(h.stdout) as {drills: Array<{id: string; verdict: string}>};
    expect(doc.drills).toEqual([expect.objectContaining({id: report.id, verdict: 'pass'})]);
  });

  it('fails with only 2 of the 3 required: exit 1, report verdict fail', () => {
    expect(short.result.code).toBe(1);
    expect(short.result.stdout).toMatch(/^Drill fail: quorum cannot be met/m);
    const {report} = reportOf(short);
    expect(report.verdict).toBe('fail');
    expect(report.proof.signed).toBe(false);
  });

  it('finds one custodian holding the whole quorum', () => {
    const {report} = reportOf(oneCustodian);
    const f = report.findings.filter((x) => x.rule === 'custodian-holds-quorum');
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toContain('Mallory Max');
  });

  it('fails on a wrong passphrase for one of three, with a passphrase-failures finding', () => {
    expect(mistyped.result.code).toBe(1);
    const {report} = reportOf(mistyped);
    expect(report.verdict).toBe('fail');
    const carol = report.participants.find((p) => p.custodian === 'Carol Chu');
    expect(carol?.passphraseFailures).toBe(1);
    // The operator is told why on the spot, not only in the report.
    expect(mistyped.result.stdout).toMatch(
      /^Carol Chu: no share taken — Wrong passphrase for carol\.key on stick carol\.$/m,
    );
    expect(mistyped.result.stdout).not.toContain(WRONG);
    expect(report.findings.map((x) => x.rule)).toContain('passphrase-failures');
  });

  it('puts no passphrase, private key or domain secret in a report or the store', () => {
    const material = demoSecrets();
    expect(material.length).toBeGreaterThan(10);
    const secrets = secretsOf(material);
    const files = [pass, short, oneCustodian, mistyped].flatMap((d) => [
      ...filesUnder(d.reportDir),
      ...filesUnder(d.config),
    ]);
    expect(files.filter((f) => f.endsWith('.md'))).toHaveLength(4);
    expect(files.some((f) => f.startsWith(pass.config))).toBe(true);
    for (const f of files) expect(leaks(readFileSync(f, 'utf8'), secrets), f).toEqual([]);
    for (const d of [pass, short, oneCustodian, mistyped])
      expect(leaks(d.result.stdout + d.result.stderr, secrets)).toEqual([]);
  });

  it('refuses a plan with an unknown field: exit 2, one clean line, nothing written', () => {
    const p = writePlan([{holder: 'alice', custodian: 'Alice Ng'}], {approvedBy: 'Eve'});
    const r = runCli(['drill', '--plan', p.plan], {env: {SD_DRILL_CONFIG_DIR: p.config}});
    expect(r.code).toBe(2);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toContain('approvedBy');
    expect(r.stderr).toContain(p.plan);
    expect(existsSync(p.reportDir)).toBe(false);
  });

  it('refuses a plan naming a key that does not exist: exit 2, naming the file', () => {
    const p = writePlan([
      {holder: 'alice', custodian: 'Alice Ng'},
      {holder: 'bob', custodian: 'Bob Brown'},
      {holder: 'carol', custodian: 'Carol Chu'},
    ]);
    const plan = JSON.parse(readFileSync(p.plan, 'utf8')) as {participants: Participant[]};
    const gone = join(tempDir('plan-nokey'), 'sticks', 'carol', 'carol.key');
    mkdirSync(join(gone, '..'), {recursive: true});
    (plan.participants[2] as Participant).key = relative(p.dir, gone);
    writeFileSync(p.plan, JSON.stringify(plan));
    const r = runCli(['drill', '--plan', p.plan], {env: {SD_DRILL_CONFIG_DIR: p.config}});
    expect(r.code).toBe(2);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toContain(gone);
    expect(existsSync(p.reportDir)).toBe(false);
  });

  it('refuses the interactive drill without a terminal, pointing to --plan', () => {
    const config = tempDir('plan-notty');
    const r = runCli(['drill', '--sd', demoSd], {env: {SD_DRILL_CONFIG_DIR: config}, input: ''});
    expect(r.code).toBe(2);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toContain('--plan');
  });

  it('refuses restore-blob options that would write nothing, before anything starts', () => {
    const config = tempDir('plan-blobopts');
    const env = {env: {SD_DRILL_CONFIG_DIR: config}, input: ''};
    const cases: Array<[string[], RegExp]> = [
      [['--restore-blob-out', 'x.json'], /--restore-blob-out needs --exchange-key CERT/],
      [
        ['--mode', 'rehearsal', '--exchange-key', 'x.pem', '--restore-blob-out', 'x.json'],
        /--exchange-key is for --mode restore/,
      ],
      [['--exchange-key', 'x.pem'], /--exchange-key needs --restore-blob-out FILE/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['drill', '--sd', demoSd, ...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(cleanErrorProblems(r.stderr)).toEqual([]);
      expect(r.stderr).toMatch(message);
    }
  });

  it('lists every command in --help', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    const commands = lines(r.stdout)
      .map((l) => /^ {2}([a-z-]+)\b/.exec(l)?.[1])
      .filter(Boolean);
    expect(commands).toEqual(
      expect.arrayContaining([
        'drill',
        'init',
        'keygen',
        'verify',
        'restore-blob',
        'media',
        'history',
      ]),
    );
  });
});
