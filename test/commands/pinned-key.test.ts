/**
 * The domain's report key, pinned end to end on the built bundle: a passing drill of the
 * demo domain pins its key; its report verifies against the store, the domain file (--sd) and
 * --expect-key, and not against another domain's file; a forged report never counts; and a
 * substitute domain made with the real holders' certificates (`init --cert`) opens with the
 * real keys as the other domain it is — said before it could be pinned, and never passing as
 * the real one.
 */
import {generateKeyPairSync, sign} from 'node:crypto';
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import type {DrillReport} from '../../source/report/model.js';
import {signedBytes} from '../../source/report/proof.js';
import {fixturesDir} from '../helpers/paths.js';
import {cleanErrorProblems, runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';

const root = tempDir('pins');
const demo = join(fixturesDir, 'demo');
const demoSd = join(demo, 'security-domain.json');
const store = join(root, 'store');
const env = {SD_DRILL_CONFIG_DIR: store};
const HOLDERS = ['alice', 'bob', 'carol'];

function planFor(sd: string, name: string, extra: object = {}): string {
  const dir = join(root, name);
  const reports = join(dir, 'reports');
  const participants = HOLDERS.map((h) => {
    const pass = join(root, `${h}.pass`);
    writeFileSync(pass, `${h}-practice-only\n`, {mode: 0o600});
    return {
      custodian: `${h} custodian`,
      role: 'Key custodian',
      key: join(demo, 'sticks', h, `${h}.key`),
      passphraseFile: pass,
    };
  });
  const plan = join(root, `${name}.json`);
  writeFileSync(
    plan,
    JSON.stringify({
      domain: relative(root, sd),
      scenario: 'purged',
      participants,
      reportDir: reports,
      ...extra,
    }),
  );
  return plan;
}

function reportIn(dir: string): {file: string; report: DrillReport} {
  const name = readdirSync(dir).find((n) => n.endsWith('.json'));
  if (!name) throw new Error(`no report in ${dir}`);
  const file = join(dir, name);
  return {file, report: JSON.parse(readFileSync(file, 'utf8')) as DrillReport};
}

let real: {file: string; report: DrillReport};
let otherSd = '';

beforeAll(() => {
  // The first drill of the demo domain here; the plan's reviewer pins its key.
  const r = runCli(['drill', '--plan', planFor(demoSd, 'real', {pinFirstUse: true})], {env});
  expect(r.code, r.stdout + r.stderr).toBe(0);
  real = reportIn(join(root, 'real', 'reports'));
  // Another domain altogether, for --sd against the wrong file.
  const other = runCli([
    'init',
    '--out',
    join(root, 'other'),
    '--holders',
    '3',
    '--quorum',
    '2',
    '--no-passphrase',
    '--keys',
    '2',
    '--key-bits',
    '2048',
  ]);
  expect(other.code, other.stderr).toBe(0);
  otherSd = join(root, 'other', 'security-domain.json');
});

describe('a passing drill pins the domain key', () => {
  it('records the file digest, the key and how it was pinned in the signed report', () => {
    expect(real.report.verdict).toBe('pass');
    expect(real.report.scope.domain?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(real.report.identity).toMatchObject({pinnedBy: 'header', mismatch: null});
    const header = JSON.parse(readFileSync(demoSd, 'utf8')) as {domain: {reportKey: string}};
    expect(real.report.proof.signed && real.report.proof.publicKey).toBe(header.domain.reportKey);
  });

  it('report verify: 0 against the store and against --sd; 1 against another domain file', () => {
    expect(runCli(['report', 'verify', real.file], {env}).code).toBe(0);
    const empty = {SD_DRILL_CONFIG_DIR: join(root, 'empty-store')};
    const bySd = runCli(['report', 'verify', real.file, '--sd', demoSd], {env: empty});
    expect(bySd.code).toBe(0);
    expect(bySd.stdout).toContain("pinned by the domain file's header");
    expect(runCli(['report', 'verify', real.file], {env: empty}).code).toBe(1);
    const wrong = runCli(['report', 'verify', real.file, '--sd', otherSd], {env: empty});
    expect(wrong.code).toBe(1);
    expect(cleanErrorProblems(wrong.stderr)).toEqual([]);
    expect(wrong.stderr).toMatch(/a drill of another domain file/);
  });

  it('a forged report (participants changed, re-signed with a fresh key) exits 1; --expect-key of its own key exits 0', () => {
    const forged = structuredClone(real.report);
    (forged.participants[0] as {custodian: string}).custodian = 'Mallory';
    const {privateKey, publicKey} = generateKeyPairSync('ed25519');
    const raw = publicKey.export({format: 'der', type: 'spki'}).subarray(-32).toString('base64');
    forged.proof = {signed: true, algorithm: 'Ed25519', publicKey: raw, signature: ''};
    forged.proof = {
      ...forged.proof,
      signature: sign(null, signedBytes(forged), privateKey).toString('base64'),
    };
    const file = join(root, 'forged.json');
    writeFileSync(file, JSON.stringify(forged, null, 2));
    for (const args of [[], ['--sd', demoSd]]) {
      const r = runCli(['report', 'verify', file, ...args], {env});
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/the signature is valid but its key is not pinned/);
    }
    expect(runCli(['report', 'verify', file, '--expect-key', raw], {env}).code).toBe(0);
  });
});

describe('a substitute domain made with the real holders’ certificates', () => {
  it('is another domain, not "demo-hsm": said before it could be pinned, never pinned silently, and its report never passes as the real one', () => {
    const certs = ['alice', 'bob', 'carol', 'dave', 'erin'].flatMap((h) => [
      '--cert',
      join(demo, 'sticks', h, `${h}.cer`),
    ]);
    const made = runCli([
      'init',
      '--out',
      join(root, 'substitute'),
      ...certs,
      '--quorum',
      '3',
      '--keys',
      '2',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const sd = join(root, 'substitute', 'security-domain.json');
    // Holders are no domain's identity (two HSMs may share them): it opens, as its own domain…
    const r = runCli(['drill', '--plan', planFor(sd, 'sub')], {env});
    expect(r.code, r.stderr).toBe(0);
    // … and before anyone could pin it, what it looks like is said.
    expect(r.stdout).toMatch(
      /note: its holders' certificates also wrap "demo-hsm", a different domain pinned here under another key .*: if you meant that domain, this file is not it/,
    );
    expect(r.stdout).toMatch(/its key is NOT pinned/);
    const {file, report} = reportIn(join(root, 'sub', 'reports'));
    expect(report.identity).toMatchObject({recorded: false, firstPin: {pinned: false}});
    // Its report is signed with its own key: not pinned here, and never "demo-hsm"'s.
    const v = runCli(['report', 'verify', file], {env});
    expect(v.code).toBe(1);
    expect(cleanErrorProblems(v.stderr)).toEqual([]);
    expect(v.stderr).toMatch(/no domain pinned on this machine has this key/);
    const asReal = runCli(['report', 'verify', file, '--sd', demoSd], {env});
    expect(asReal.code).toBe(1);
    expect(asReal.stderr).toMatch(/a drill of another domain file/);
    // The real domain's record is untouched.
    expect(runCli(['report', 'verify', real.file], {env}).code).toBe(0);
  });
});

describe('reading pins creates no store', () => {
  it('verify and report verify on a machine with no store leave its config folder absent', () => {
    const home = tempDir('home');
    const env = {SD_DRILL_CONFIG_DIR: '', HOME: home, XDG_CONFIG_HOME: join(home, '.config')};
    const pass = join(root, 'alice-bob-carol.pass');
    writeFileSync(pass, HOLDERS.map((h) => `${h}-practice-only`).join('\n') + '\n');
    const keys = HOLDERS.flatMap((h) => ['--key', join(demo, 'sticks', h, `${h}.key`)]);
    expect(runCli(['verify', '--sd', demoSd, ...keys, '--passphrase-file', pass], {env}).code).toBe(
      0,
    );
    expect(runCli(['report', 'verify', real.file], {env}).code).toBe(1);
    expect(readdirSync(home)).toEqual([]);
  });
});
