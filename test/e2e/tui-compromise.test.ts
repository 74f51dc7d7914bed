/**
 * The compromise rehearsal on the built bundle in tmux (`CI=false`, 80×24), chosen on the start
 * screen: the stolen bag — the file and bob's and carol's sticks (`--lost 2 --lost 3`). The
 * registry puts the three remaining keys in one vault under one role: both separation findings
 * show on the inspect step. Alice, dave and erin bring the old instance up (bob's stick, were it
 * brought, is refused); alice and dave are kept, frank (keygen on his stick) is added — keeping
 * bob is refused; quorum 3 of 3 (the current quorum, where the choice starts); the new HSM's domain goes on the backup stick; all three
 * prove their keys; every key migrates with its progress shown; the old instance is purged.
 * PASS, signed by the new domain's key; the report names the old one's and gives the checklist.
 */
import {randomUUID} from 'node:crypto';
import {cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {writeHolderKey} from '../../source/domain/holder-key.js';
import {loadCertificate} from '../../source/domain/key-file.js';
import {createNativeDomain} from '../../source/domain/native/writer.js';
import {unwrap} from '../../source/errors.js';
import {buildManifest, encodeContents, generateContents} from '../../source/hsm/inventory.js';
import {onlyReport} from '../helpers/files.js';
import {demoSticks, fixturesDir} from '../helpers/paths.js';
import {runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';
import {
  choose,
  exitCode,
  insert,
  passphrase,
  present as presentAt,
  removeStick,
  shownAnywhere,
  startApp,
  tooWide,
  tuiSuite,
} from '../helpers/tui.js';

const demo = join(fixturesDir, 'demo');
const DEMO_SD = join(demo, 'security-domain.json');
/** The custodians the registry names for the three keys left after the stolen bag. */
const CUSTODIAN: Record<string, string> = {alice: 'Alice Ng', dave: 'Dave Cole', erin: 'Erin Park'};

interface Report {
  verdict: string;
  scope: {mode: string};
  proof: {signed: boolean; publicKey?: string};
  findings: Array<{rule: string}>;
  compromise: {
    to: {file: string; reportKey: string | null; required: number; total: number} | null;
    from: {reportKey: string | null};
    migration: {total: number; migrated: number; records: {verified: number}} | null;
    oldPurged: boolean;
    checklist: Array<{record: string}>;
  };
}

type Pane = Parameters<typeof insert>[0];

/** A registered holder: their stick, `y` for the registry's custodian, their passphrase. */
async function presentRegistered(p: Pane, stick: string, custodian: string): Promise<void> {
  await insert(p, stick);
  await p.waitFor(`The holder registry has ${custodian}, SRE as this key`);
  await p.keys('y');
  await passphrase(p, `${stick}-practice-only`, {burst: true});
  await removeStick(p, stick);
}

/** A holder identified earlier in this ceremony, proving their new key: stick and passphrase. */
async function presentKnown(p: Pane, stick: string): Promise<void> {
  await insert(p, stick);
  await p.waitFor('identified earlier in this ceremony');
  await passphrase(p, `${stick}-practice-only`, {burst: true});
  await removeStick(p, stick);
}

tuiSuite('the compromise rehearsal in a real terminal', () => {
  it('the stolen bag: a new HSM proved by its holders, every key migrated, the old purged; PASS signed by the new domain', async () => {
    const media = tempDir('e2e-compromise-media');
    mkdirSync(join(media, 'backup'));
    for (const h of ['alice', 'bob', 'dave', 'erin'])
      cpSync(join(demoSticks, h), join(media, h), {recursive: true});
    await writeHolderKey(join(media, 'frank'), 'frank', 2048, undefined);
    // The registry puts the three remaining keys in one vault, under one role.
    const store = tempDir('e2e-compromise-store');
    const env = {SD_DRILL_CONFIG_DIR: store};
    const sd = JSON.parse(readFileSync(DEMO_SD, 'utf8')) as {
      holders: Array<{name: string; certFingerprint: string}>;
    };
    for (const h of sd.holders.filter((x) => ['alice', 'dave', 'erin'].includes(x.name))) {
      const r = runCli(
        [
          'holders',
          'register',
          '--fingerprint',
          h.certFingerprint,
          '--custodian',
          CUSTODIAN[h.name] as string,
        ].concat(['--role', 'SRE', '--location', 'HQ vault']),
        {env},
      );
      expect(r.code).toBe(0);
    }
    const {p, reports} = startApp(
      'compromise',
      [
        'drill',
        '--mode',
        'compromise',
        '--lost',
        '2',
        '--lost',
        '3',
        '--sd',
        DEMO_SD,
        '--media',
        media,
      ],
      {env},
    );
    await p.waitFor('Press Enter when the holders are ready');
    await p.waitFor('Reported lost: holders 2 and 3');
    let screen = p.capture();
    expect(screen).toShow(/sd-drill · Compromise rehearsal · demo-hsm \(3 of 5\)/);
    expect(screen).toShow(/Reported lost: holders 2 and 3 — they will not present/);
    expect(screen).toShow(/✗ quorum-at-one-site: The holder registry puts 3 of this domain's keys/);
    // The findings do not all fit 24 rows: the screen says so, and ↓ brings the next into view.
    expect(screen).toShow(/↓ \d more below/);
    await p.keys('Down');
    await p.waitFor(/⚠ roles-not-separate: The holder registry gives 3 of this domain's/);
    expect(tooWide(p.capture())).toEqual([]);
    await p.keys('Enter');
    await p.waitFor('bring the old instance up');

    // Bob's stick is not here in this rehearsal: refused by name.
    await insert(p, 'bob');
    await p.waitFor(/whose stick was reported lost: in this rehearsal it is not here/);
    await p.keys('x');
    for (const stick of ['alice', 'dave', 'erin'])
      await presentRegistered(p, stick, CUSTODIAN[stick] as string);
    await p.waitFor('Quorum reached: press r');
    await p.keys('r');
    await p.waitFor('The old instance is up (simulated)');
    // Bob's stick (his certificate) is refused: a lost key never protects the new domain.
    await choose(p, 'read stick bob');
    await p.waitFor(/whose stick was reported lost: a lost key never protects the new domain/);
    await choose(p, 'read stick dave');
    await p.waitFor("dave is new holder 1 (keeps holder 4's key)");
    await choose(p, 'read stick frank');
    await p.waitFor('frank is new holder 2.');
    screen = p.capture();
    // The lost holders are not offered to keep.
    expect(screen).not.toShow(/keep holder [23]/);
    await choose(p, 'keep holder 1 (alice)');
    await p.waitFor("alice is new holder 3 (keeps holder 1's key)");
    await choose(p, 'done: these 3 are the new holders');
    await p.waitFor('3 new holders: 2 kept, 1 added, 3 departed.');
    // The choice starts on the current quorum: one Enter never weakens the domain.
    await p.waitFor('❯ 3 of 3 — the current quorum');
    await p.keys('Enter');
    await p.waitFor('Where does the new file go?');
    await choose(p, 'on stick backup as security-domain-new-hsm.json');
    const out = join(media, 'backup', 'security-domain-new-hsm.json');
    await p.waitFor(/New HSM demo-hsm-new provisioned \(simulated\) with a new security domain/);
    await presentKnown(p, 'dave');
    await presentAt(p, 'frank', 'Frank Oz', 'Key custodian', {burst: true, passphrase: null});
    await presentKnown(p, 'alice');
    await p.waitFor('Every new holder has opened their share: press r');
    await p.keys('r');
    await p.waitFor('Report saved');
    screen = p.capture();
    expect(screen).toShow(
      /Verdict: PASS — the new HSM demo-hsm-new \(simulated\) holds a new security domain that all 3 of its holders proved; all 27 keys of demo-hsm were migrated/,
    );
    expect(screen).toShow(
      /Keys migrated 27 of 27 · data re-protected and verified 30 of 30 · old instance purged/,
    );
    expect(screen).toShow(/A rehearsal: nothing real was changed/);
    expect(tooWide(p.capture())).toEqual([]);
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');

    const report = onlyReport<Report>(reports);
    const header = (JSON.parse(readFileSync(out, 'utf8')) as {domain: {reportKey: string}}).domain
      .reportKey;
    expect(report.scope.mode).toBe('compromise');
    expect(report.proof).toMatchObject({signed: true, publicKey: header});
    expect(report.compromise.to).toMatchObject({file: out, required: 3, total: 3});
    expect(report.compromise.from.reportKey).not.toBe(header);
    expect(report.compromise.migration).toMatchObject({
      total: 27,
      migrated: 27,
      records: {verified: 30},
    });
    expect(report.compromise.oldPurged).toBe(true);
    expect(report.findings.map((f) => f.rule)).toEqual(
      expect.arrayContaining(['quorum-at-one-site', 'roles-not-separate']),
    );
    const json = readdirSync(reports).find((n) => n.endsWith('.json')) as string;
    expect(runCli(['report', 'verify', join(reports, json), '--sd', out], {env}).code).toBe(0);
    expect(shownAnywhere(p, ['alice-practice-only', 'dave-practice-only'])).toEqual([]);
  }, 300_000);
  it('a 1,500-key inventory: progress key by key; Ctrl-C asks first, then aborts with nothing purged', async () => {
    const media = tempDir('e2e-compromise-big');
    mkdirSync(join(media, 'backup'));
    for (const h of ['alice', 'bob', 'carol'])
      cpSync(join(demoSticks, h), join(media, h), {recursive: true});
    await writeHolderKey(join(media, 'frank'), 'frank', 2048, undefined);
    const sd = await bigDomain(media, 1500);
    const {p, reports} = startApp('compromise-big', [
      'drill',
      '--mode',
      'compromise',
      '--sd',
      sd,
      '--media',
      media,
    ]);
    await p.waitFor('Press Enter when the holders are ready');
    await p.keys('Enter');
    for (const [stick, name] of [
      ['alice', 'Alice Ng'],
      ['bob', 'Bob Li'],
      ['carol', 'Carol Diaz'],
    ] as const)
      await presentAt(p, stick, name, 'Key custodian', {burst: true});
    await p.waitFor('Quorum reached: press r');
    await p.keys('r');
    await p.waitFor('The old instance is up (simulated)');
    await choose(p, 'read stick frank');
    await p.waitFor('frank is new holder 1.');
    await choose(p, 'keep holder 1 (alice)');
    await p.waitFor('alice is new holder 2');
    await choose(p, 'keep holder 2 (bob)');
    await p.waitFor('bob is new holder 3');
    await choose(p, 'done: these 3 are the new holders');
    await p.waitFor('❯ 3 of 3 — the current quorum');
    await p.keys('Enter');
    await choose(p, 'on stick backup as security-domain-new-hsm.json');
    await p.waitFor(/New HSM big-hsm-new provisioned/);
    await presentAt(p, 'frank', 'Frank Oz', 'Key custodian', {burst: true, passphrase: null});
    await presentKnown(p, 'alice');
    await presentKnown(p, 'bob');
    await p.waitFor('Every new holder has opened their share: press r');
    await p.keys('r');
    // Part-way: the count, the key next in line, the bar. Ten keys in at least: the first two are
    // the domain's named keys, and a loaded machine can show the screen after the first.
    const screen = await p.waitFor(/Keys ([1-9]\d+) \/ 1502 · migrated \1/);
    expect(screen).toShow(/Next: \S+-\d{5} v\d/);
    expect(screen).toShow(/The old instance is purged only once every key is migrated and checked/);
    await p.keys('C-c');
    await p.waitFor('Abort the drill?');
    await p.keys('y');
    await p.waitFor('Report saved');
    expect(p.capture()).toShow(/Verdict: ABORTED/);
    expect(p.capture()).toShow(/old instance NOT purged/);
    await p.keys('q');
    expect(await exitCode(p)).toBe('1');
    const report = onlyReport<
      Report & {compromise: {migration: {tried: number; keys: Array<{outcome: string}>}}}
    >(reports);
    expect(report.verdict).toBe('aborted');
    expect(report.proof.signed).toBe(false);
    expect(report.compromise.oldPurged).toBe(false);
    const m = report.compromise.migration;
    expect(m.tried).toBeGreaterThan(0);
    expect(m.tried).toBeLessThan(1502);
    expect(m.keys.every((k) => k.outcome === 'migrated')).toBe(true);
  }, 300_000);
});

/** A native domain of `keys` inventory keys wrapped to the demo holders' certificates. */
async function bigDomain(dir: string, keys: number): Promise<string> {
  const id = randomUUID();
  const contents = await generateContents({name: 'big-hsm', id}, keys);
  const manifest = buildManifest(id, contents);
  const file = join(dir, 'big-sd.json');
  writeFileSync(
    file,
    createNativeDomain({
      hsmName: 'big-hsm',
      id,
      required: 3,
      holders: ['alice', 'bob', 'carol', 'dave', 'erin'].map((n) => ({
        name: n,
        certificate: unwrap(loadCertificate(join(demoSticks, n, `${n}.cer`))),
      })),
      payload: encodeContents(contents),
      manifest,
    }),
  );
  return file;
}
