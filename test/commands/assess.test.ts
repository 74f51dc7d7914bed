/**
 * `sd-drill assess` on the built bundle: each case the domain document distinguishes — nothing
 * lost, fewer than a quorum of sticks (rotate now, with the command), the file lost or exposed,
 * a quorum of sticks, and fewer than a quorum of holders left (crypto lockout) — each recorded
 * in the custody log; and the bad inputs, each one clear line and exit 2.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {fixturesDir} from '../helpers/paths.js';
import {cleanErrorProblems, runCli} from '../helpers/run-cli.js';
import {keepForFile, tempDir} from '../helpers/temp.js';

const DEMO = join(fixturesDir, 'demo', 'security-domain.json');
const BOB = '26a0188a4e474368e03e1995135d0929402bf0bad0a19b94a791879aeaf3337f';

interface Json {
  verdict: string;
  lost: Array<{holder: number; identifiedBy: string; custodian: string | null}>;
  fileExposed: boolean;
  remaining: number[];
  lockout: boolean;
  compromisedBecause: string[];
  why: string;
  next: string[];
  rotate: string | null;
  recorded: Array<{from: string; to: string; fingerprint: string | null; note: string | null}>;
}

function assess(args: string[], env = {SD_DRILL_CONFIG_DIR: tempDir('assess-store')}) {
  const r = runCli(['assess', ...args], {env});
  return {...r, env};
}

function json(args: string[], env?: {SD_DRILL_CONFIG_DIR: string}): Json {
  const r = assess([...args, '--json'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Json;
}

const custody = (env: {SD_DRILL_CONFIG_DIR: string}) =>
  (
    JSON.parse(runCli(['custody', 'list', '--json'], {env}).stdout) as {
      custody: Json['recorded'];
    }
  ).custody;

describe('sd-drill assess', () => {
  it('nothing lost: no action, and the assessment is still recorded', () => {
    const r = assess(['--sd', DEMO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Verdict: NOTHING LOST — no action needed$/m);
    expect(r.stdout).toMatch(/Left: 5 of 5 holders .*; the quorum is 3\.$/m);
    expect(custody(r.env).map((c) => [c.from, c.to])).toEqual([['sd-drill assess', 'no loss']]);
  });

  it('one stick lost, the file safe: rotate now, with the rotate command for the remaining holders', () => {
    const r = assess(['--sd', DEMO, '--lost', 'Bob']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Lost: holder 2 \(bob\) — "Bob" matched by holder name \(the file\)$/m,
    );
    expect(r.stdout).toMatch(/^Verdict: ROTATE NOW/m);
    expect(r.stdout).toContain(
      `sd-drill rotate --sd ${DEMO} --key <alice.key> --key <carol.key> --key <dave.key> --passphrase-file <their-passphrases.txt> --cert <alice.cer> --cert <carol.cer> --cert <dave.cer> --cert <erin.cer> --cert <new-holder-1.cer> --quorum 3 --out ${join(fixturesDir, 'demo', 'security-domain-gen2.json')}`,
    );
    expect(r.stdout).toMatch(/whoever has it still needs a copy of the file and 2 more keys/);
    const log = custody(r.env);
    expect(log.map((c) => [c.from, c.to, c.fingerprint])).toEqual([
      ['custodian of holder 2 (bob)', 'lost (reported)', BOB],
      ['sd-drill assess', 'rotate now', null],
    ]);
    expect(log[0]?.note).toMatch(/reported lost; assess verdict: rotate$/);
  });

  it('names a holder by number, by fingerprint prefix (colons allowed) or by the registry’s custodian', () => {
    const env = {SD_DRILL_CONFIG_DIR: tempDir('assess-registry')};
    const reg = runCli(
      ['holders', 'register', '--fingerprint', BOB, '--custodian', 'Bob Li', '--role', 'SRE'],
      {env},
    );
    expect(reg.code).toBe(0);
    const byCustodian = json(['--sd', DEMO, '--lost', 'bob  li'], env);
    expect(byCustodian.lost).toEqual([
      expect.objectContaining({holder: 2, identifiedBy: 'custodian', custodian: 'Bob Li'}),
    ]);
    const prefix = BOB.slice(0, 10)
      .replace(/(..)(?=.)/g, '$1:')
      .toUpperCase();
    const byPrint = json(['--sd', DEMO, '--lost', prefix, '--lost', '2'], env);
    // Two names for one stick count once.
    expect(byPrint.lost.map((l) => [l.holder, l.identifiedBy])).toEqual([[2, 'fingerprint']]);
    expect(byPrint.verdict).toBe('rotate');
    // The registry's custodian is who the custody log names.
    expect(custody(env)[0]).toMatchObject({from: 'Bob Li', to: 'lost (reported)'});
  });

  it('shows the separation findings from the registry beside the verdict', () => {
    const env = {SD_DRILL_CONFIG_DIR: tempDir('assess-separation')};
    const sd = JSON.parse(readFileSync(DEMO, 'utf8')) as {
      holders: Array<{certFingerprint: string}>;
    };
    for (const h of sd.holders.slice(2))
      runCli(
        [
          'holders',
          'register',
          '--fingerprint',
          h.certFingerprint,
          '--custodian',
          h.certFingerprint.slice(0, 6),
        ].concat(['--role', 'SRE', '--location', 'HQ vault']),
        {env},
      );
    const r = assess(['--sd', DEMO, '--lost', '1'], env);
    expect(r.stdout).toMatch(
      /✗ quorum-at-one-site: The holder registry puts 3 of this domain's keys at "HQ vault"/,
    );
    expect(r.stdout).toMatch(
      /! roles-not-separate: The holder registry gives 3 of this domain's holders the one role "SRE"/,
    );
    const a = JSON.parse(assess(['--sd', DEMO, '--json'], env).stdout) as {
      separation: Array<{rule: string}>;
    };
    expect(a.separation.map((f) => f.rule)).toEqual(['quorum-at-one-site', 'roles-not-separate']);
  });

  it('the file exposed, no stick lost: compromised, because a lost file counts as compromise', () => {
    const a = json(['--sd', DEMO, '--file-exposed']);
    expect(a.verdict).toBe('compromised');
    expect(a.compromisedBecause).toEqual(['file']);
    expect(a.rotate).toBeNull();
    expect(a.why).toContain('"A lost security domain is considered compromised."');
    expect(a.why).toMatch(/It still needs 3 keys, but you no longer control who tries/);
    expect(a.next[0]).toMatch(/compromise runbook/);
    expect(a.recorded.map((c) => c.to)).toEqual(['lost or exposed (reported)', 'compromised']);
  });

  it('the bag: the file and two sticks: compromised, and the new domain never wraps to the lost keys', () => {
    const r = assess(['--sd', DEMO, '--file-exposed', '--lost', '2', '--lost', 'carol']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Verdict: COMPROMISED/m);
    expect(r.stdout).toContain(`sd-drill drill --mode compromise --sd ${DEMO} --lost 2 --lost 3`);
    expect(r.stdout).toMatch(
      /Never wrap the new security domain to a lost key \(holder 2 \(bob\), holder 3 \(carol\)\)/,
    );
    expect(custody(r.env).map((c) => c.to)).toEqual([
      'lost (reported)',
      'lost (reported)',
      'lost or exposed (reported)',
      'compromised',
    ]);
  });

  it('a quorum of sticks lost, the file safe: compromised', () => {
    const a = json(['--sd', DEMO, '--lost', '1', '--lost', '2', '--lost', '3']);
    expect(a.verdict).toBe('compromised');
    expect(a.compromisedBecause).toEqual(['quorum-of-keys']);
    expect(a.why).toMatch(/3 sticks lost .*: that reaches the quorum of 3/);
    expect(a.lockout).toBe(true);
    expect(a.why).toMatch(/Only 2 holders are left, fewer than the quorum of 3: .*crypto lockout/);
  });

  describe('fewer than a quorum of holders left', () => {
    let sd = '';
    beforeAll(() => {
      const dir = keepForFile(tempDir('assess-3of4'));
      const made = runCli(
        ['init', '--out', dir, '--holders', '4', '--quorum', '3', '--keys', '0'].concat([
          '--key-bits',
          '2048',
          '--no-passphrase',
        ]),
        {env: {SD_DRILL_CONFIG_DIR: join(dir, 'store')}, timeout: 120_000},
      );
      expect(made.code).toBe(0);
      sd = join(dir, 'security-domain.json');
    }, 120_000);

    it('two of a 3-of-4 domain lost: below the quorum, so no rotation is possible — compromised, crypto lockout risk', () => {
      const r = assess(['--sd', sd, '--lost', '1', '--lost', '2']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/BELOW THE QUORUM: crypto lockout risk/);
      expect(r.stdout).toMatch(/^Verdict: COMPROMISED/m);
      expect(r.stdout).toMatch(/it needs a quorum of the old keys to open the domain first/);
      expect(r.stdout).not.toMatch(/sd-drill rotate/);
      const a = json(['--sd', sd, '--lost', '1', '--lost', '2']);
      expect(a.compromisedBecause).toEqual(['below-quorum']);
      // One lost of the same domain is still a rotation: 3 remain.
      expect(json(['--sd', sd, '--lost', '4']).verdict).toBe('rotate');
    });
  });

  describe('bad input: one line, exit 2, nothing recorded', () => {
    it.each([
      [
        ['--lost', 'zed'],
        /--lost zed: .*no holder of it is called that.*\(holder 1 \(alice\), .*holder 5 \(erin\)\); name a lost stick by its holder: the number the domain gives them \(1 to 5\)/,
      ],
      [['--lost', '6'], /--lost 6: .* has holders 1 to 5/],
      [['--lost', 'deadbeef00'], /--lost deadbeef00: .*no certificate of it has this fingerprint/],
      [['--lost', ''], /--lost "": name a lost stick/],
    ])('%j', (args, message) => {
      const r = assess(['--sd', DEMO, ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(cleanErrorProblems(r.stderr)).toEqual([]);
      expect(r.stderr).toMatch(message);
      expect(custody(r.env)).toEqual([]);
    });

    it('refuses a custodian who keeps two of the keys: which stick is lost is not guessed', () => {
      const env = {SD_DRILL_CONFIG_DIR: tempDir('assess-two')};
      for (const fp of [BOB, 'b4f48ccd84e7e6844c6c606bc979464d7a5caf07eca92f0fabe4050966cc67c9'])
        runCli(
          ['holders', 'register', '--fingerprint', fp, '--custodian', 'Pat', '--role', 'SRE'],
          {env},
        );
      const r = assess(['--sd', DEMO, '--lost', 'pat'], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /--lost pat: names holder 2 \(bob\) and holder 3 \(carol\) .*name each lost stick by its holder number or fingerprint/,
      );
      // The registrations made no custody entries (same custodian) and assess made none.
      expect(custody(env)).toEqual([]);
    });

    it('a missing or malformed domain file', () => {
      const missing = assess(['--sd', join(fixturesDir, 'nope.json')]);
      expect(missing.code).toBe(2);
      expect(cleanErrorProblems(missing.stderr)).toEqual([]);
      const bad = assess(['--sd', join(fixturesDir, 'bad', 'truncated-sd.json'), '--lost', '1']);
      expect(bad.code).toBe(2);
      expect(cleanErrorProblems(bad.stderr)).toEqual([]);
    });
  });
});
