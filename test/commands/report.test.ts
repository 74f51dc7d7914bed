import {randomBytes} from 'node:crypto';
import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {recordFromReport} from '../../source/report/build.js';
import type {DrillReport} from '../../source/report/model.js';
import {writeReport} from '../../source/report/write.js';
import {identityOf} from '../../source/store/pins.js';
import {openStore} from '../../source/store/store.js';
import {cleanErrorProblems, runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';
import {reportOf} from '../report/context.js';
import {drillState, type DrillSpec} from '../report/drill-states.js';

const secret = randomBytes(32);

function reportFile(
  spec: DrillSpec,
  id: string,
  key: Buffer = secret,
): {file: string; report: DrillReport} {
  const state = drillState(spec);
  // A drill of a domain file with a known digest: what the store's record is checked against.
  const report = reportOf({...state, domain: {...state.domain!, sha256: 'ab'.repeat(32)}}, key, id);
  const w = writeReport(tempDir('reports'), report);
  if (!w.ok) throw w.error;
  return {file: w.value.json, report};
}

describe('sd-drill report verify', () => {
  const passing = reportFile({}, 'v-pass');
  const env = {SD_DRILL_CONFIG_DIR: tempDir('verify-store')};

  it('exits 1 for an untouched report whose key nothing pins, and 0 with --expect-key of that key', () => {
    const r = runCli(['report', 'verify', passing.file], {env});
    expect(r.code).toBe(1);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/the signature is valid but its key is not pinned/);
    if (!passing.report.proof.signed) throw new Error('unsigned');
    const key = passing.report.proof.publicKey;
    const pinned = runCli(['report', 'verify', passing.file, '--expect-key', key], {env});
    expect(pinned.code).toBe(0);
    // What the report calls its domain is not repeated: only what pins it is shown.
    expect(pinned.stdout).toContain(
      `signature valid and its key pinned — drill v-pass of the domain whose key you gave (${key}), verdict PASS`,
    );
    expect(pinned.stdout).toContain('pinned by the expected key');
    const bad = runCli(['report', 'verify', passing.file, '--expect-key', 'not-a-key'], {env});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--expect-key must be a base64 Ed25519 public key/);
  });

  it('exits 1 for a copy with one participant’s name changed', () => {
    const json = JSON.parse(readFileSync(passing.file, 'utf8')) as DrillReport;
    (json.participants[0] as {custodian: string}).custodian = 'Somebody Else';
    const copy = join(tempDir('tampered'), 'drill-v-pass.json');
    writeFileSync(copy, JSON.stringify(json, null, 2));
    const r = runCli(['report', 'verify', copy], {env});
    expect(r.code).toBe(1);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toContain(`${copy}: the signature does not match the content`);
    const j = runCli(['report', 'verify', copy, '--json'], {env});
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({
      valid: false,
      reason: expect.stringContaining('changed after it was signed'),
    });
  });

  it('exits 1 for an unsigned (failed) report, saying why', () => {
    const failed = reportFile({presenters: [{index: 1}, {index: 2}], absent: [3, 4, 5]}, 'v-fail');
    const r = runCli(['report', 'verify', failed.file], {env});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the report is unsigned: the drill failed \(quorum cannot be met/);
  });

  it('exits 2 for a file that is not a report', () => {
    const dir = tempDir('bad');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"schemaVersion": 1, "id": 5}');
    for (const f of [bad, join(dir, 'missing.json')]) {
      const r = runCli(['report', 'verify', f], {env});
      expect(r.code).toBe(2);
      expect(cleanErrorProblems(r.stderr)).toEqual([]);
      expect(r.stderr).toContain(f);
    }
    const j = runCli(['report', 'verify', bad, '--json'], {env});
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toMatchObject({
      valid: false,
      error: expect.stringContaining('not a valid sd-drill report'),
    });
  });

  it('exits 2 at once for a FIFO, without opening it (it would block forever)', () => {
    const fifo = join(tempDir('fifo'), 'drill-x.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // Nothing ever writes to the FIFO: a reader that opened it would wait until killed (the
    // guard's timeout), and exit -1.
    const r = runCli(['report', 'verify', fifo], {env, timeout: 30_000});
    expect(r.code).toBe(2);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toBe(`sd-drill: ${fifo}: is a FIFO (named pipe), not a drill report\n`);
  });

  it('exits 2 with one line naming the file for a signed report given a field 200,000 deep', () => {
    const json = JSON.parse(readFileSync(passing.file, 'utf8')) as Record<string, unknown>;
    const depth = 200_000;
    const deep = join(tempDir('deep'), 'drill-v-pass.json');
    const text = JSON.stringify(json, null, 2);
    writeFileSync(
      deep,
      `${text.slice(0, -2)},\n  "note": ${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}\n}`,
    );
    const r = runCli(['report', 'verify', deep], {env});
    expect(r.code).toBe(2);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(
      new RegExp(
        `^sd-drill: ${deep}: nests more than 64 levels deep \\(at character \\d+\\), so not a drill report sd-drill signs\n$`,
      ),
    );
  });

  it('is pinned by the store’s record of the domain, and refuses another key for it', () => {
    const dir = tempDir('verify-history');
    const store = openStore({dir});
    const d = passing.report.scope.domain;
    if (!d || !passing.report.proof.signed) throw new Error('no domain');
    const identity = identityOf({
      ...d,
      holders: d.holders.map((h) => ({certFingerprint: h.fingerprint})),
    });
    store.recordPin(identity, passing.report.proof.publicKey, 'drill v-earlier', 'first-use');
    const earlier = reportFile({start: Date.parse('2024-12-01T10:00:00Z')}, 'v-earlier');
    store.recordDrill(recordFromReport(earlier.report, null));
    const same = runCli(['report', 'verify', passing.file, '--json'], {
      env: {SD_DRILL_CONFIG_DIR: dir},
    });
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({
      valid: true,
      pinned: true,
      pinnedBy: ['store'],
      matchesEarlier: 1,
    });

    // Another secret signing a report of the same domain: a different domain, not a notice.
    const impostor = reportFile(
      {start: Date.parse('2024-11-01T10:00:00Z')},
      'v-impostor',
      randomBytes(32),
    );
    const differs = runCli(['report', 'verify', impostor.file], {env: {SD_DRILL_CONFIG_DIR: dir}});
    expect(differs.code).toBe(1);
    expect(cleanErrorProblems(differs.stderr)).toEqual([]);
    expect(differs.stderr).toMatch(
      /this is not the domain on record: it claims the same domain id of "demo-hsm" \(pinned at first use on [\d-]+ by drill v-earlier\), whose key is/,
    );
  });
});
