/**
 * The compromise rehearsal from a reviewed plan (`drill --plan`, `"mode": "compromise"`) on the
 * built bundle. The CISO's case: a bag with the domain file and bob's and carol's sticks was
 * stolen. Alice, dave and erin bring the (simulated) old instance up; the new HSM's domain is
 * wrapped to alice and dave (kept) and frank and grace (new); all four prove their keys; every
 * key migrates; the old instance is purged. PASS, signed by the new domain's key. Then a domain
 * whose old copy of one key is damaged: that key is named, nothing is purged, FAIL. And the
 * refusals: a lost key kept, the old domain's exact keys, an Azure file.
 */
import {spawn} from 'node:child_process';
import {generateKeyPairSync, randomUUID, sign} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {unwrap} from '../../source/errors.js';
import {loadCertificate} from '../../source/domain/key-file.js';
import {createNativeDomain} from '../../source/domain/native/writer.js';
import {buildManifest, encodeContents, generateContents} from '../../source/hsm/inventory.js';
import {writeHolderKey} from '../../source/domain/holder-key.js';
import {signedBytes} from '../../source/report/proof.js';
import {onlyReport} from '../helpers/files.js';
import {bundle, fixturesDir} from '../helpers/paths.js';
import {cleanErrorProblems, runCli} from '../helpers/run-cli.js';
import {keepForFile, tempDir} from '../helpers/temp.js';

const demo = join(fixturesDir, 'demo');
const DEMO_SD = join(demo, 'security-domain.json');
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin'];

interface Report {
  verdict: string;
  verdictReason: string;
  scope: {mode: string};
  proof: {signed: boolean; publicKey?: string; reason?: string};
  findings: Array<{rule: string; evidence: string}>;
  compromise: {
    from: {reportKey: string | null};
    to: {file: string; reportKey: string | null; required: number; total: number} | null;
    lost: Array<{holder: number}>;
    kept: Array<{from: {holder: number}; to: {holder: number}}>;
    added: Array<{name: string | null}>;
    proofs: Array<{outcome: string}>;
    migration: {
      total: number;
      tried: number;
      migrated: number;
      failed: number;
      records: {total: number; verified: number};
      keys: Array<{name: string; outcome: string; reason: string | null; newKey: string | null}>;
    } | null;
    oldPurged: boolean;
    atRisk: string[];
    phases: Array<{phase: string; durationMs: number}>;
    rto: {minutes: number; totalMs: number; within: boolean};
    checklist: Array<{item: string; record: string}>;
  };
}

let work = '';
const key = (n: string) => join(demo, 'sticks', n, `${n}.key`);
const who = (custodian: string, file: string, pass?: string) => ({
  custodian,
  role: 'Key custodian',
  key: file,
  ...(pass ? {passphraseFile: pass} : {}),
});
const old = (n: string) => who(n, key(n), join(work, `${n}.pass`));

beforeAll(async () => {
  work = keepForFile(tempDir('plan-compromise'));
  for (const n of NAMES) writeFileSync(join(work, `${n}.pass`), `${n}-practice-only\n`);
  // Two newcomers whose keys keygen's code made on their own sticks.
  for (const n of ['frank', 'grace']) await writeHolderKey(join(work, n), n, 2048, undefined);
}, 60_000);

function run(dir: string, body: object) {
  const file = join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify({reportDir: 'reports', mode: 'compromise', ...body}, null, 1));
  return runCli(['drill', '--plan', file], {
    env: {SD_DRILL_CONFIG_DIR: join(dir, 'store')},
    timeout: 120_000,
  });
}

const theBag = (domain: string, out: string) => ({
  domain,
  participants: ['alice', 'dave', 'erin'].map(old),
  compromise: {
    lost: [2, 3],
    certificates: [1, 4, join(work, 'frank', 'frank.cer'), join(work, 'grace', 'grace.cer')],
    quorum: 3,
    out,
    newHolders: [
      old('alice'),
      old('dave'),
      who('Frank', join(work, 'frank', 'frank.key')),
      who('Grace', join(work, 'grace', 'grace.key')),
    ],
  },
});

describe('drill --plan, mode compromise', () => {
  it('the stolen bag: a new HSM proved by all its holders, every key migrated and checked, the old instance purged', () => {
    const dir = tempDir('plan-compromise-pass');
    const r = run(dir, theBag(DEMO_SD, 'new-hsm-sd.json'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Grace: share of new holder 4 \(grace\) accepted/);
    expect(r.stdout).toMatch(/^Migrating keys: 27 of 27$/m);
    expect(r.stdout).toMatch(
      /Drill pass: the new HSM demo-hsm-new \(simulated\) holds a new security domain that all 4 of its holders proved; all 27 keys of demo-hsm were migrated to it and checked there \(30 records re-protected and verified\), and the old instance was purged/,
    );
    const report = onlyReport<Report>(join(dir, 'reports'));
    const c = report.compromise;
    const newFile = join(dir, 'new-hsm-sd.json');
    const header = (JSON.parse(readFileSync(newFile, 'utf8')) as {domain: {reportKey: string}})
      .domain.reportKey;
    const oldHeader = (JSON.parse(readFileSync(DEMO_SD, 'utf8')) as {domain: {reportKey: string}})
      .domain.reportKey;
    // Signed by the new domain's key, naming the old one's.
    expect(report.proof).toMatchObject({signed: true, publicKey: header});
    expect(header).not.toBe(oldHeader);
    expect(c.from.reportKey).toBe(oldHeader);
    expect(c.to).toMatchObject({file: newFile, reportKey: header, required: 3, total: 4});
    expect(c.lost.map((h) => h.holder)).toEqual([2, 3]);
    expect(c.kept.map((k) => [k.from.holder, k.to.holder])).toEqual([
      [1, 1],
      [4, 2],
    ]);
    expect(c.added.map((a) => a.name)).toEqual(['frank', 'grace']);
    expect(c.proofs.map((p) => p.outcome)).toEqual(['proven', 'proven', 'proven', 'proven']);
    expect(c.migration).toMatchObject({
      total: 27,
      tried: 27,
      migrated: 27,
      failed: 0,
      records: {total: 30, verified: 30},
    });
    expect(c.migration?.keys.every((k) => k.newKey?.startsWith('demo-hsm-new/keys/'))).toBe(true);
    expect(c.oldPurged).toBe(true);
    expect(c.atRisk).toEqual([]);
    expect(c.phases.map((p) => p.phase)).toEqual([
      'old instance brought up (simulation only)',
      'new HSM provisioned with a new security domain',
      'new holders proved their keys',
      'keys migrated and checked; old instance purged',
    ]);
    expect(c.rto).toMatchObject({minutes: 60, within: true});
    // The lost sticks are the premise, not absences to chase.
    expect(report.findings.map((f) => f.rule)).not.toContain('holder-absent');
    // The checklist for the day, each with its custody line; the rehearsal recorded none.
    const items = c.checklist.map((x) => x.item).join('\n');
    expect(items).toMatch(/Re-point every application from demo-hsm's URL to demo-hsm-new's/);
    expect(items).toMatch(/Purge demo-hsm once every key's data is moved — never before/);
    expect(items).toMatch(/Destroy every copy of the old security domain/);
    expect(items).toMatch(/old holder 2 \(bob\) was reported lost and cannot be destroyed/);
    expect(items).toMatch(/Destroy the wrapping key of old holder 5 \(erin\)/);
    expect(c.checklist.every((x) => x.record.startsWith('sd-drill custody add --from '))).toBe(
      true,
    );
    const env = {SD_DRILL_CONFIG_DIR: join(dir, 'store')};
    expect(
      (JSON.parse(runCli(['custody', 'list', '--json'], {env}).stdout) as {custody: unknown[]})
        .custody,
    ).toEqual([]);
    // The passing rehearsal is the new domain's first drill on record.
    const history = JSON.parse(runCli(['history', '--json'], {env}).stdout) as {
      drills: Array<{domainName: string; mode: string; verdict: string}>;
    };
    expect(history.drills).toEqual([
      expect.objectContaining({domainName: 'demo-hsm-new', mode: 'compromise', verdict: 'pass'}),
    ]);
    // The report verifies against the new file's header, not the old one's.
    const json = join(dir, 'reports', `drill-${(report as unknown as {id: string}).id}.json`);
    expect(runCli(['report', 'verify', json, '--sd', newFile], {env}).code).toBe(0);
    const againstOld = runCli(['report', 'verify', json, '--sd', DEMO_SD], {env});
    expect(againstOld.code).toBe(1);
    // The report describes the new domain it is signed by, which the old file is not.
    expect(againstOld.stderr).toMatch(
      /it does not describe .*security-domain\.json: it names the HSM "demo-hsm-new", and the file names "demo-hsm"/,
    );
    // From the store, it is shown as the new domain's, by the store's own label.
    const fromStore = runCli(['report', 'verify', json], {env});
    expect(fromStore.code, fromStore.stderr).toBe(0);
    expect(fromStore.stdout).toMatch(
      /of "demo-hsm-new" \(a compromise rehearsal, signed by the new domain it made\)/,
    );
    // A forger cannot make a report pass for the new domain: an edit breaks the signature, and
    // a report re-signed with a fresh key is pinned by neither the new file nor the store.
    const raw = JSON.parse(readFileSync(json, 'utf8')) as Report & {verdictReason: string};
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify({...raw, verdictReason: 'all good'}));
    const editedCheck = runCli(['report', 'verify', edited, '--sd', newFile], {env});
    expect(editedCheck.code).toBe(1);
    expect(editedCheck.stderr).toMatch(/does not match the content/);
    const forged = join(dir, 'forged.json');
    writeFileSync(forged, JSON.stringify(forge(raw)));
    for (const extra of [['--sd', newFile], []]) {
      const r = runCli(['report', 'verify', forged, ...extra], {env});
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/signature is valid but its key is not pinned/);
    }
    // The new domain is a real one: all four new keys open it.
    const verified = runCli(
      [
        'verify',
        '--all',
        '--sd',
        newFile,
        ...['--key', key('alice'), '--key', key('dave')],
        ...['--key', join(work, 'frank', 'frank.key'), '--key', join(work, 'grace', 'grace.key')],
        '--passphrase-file',
        writeLines(dir, ['alice-practice-only', 'dave-practice-only', '', '']),
      ],
      {env},
    );
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
  }, 180_000);

  it('a key whose old copy is damaged: named in the report, the old instance NOT purged, FAIL', async () => {
    const dir = tempDir('plan-compromise-fail');
    const {sd, damaged} = await domainOfDemoHolders(dir, 25, 9);
    if (!damaged) throw new Error('no damaged key');
    const r = run(dir, theBag(sd, 'new-hsm-sd.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `Key ${damaged.name} v${damaged.version} not migrated: the old instance's copy does not match its manifest`,
    );
    expect(r.stdout).toMatch(
      new RegExp(
        `Drill fail: 1 of 27 keys were not migrated — ${damaged.name} v${damaged.version} \\(the old instance's copy does not match its manifest\\); the old instance was NOT purged`,
      ),
    );
    const report = onlyReport<Report>(join(dir, 'reports'));
    expect(report.verdict).toBe('fail');
    expect(report.proof.signed).toBe(false);
    const c = report.compromise;
    expect(c.migration).toMatchObject({total: 27, tried: 27, migrated: 26, failed: 1});
    expect(c.migration?.keys.filter((k) => k.outcome === 'failed').map((k) => k.name)).toEqual([
      damaged.name,
    ]);
    expect(c.oldPurged).toBe(false);
    expect(c.atRisk).toEqual([
      `${damaged.name} v${damaged.version}: not migrated (the old instance's copy does not match its manifest); its data is under the old key only`,
    ]);
    // A rehearsal that did not pass stays in the old domain's history.
    const history = JSON.parse(
      runCli(['history', '--json'], {env: {SD_DRILL_CONFIG_DIR: join(dir, 'store')}}).stdout,
    ) as {drills: Array<{domainName: string; verdict: string}>};
    expect(history.drills.map((d) => [d.domainName, d.verdict])).toEqual([['other-hsm', 'fail']]);
    const finding = report.findings.find((f) => f.rule === 'keys-not-migrated');
    expect(finding?.evidence).toContain(damaged.name);
    const md = readFileSync(join(dir, 'reports', readdirJson(join(dir, 'reports'), '.md')), 'utf8');
    expect(md).toMatch(/Old instance purged: \*\*no\*\*/);
    expect(md).toMatch(/Lost if the old HSM were purged now/);
  }, 180_000);

  it('interrupted by SIGTERM mid-migration: aborted, only the keys done are claimed, nothing purged', async () => {
    const dir = tempDir('plan-compromise-term');
    const {sd} = await domainOfDemoHolders(dir, 1200);
    const file = join(dir, 'plan.json');
    writeFileSync(
      file,
      JSON.stringify({reportDir: 'reports', mode: 'compromise', ...theBag(sd, 'new-hsm-sd.json')}),
    );
    const child = spawn(process.execPath, [bundle, 'drill', '--plan', file], {
      env: {...process.env, SD_DRILL_CONFIG_DIR: join(dir, 'store'), NO_COLOR: '1', CI: '1'},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      // The first tenth of the inventory is done: the migration is under way.
      if (!sent && /^Migrating keys: \d+ of 1202$/m.test(stdout)) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(sent).toBe(true);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^Drill aborted: interrupted by SIGTERM$/m);
    const report = onlyReport<Report>(join(dir, 'reports'));
    expect(report.verdict).toBe('aborted');
    expect(report.proof.signed).toBe(false);
    const m = report.compromise.migration;
    expect(m?.total).toBe(1202);
    expect(m?.tried).toBeGreaterThan(0);
    expect(m?.tried).toBeLessThan(1202);
    expect(m?.keys).toHaveLength(m?.tried ?? -1);
    // Every key claimed is one that was migrated and checked; none is claimed half-way.
    expect(m?.keys.every((k) => k.outcome === 'migrated' && k.newKey !== null)).toBe(true);
    expect(report.compromise.oldPurged).toBe(false);
    expect(report.compromise.atRisk).toEqual([
      `${1202 - (m?.tried ?? 0)} keys not yet tried when the rehearsal ended: their data is under the old keys only`,
    ]);
    const md = readFileSync(join(dir, 'reports', readdirJson(join(dir, 'reports'), '.md')), 'utf8');
    expect(md).toContain(`**${1202 - (m?.tried ?? 0)} not tried** (the rehearsal ended first)`);
  }, 180_000);

  it('refuses to keep a lost key, or to wrap the new domain to exactly the old keys', () => {
    const dir = tempDir('plan-compromise-refuse');
    const bag = theBag(DEMO_SD, 'kept-lost.json');
    const keepsLost = run(dir, {
      ...bag,
      compromise: {...bag.compromise, certificates: [1, 2, 4, join(work, 'frank', 'frank.cer')]},
    });
    expect(keepsLost.code).toBe(1);
    expect(keepsLost.stdout).toMatch(
      /the old file \(holder 2\) is the key of holder 2, whose stick was reported lost: a lost key never protects the new domain/,
    );
    expect(existsSync(join(dir, 'kept-lost.json'))).toBe(false);

    const dir2 = tempDir('plan-compromise-same');
    const same = run(dir2, {
      domain: DEMO_SD,
      participants: ['alice', 'bob', 'carol'].map(old),
      compromise: {certificates: [1, 2, 3, 4, 5], quorum: 3, out: 'same.json', newHolders: []},
    });
    expect(same.code).toBe(1);
    expect(same.stdout).toMatch(/These are exactly the old domain’s keys/);
    expect(existsSync(join(dir2, 'same.json'))).toBe(false);
  }, 180_000);

  it('refuses a plan without its compromise part, an Azure file, and an output that exists', () => {
    const dir = tempDir('plan-compromise-bad');
    const noPart = run(dir, {domain: DEMO_SD, participants: []});
    expect(noPart.code).toBe(2);
    expect(noPart.stderr).toMatch(
      /compromise \(certificates, quorum, out, newHolders, lost\) goes with mode "compromise"/,
    );
    expect(cleanErrorProblems(noPart.stderr)).toEqual([]);
    writeFileSync(join(dir, 'taken.json'), 'mine');
    const taken = run(dir, theBag(DEMO_SD, 'taken.json'));
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/compromise\.out .*taken\.json already exists/);
    const azure = run(dir, {
      ...theBag(join(fixturesDir, 'azure', 'security-domain.json'), 'az.json'),
    });
    expect(azure.code).toBe(2);
    expect(azure.stderr).toMatch(/is an Azure security domain: its keys live in the Azure HSM/);
    expect(cleanErrorProblems(azure.stderr)).toEqual([]);
  }, 60_000);
});

/**
 * A domain wrapped to the demo holders' certificates with `keys` inventory keys; the old copy
 * of key `damage` (if given) does not match its manifest.
 */
async function domainOfDemoHolders(dir: string, keys: number, damage?: number) {
  const id = randomUUID();
  const contents = await generateContents({name: 'other-hsm', id}, keys);
  const manifest = buildManifest(id, contents);
  const damaged = damage === undefined ? undefined : contents.keys[damage];
  if (damaged) damaged.material[0] = (damaged.material[0] ?? 0) ^ 1;
  const sd = join(dir, 'other-sd.json');
  writeFileSync(
    sd,
    createNativeDomain({
      hsmName: 'other-hsm',
      id,
      required: 3,
      holders: NAMES.map((n) => ({
        name: n,
        certificate: unwrap(loadCertificate(join(demo, 'sticks', n, `${n}.cer`))),
      })),
      payload: encodeContents(contents),
      manifest,
    }),
  );
  return {sd, damaged};
}

/** Re-signs a report with a fresh Ed25519 key, as a forger would. */
function forge<T extends {proof: unknown}>(report: T): T {
  const copy = structuredClone(report);
  const {privateKey, publicKey} = generateKeyPairSync('ed25519');
  const raw = publicKey.export({format: 'der', type: 'spki'}).subarray(-32).toString('base64');
  copy.proof = {signed: true, algorithm: 'Ed25519', publicKey: raw, signature: ''};
  const signature = sign(null, signedBytes(copy), privateKey).toString('base64');
  copy.proof = {...(copy.proof as object), signature};
  return copy;
}

function writeLines(dir: string, lines: string[]): string {
  const file = join(dir, 'passphrases.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function readdirJson(dir: string, ext: string): string {
  return readdirSync(dir).find((n) => n.endsWith(ext)) as string;
}
