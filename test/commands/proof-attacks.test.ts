/**
 * Issue 21's holes, each tried again as an attacker on the built bundle, with the project's own
 * code doing the attacking (the demo's keys are public): every one now fails for the attacker.
 * Holes 2 and 6 have their own files as well (test/remote/contribution.test.ts,
 * test/domain/key-kdf.test.ts); here they are tried through the command line too.
 */
import {randomBytes, sign, X509Certificate} from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import {join, relative} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {openDomainFile} from '../../source/domain/open.js';
import {presentKeyFile} from '../../source/domain/present-key.js';
import {deriveReportKey} from '../../source/domain/report-key.js';
import {sealShare} from '../../source/domain/azure/writer.js';
import {HPKE_SUITE, REQUEST_FORMAT} from '../../source/remote/names.js';
import {requestDigest, shortCode, type RemoteRequest} from '../../source/remote/request.js';
import type {DrillReport} from '../../source/report/model.js';
import {signedBytes} from '../../source/report/proof.js';
import {wipe} from '../../source/secret.js';
import {demoKey, demoPassphrase, demoSd, fixturesDir} from '../helpers/paths.js';
import {cleanErrorProblems, runCli, type CliResult} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';

const root = tempDir('attacks');
const store = join(root, 'store');
const env = {SD_DRILL_CONFIG_DIR: store};
const HOLDERS = ['alice', 'bob', 'carol'];
const azureDir = join(fixturesDir, 'azure');
const azureSd = join(azureDir, 'security-domain.json');

/** A plan of the demo drill with alice, bob and carol; `extra` adds fields. */
function demoPlan(name: string, extra: object = {}): {plan: string; reports: string} {
  const dir = join(root, name);
  mkdirSync(dir, {recursive: true});
  const participants = HOLDERS.map((h) => {
    writeFileSync(join(dir, `${h}.pass`), `${demoPassphrase(h)}\n`, {mode: 0o600});
    return {custodian: `${h} c.`, role: 'holder', key: demoKey(h), passphraseFile: `${h}.pass`};
  });
  const plan = join(dir, 'plan.json');
  writeFileSync(
    plan,
    JSON.stringify({
      domain: relative(dir, demoSd),
      scenario: 'purged',
      participants,
      reportDir: 'reports',
      ...extra,
    }),
  );
  return {plan, reports: join(dir, 'reports')};
}

function reportIn(dir: string): {file: string; report: DrillReport} {
  const name = readdirSync(dir).find((n) => n.endsWith('.json'));
  if (!name) throw new Error(`no report in ${dir}`);
  const file = join(dir, name);
  return {file, report: JSON.parse(readFileSync(file, 'utf8')) as DrillReport};
}

/** What an attacker holding a quorum of the demo's (published) keys can sign with. */
async function demoDomainSecret(): Promise<Buffer> {
  const opened = openDomainFile(demoSd);
  if (!opened.ok) throw opened.error;
  const shares = [];
  for (const h of HOLDERS) {
    const p = await presentKeyFile(opened.value.domain, demoKey(h), Buffer.from(demoPassphrase(h)));
    if (!p.ok) throw p.error;
    shares.push(p.value.opened);
  }
  const r = opened.value.domain.reconstruct(shares);
  for (const s of shares) wipe(s.secret);
  if (!r.ok) throw r.error;
  return r.value.secret;
}

function resign(report: DrillReport, secret: Buffer): DrillReport {
  const key = deriveReportKey(secret);
  const copy = structuredClone(report);
  copy.proof = {signed: true, algorithm: 'Ed25519', publicKey: key.publicKey, signature: ''};
  copy.proof = {
    ...copy.proof,
    signature: sign(null, signedBytes(copy), key.privateKey).toString('base64'),
  };
  return copy;
}

const oneLine = (r: CliResult): void => expect(cleanErrorProblems(r.stderr)).toEqual([]);

let real: {file: string; report: DrillReport};
let planOut = '';

beforeAll(() => {
  const {plan, reports} = demoPlan('real', {pinFirstUse: true});
  const r = runCli(['drill', '--plan', plan], {env});
  expect(r.code, r.stdout + r.stderr).toBe(0);
  planOut = r.stdout;
  real = reportIn(reports);
});

describe('1. a report re-signed with a pinned domain’s key cannot pass as another domain', () => {
  it('the genuine report verifies, shown by its pin’s own label and history', () => {
    const r = runCli(['report', 'verify', real.file], {env});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/drill \S+ of "demo-hsm", verdict PASS/);
    expect(r.stdout).toMatch(
      /recorded from its file's header at its first drill here on \d{4}-\d\d-\d\d by drill /,
    );
  });

  it('the issue’s repro: renamed to contoso-prod-hsm (azure, new file and id), re-signed with the demo key: exit 1', async () => {
    const secret = await demoDomainSecret();
    const forged = structuredClone(real.report);
    const d = forged.scope.domain;
    if (!d) throw new Error('no domain');
    d.name = 'contoso-prod-hsm';
    d.file = '/srv/hsm/contoso-prod-hsm.json';
    d.sha256 = 'c0'.repeat(32);
    d.format = 'azure';
    d.id = '7d0c5f1e-0000-4000-8000-000000000001';
    const file = join(root, 'forged.json');
    writeFileSync(file, JSON.stringify(resign(forged, secret), null, 2));
    wipe(secret);
    const r = runCli(['report', 'verify', file], {env});
    expect(r.code).toBe(1);
    oneLine(r);
    expect(r.stderr).toMatch(
      /its key is pinned for "demo-hsm" .*but the report does not describe that domain/,
    );
    expect(r.stderr).toMatch(/names the HSM "contoso-prod-hsm"/);
    expect(r.stdout).not.toMatch(/contoso/);
    const json = runCli(['report', 'verify', file, '--json'], {env});
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({valid: true, pinned: false, pin: null});
  });

  it('the first pin was a decision the plan made, shown with the key and the file digest', () => {
    expect(planOut).toMatch(
      /First use: no key was on record here for "demo-hsm"; its key is pinned, as the plan says/,
    );
    expect(planOut).toMatch(/domain file .*security-domain\.json \(native\), sha256 [0-9a-f]{64}/);
    expect(real.report.identity).toMatchObject({recorded: false, firstPin: {pinned: true}});
    const md = readFileSync(real.file.replace(/\.json$/, '.md'), 'utf8');
    expect(md).toMatch(/recorded here|pinned it there at first use on \d{4}-\d\d-\d\d/);
    expect(md).toMatch(/This Markdown is a rendering, not the record/);
  });
});

describe('10. first use is a decision: without pinFirstUse nothing is pinned', () => {
  it('a plan without it passes, says NOT pinned, and its report does not verify from the store', () => {
    const fresh = {SD_DRILL_CONFIG_DIR: join(root, 'fresh-store')};
    const {plan, reports} = demoPlan('unpinned');
    const r = runCli(['drill', '--plan', plan], {env: fresh});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/its key is NOT pinned \(the plan does not say "pinFirstUse": true\)/);
    const {file, report} = reportIn(reports);
    expect(report.identity?.firstPin).toMatchObject({pinned: false});
    expect(readFileSync(file.replace(/\.json$/, '.md'), 'utf8')).toMatch(
      /the operator chose not to pin it/,
    );
    expect(runCli(['report', 'verify', file], {env: fresh}).code).toBe(1);
    // A later drill asks again: nothing was recorded silently.
    const again = runCli(['drill', '--plan', plan], {env: fresh});
    expect(again.stdout).toMatch(/First use: no key is on record here/);
  });
});

/** The Azure fixture with holder 1's share re-sealed into holder 3's slot. */
async function azureWithDuplicate(): Promise<string> {
  const opened = openDomainFile(azureSd);
  if (!opened.ok) throw opened.error;
  const p = await presentKeyFile(opened.value.domain, join(azureDir, 'holders', 'holder1.pem'));
  if (!p.ok) throw p.error;
  const cert = new X509Certificate(readFileSync(join(azureDir, 'certificates', 'holder3.cer')));
  const doc = JSON.parse(readFileSync(azureSd, 'utf8')) as {
    SharedKeys: {enc_shares: Array<{enc_key: string}>};
  };
  (doc.SharedKeys.enc_shares[2] as {enc_key: string}).enc_key = sealShare(
    cert.publicKey,
    p.value.opened.secret,
  );
  wipe(p.value.opened.secret);
  const dir = join(root, 'dup');
  mkdirSync(dir, {recursive: true});
  const file = join(dir, 'security-domain.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

const azureKeys = ['holder1.pem', 'holder2.pem', 'holder3.pem'].flatMap((k) => [
  '--key',
  join(azureDir, 'holders', k),
]);
function azurePass(lines: string[]): string {
  const f = join(root, `azure-${lines.length}.pass`);
  writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

describe('3. a duplicate share proves nothing', () => {
  it('verify --all with holder 1’s share in holder 3’s slot: exit 1, naming both', async () => {
    const sd = await azureWithDuplicate();
    const pass = azurePass(['', 'drill-passphrase', '']);
    const r = runCli(['verify', '--all', '--sd', sd, ...azureKeys, '--passphrase-file', pass], {
      env,
    });
    expect(r.code).toBe(1);
    oneLine(r);
    expect(r.stdout).toMatch(/holders 1 and 3 carry the same share/);
    expect(r.stdout).toMatch(/Every holder \(--all\): 1 of 3 proved their key/);
    expect(r.stdout).toMatch(
      /holder 3 did not prove their key: its share is the very share holder 1 carries/,
    );
    expect(r.stderr).toMatch(/1 of 3 holders proved their key/);
    // Plain verify says so too, and never marks the duplicate ✓.
    const plain = runCli(
      ['verify', '--sd', sd, ...azureKeys, '--passphrase-file', pass, '--json'],
      {
        env,
      },
    );
    const j = JSON.parse(plain.stdout) as {problems: Array<{rule: string; shares: number[]}>};
    expect(j.problems).toContainEqual(
      expect.objectContaining({rule: 'duplicate-share', shares: [1, 3]}),
    );
  });
});

describe('4. rotating to certificates another domain uses leaves that domain alone', () => {
  it('the Azure fixture rotated to the demo’s five certificates; the demo still drills and verifies', () => {
    const certs = ['alice', 'bob', 'carol', 'dave', 'erin'].flatMap((h) => [
      '--cert',
      demoKey(h).replace(/\.key$/, '.cer'),
    ]);
    const pinsBefore = readFileSync(join(store, 'domains.json'), 'utf8');
    const out = join(root, 'rotated.json');
    const pass = azurePass(['', 'drill-passphrase']);
    const r = runCli(
      [
        'rotate',
        '--sd',
        azureSd,
        ...azureKeys.slice(0, 4),
        '--passphrase-file',
        pass,
        ...certs,
        '--quorum',
        '3',
        '--out',
        out,
      ],
      {env},
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /Note: the new holders' certificates also wrap "demo-hsm" \(another domain/,
    );
    // rotate pins nothing (its new holders have not proven their keys): the store is as it was.
    expect(readFileSync(join(store, 'domains.json'), 'utf8')).toBe(pinsBefore);
    const keys = HOLDERS.flatMap((h) => ['--key', demoKey(h)]);
    const three = join(root, 'three.pass');
    writeFileSync(three, HOLDERS.map(demoPassphrase).join('\n') + '\n');
    const v = runCli(['verify', '--sd', demoSd, ...keys, '--passphrase-file', three], {env});
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/the key pinned in the file's header/);
    expect(runCli(['report', 'verify', real.file], {env}).code).toBe(0);
  });
});

describe('5 and 8. signed bytes are unambiguous, and bad input is never an internal error', () => {
  const edited = (name: string, edit: (text: string) => string): string => {
    const file = join(root, `${name}.json`);
    writeFileSync(file, edit(readFileSync(real.file, 'utf8')));
    return file;
  };
  it.each([
    [
      'a key given twice',
      (t: string) =>
        t.replace(
          '"custodian": "alice c."',
          '"custodian": "Mallory (CISO)", "custodian": "alice c."',
        ),
      /"custodian" is given twice/,
    ],
    [
      'a lone surrogate',
      (t: string) => t.replace('"role": "holder"', '"role": "\\ud800"'),
      /lone surrogate/,
    ],
    [
      'a number beyond 2^53',
      (t: string) => t.replace(/"durationMs": \d+/, '"durationMs": 9007199254740993'),
      /beyond 2\^53/,
    ],
    ['"x": 1e400', (t: string) => t.replace(/^\{/, '{"x": 1e400,'), /out of range/],
  ])('%s: exit 2, one line', (_what, edit, why) => {
    const r = runCli(['report', 'verify', edited(String(_what).replace(/\W+/g, '-'), edit)], {env});
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toMatch(why);
  });

  it('a request whose public key is all zero bytes: contribute answers in one line, exit 2', () => {
    const req = {
      request: REQUEST_FORMAT,
      domain: {sha256: '', id: null, name: null, format: 'native'},
      holder: {index: 1, certFingerprint: ''},
      nonce: randomBytes(32).toString('base64url'),
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      hpke: HPKE_SUITE,
      publicKey: Buffer.alloc(32).toString('base64url'),
    };
    const opened = openDomainFile(demoSd);
    if (!opened.ok) throw opened.error;
    const h = opened.value.domain.describe().holders[0];
    req.domain = {sha256: opened.value.sha256 ?? '', id: null, name: null, format: 'native'};
    req.holder = {index: 1, certFingerprint: h?.certFingerprint ?? ''};
    const file = join(root, 'zero-key-request.json');
    writeFileSync(file, JSON.stringify(req));
    const pass = join(root, 'alice.pass');
    writeFileSync(pass, `${demoPassphrase('alice')}\n`);
    // The code the holder types: the one the ceremony would show for this request.
    const code = shortCode(requestDigest(req as RemoteRequest));
    const r = runCli([
      'contribute',
      '--request',
      file,
      '--sd',
      demoSd,
      '--key',
      demoKey('alice'),
      '--passphrase-file',
      pass,
      '--out',
      join(root, 'never.json'),
      '--expect-code',
      code,
    ]);
    expect(r.code, r.stderr).toBe(2);
    oneLine(r);
    expect(r.stderr).toMatch(/the request's public key is not a usable X25519 key/);
    expect(existsSync(join(root, 'never.json'))).toBe(false);
  });
});

describe('2. contribute seals only to a request whose code the holder confirms', () => {
  it('without a terminal it needs --expect-code (exit 2); a wrong code writes nothing (exit 1)', () => {
    const file = join(root, 'zero-key-request.json');
    const pass = join(root, 'alice.pass');
    const args = [
      'contribute',
      '--request',
      file,
      '--sd',
      demoSd,
      '--key',
      demoKey('alice'),
      '--passphrase-file',
      pass,
      '--out',
      join(root, 'never2.json'),
    ];
    const none = runCli(args);
    expect(none.code).toBe(2);
    oneLine(none);
    expect(none.stderr).toMatch(/give --expect-code CODE \(the code the ceremony reads to you\)/);
    const wrong = runCli([...args, '--expect-code', 'AAAA BBBB CCCC DDDD EEEE']);
    expect(wrong.code).toBe(1);
    oneLine(wrong);
    expect(wrong.stderr).toMatch(/this is not the request the ceremony showed you/);
    expect(existsSync(join(root, 'never2.json'))).toBe(false);
  });
});

describe('7. the store is a trust anchor only while it is the user’s own', () => {
  it('a folder at 0777 and domains.json at 0666 are refused in one line, exit 2; 0700/0600 pass', () => {
    const loose = join(root, 'loose-store');
    mkdirSync(loose);
    copyFileSync(join(store, 'domains.json'), join(loose, 'domains.json'));
    chmodSync(loose, 0o777);
    chmodSync(join(loose, 'domains.json'), 0o666);
    const e = {SD_DRILL_CONFIG_DIR: loose};
    const r = runCli(['report', 'verify', real.file], {env: e});
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toMatch(
      /loose-store: the sd-drill store folder is writable by anyone \(mode 0777\).*chmod 700/,
    );
    chmodSync(loose, 0o700);
    const file = runCli(['report', 'verify', real.file], {env: e});
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(
      /domains\.json: the sd-drill store file is writable by anyone \(mode 0666\).*chmod 600/,
    );
    const keys = HOLDERS.flatMap((h) => ['--key', demoKey(h)]);
    const three = join(root, 'three.pass');
    const v = runCli(['verify', '--sd', demoSd, ...keys, '--passphrase-file', three], {env: e});
    expect(v.code).toBe(2);
    oneLine(v);
    chmodSync(join(loose, 'domains.json'), 0o600);
    expect(runCli(['report', 'verify', real.file], {env: e}).code).toBe(0);
  });

  it('the store sd-drill makes is private from the start (folder 0700, pins 0600)', () => {
    expect(statSync(store).mode & 0o777).toBe(0o700);
    expect(statSync(join(store, 'domains.json')).mode & 0o777).toBe(0o600);
  });
});

describe('9. a stranger’s key gets one answer in both formats', () => {
  it('Azure and native verify: the stranger is refused, the other key counts, exit 1 (quorum)', () => {
    const stranger = join(fixturesDir, 'bad', 'stranger.key');
    const az = runCli(
      [
        'verify',
        '--sd',
        azureSd,
        '--key',
        join(azureDir, 'holders', 'holder1.pem'),
        '--key',
        stranger,
      ],
      {env},
    );
    const nat = runCli(
      [
        'verify',
        '--sd',
        demoSd,
        '--key',
        demoKey('dave'),
        '--key',
        stranger,
        '--passphrase-file',
        azurePass(['dave-practice-only', '']),
      ],
      {env},
    );
    for (const r of [az, nat]) {
      expect(r.code, r.stderr).toBe(1);
      oneLine(r);
      expect(r.stdout).toMatch(
        /stranger\.key: this key is not one of this domain's \d+ wrapping keys \(a stranger's key, a departed holder's, or a key from another domain\)/,
      );
    }
  });
});
