/**
 * The rotation ceremony on the built bundle in tmux (`CI=false`, 80×24): the demo domain's old
 * quorum (alice, bob, carol) opens it; alice is kept from the old file, bob brings his
 * certificate on his stick, frank (a newcomer whose key keygen made on his stick) is added;
 * quorum 2 of 3; the new file goes on the backup stick; then every new holder presents their
 * key against the new file. PASS: the report is signed with the domain's unchanged key, lists
 * what must be destroyed, and the custody log holds a record for each. FAIL: frank's stick
 * carries another key beside his certificate, which does not open his share — nothing is to
 * be destroyed, and the old file stays in use.
 */
import {cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {writeHolderKey} from '../../source/domain/holder-key.js';
import {onlyReport} from '../helpers/files.js';
import {fixturesDir} from '../helpers/paths.js';
import {runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';
import type {Pane} from '../helpers/tmux.js';
import {
  answerFirstPin,
  choose,
  exitCode,
  insert,
  passphrase,
  removeStick,
  present as presentAt,
  shownAnywhere,
  startApp,
  tuiSuite,
  type Presenting,
} from '../helpers/tui.js';

const demo = join(fixturesDir, 'demo');
const DEMO_SD = join(demo, 'security-domain.json');
const FRANK_PASS = 'frank-rotation-pass';

interface RotationReport {
  verdict: string;
  verdictReason: string;
  scope: {mode: string};
  proof: {signed: boolean; publicKey?: string};
  rotation: {
    to: {file: string; required: number; total: number; generation: number} | null;
    kept: Array<{from: {holder: number}; to: {holder: number}; by: string}>;
    added: Array<{name: string | null}>;
    departed: Array<{holder: number; knownBy: string}>;
    proofs: Array<{
      holder: number;
      name: string | null;
      outcome: string;
      custodian: string | null;
      note: string | null;
    }>;
    destroy: Array<{what: string; record: string}>;
  };
}

interface Run {
  p: Pane;
  media: string;
  reports: string;
  config: string;
}

async function start(): Promise<Run> {
  const media = tempDir('e2e-rotation-media');
  mkdirSync(join(media, 'backup'));
  for (const h of ['alice', 'bob', 'carol'])
    cpSync(join(demo, 'sticks', h), join(media, h), {recursive: true});
  await writeHolderKey(join(media, 'frank'), 'frank', 2048, Buffer.from(FRANK_PASS));
  const app = startApp('rotation', [
    'drill',
    '--mode',
    'rotation',
    '--sd',
    DEMO_SD,
    '--media',
    media,
  ]);
  return {...app, media};
}

/** A holder, in bursts: their stick in, who they are, their passphrase, the stick out. */
const present = (p: Pane, stick: string, name: string, passphrase: string, more?: Presenting) =>
  presentAt(p, stick, name, 'Key custodian', {passphrase, burst: true, ...more});

/**
 * A holder already identified in this ceremony (kept from the old quorum) proving their new
 * key: the stick and the passphrase only — not asked who they are again.
 */
async function presentKnown(p: Pane, stick: string, name: string, pass: string): Promise<void> {
  await insert(p, stick);
  await p.waitFor(`${name}, Key custodian: identified earlier in this ceremony`);
  expect(p.flat()).not.toMatch(/Your name:/);
  await passphrase(p, pass, {burst: true});
  await removeStick(p, stick);
}

/** Old quorum → new holders (alice kept from the file, bob's and frank's sticks) → 3 of 3 → backup. */
async function toProve(run: Run, beforeProve?: () => void): Promise<string> {
  const {p} = run;
  await p.waitFor('Press Enter when the holders are ready');
  expect(p.flat()).toMatch(/sd-drill · Rotation · demo-hsm \(3 of 5\)/);
  await p.keys('Enter');
  await p.waitFor('The old quorum opens the domain first');
  for (const [stick, name] of [
    ['alice', 'Alice Ng'],
    ['bob', 'Bob Li'],
    ['carol', 'Carol Diaz'],
  ] as const)
    await present(p, stick, name, `${stick}-practice-only`);
  await p.waitFor('Quorum reached: press r');
  await p.keys('r');
  await p.waitFor('New holders (3 to 10)');
  await choose(p, 'keep holder 1 (alice)');
  await p.waitFor('alice is new holder 1');
  await choose(p, 'read stick bob');
  await p.waitFor("bob is new holder 2 (keeps holder 2's key)");
  await choose(p, 'read stick frank');
  await p.waitFor('frank is new holder 3.');
  expect(p.flat()).toMatch(/3 frank +\S+ +frank\.cer on stick frank/);
  await choose(p, 'done: these 3 are the new holders');
  await p.waitFor('3 new holders: 2 kept, 1 added, 3 departed.');
  // The choice starts on the current quorum: one Enter never weakens the domain.
  await p.waitFor('❯ 3 of 3 — the current quorum');
  await p.keys('Enter');
  await p.waitFor('Where does the new file go?');
  beforeProve?.();
  await choose(p, 'on stick backup as security-domain-gen2.json');
  const out = join(run.media, 'backup', 'security-domain-gen2.json');
  await p.waitFor('Every new holder, one at a time');
  return out;
}

tuiSuite('the rotation ceremony in a real terminal', () => {
  it('passes once every new holder has proven their key; the signed report lists what to destroy', async () => {
    const run = await start();
    const {p} = run;
    const oldFile = readFileSync(DEMO_SD, 'utf8');
    const out = await toProve(run);
    await presentKnown(p, 'alice', 'Alice Ng', 'alice-practice-only');
    await presentKnown(p, 'bob', 'Bob Li', 'bob-practice-only');
    await present(p, 'frank', 'Frank Oz', FRANK_PASS);
    await p.waitFor('Every new holder has opened their share: press r');
    await p.keys('r');
    await answerFirstPin(p);
    await p.waitFor('Report saved');
    const screen = p.flat();
    expect(screen).toMatch(/Verdict: PASS — all 3 new holders proved their keys/);
    expect(screen).toMatch(/Kept 2 · added 1 · departed 3 · new keys proven 3 of 3/);
    expect(screen).toMatch(/Now destroy every copy of the old file and 3 departed keys/);
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');

    const header = (JSON.parse(oldFile) as {domain: {reportKey: string}}).domain.reportKey;
    const report = onlyReport<RotationReport>(run.reports);
    expect(report.scope.mode).toBe('rotation');
    expect(report.verdict).toBe('pass');
    expect(report.proof).toMatchObject({signed: true, publicKey: header});
    expect(report.rotation.to).toMatchObject({file: out, required: 3, total: 3, generation: 2});
    expect(report.rotation.kept.map((k) => [k.from.holder, k.to.holder, k.by])).toEqual([
      [1, 1, 'certificate'],
      [2, 2, 'certificate'],
    ]);
    expect(report.rotation.added.map((a) => a.name)).toEqual(['frank']);
    expect(report.rotation.departed.map((d) => [d.holder, d.knownBy])).toEqual([
      [3, 'public-key'],
      [4, 'public-key'],
      [5, 'public-key'],
    ]);
    expect(report.rotation.proofs.map((x) => [x.name, x.outcome, x.custodian])).toEqual([
      ['alice', 'proven', 'Alice Ng'],
      ['bob', 'proven', 'Bob Li'],
      ['frank', 'proven', 'Frank Oz'],
    ]);
    expect(report.rotation.destroy.map((d) => d.what)).toEqual([
      'domain-file',
      'wrapping-key',
      'wrapping-key',
      'wrapping-key',
    ]);
    expect(report.rotation.destroy[1]?.record).toMatch(
      /^sd-drill custody add --from 'Carol Diaz' --to destroyed --fingerprint [0-9a-f]{64} /,
    );
    // The old file is untouched; the report verifies against the new file's header.
    expect(readFileSync(DEMO_SD, 'utf8')).toBe(oldFile);
    const env = {SD_DRILL_CONFIG_DIR: run.config};
    const json = readdirSync(run.reports).find((n) => n.endsWith('.json')) as string;
    const verified = runCli(['report', 'verify', join(run.reports, json), '--sd', out], {env});
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    const custody = JSON.parse(runCli(['custody', 'list', '--json'], {env}).stdout) as {
      custody: Array<{to: string; from: string; note: string | null}>;
    };
    expect(custody.custody.map((c) => [c.from, c.to])).toEqual([
      ['the quorum', 'to be destroyed'],
      ['Carol Diaz', 'to be destroyed'],
      ['custodian of dave', 'to be destroyed'],
      ['custodian of erin', 'to be destroyed'],
    ]);
    expect(shownAnywhere(p, ['alice-practice-only', FRANK_PASS])).toEqual([]);
  }, 240_000);

  it("fails when a new holder's key does not open their share: nothing is to be destroyed", async () => {
    const run = await start();
    const {p} = run;
    // Frank's stick gets another key beside his certificate after the certificate was read:
    // the key he brings is not the one the new file is wrapped to.
    const other = tempDir('e2e-rotation-other');
    await writeHolderKey(other, 'frank', 2048, Buffer.from(FRANK_PASS));
    await toProve(run, () =>
      writeFileSync(join(run.media, 'frank', 'frank.key'), readFileSync(join(other, 'frank.key'))),
    );
    await presentKnown(p, 'alice', 'Alice Ng', 'alice-practice-only');
    await present(p, 'frank', 'Frank Oz', FRANK_PASS, {remove: false});
    await p.waitFor('Report saved');
    const screen = p.flat();
    expect(screen).toMatch(
      /Verdict: FAIL — not every new holder proved their key — frank \(new holder 3\): .*frank\.key on stick frank: this key is not one of this domain's 3 wrapping keys/,
    );
    expect(screen).toMatch(/Destroy nothing: keep using the old file\./);
    await p.keys('q');
    expect(await exitCode(p)).toBe('1');
    const report = onlyReport<RotationReport>(run.reports);
    expect(report.verdict).toBe('fail');
    expect(report.proof.signed).toBe(false);
    expect(report.rotation.destroy).toEqual([]);
    expect(report.rotation.proofs.map((x) => [x.name, x.outcome])).toEqual([
      ['alice', 'not-proven'],
      ['bob', 'not-proven'],
      ['frank', 'not-proven'],
    ]);
    expect(report.rotation.proofs[2]?.note).toMatch(/not one of this domain's 3 wrapping keys/);
    const custody = JSON.parse(
      runCli(['custody', 'list', '--json'], {env: {SD_DRILL_CONFIG_DIR: run.config}}).stdout,
    ) as {custody: unknown[]};
    expect(custody.custody).toEqual([]);
  }, 240_000);
});
