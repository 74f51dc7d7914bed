import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {buildReport, recordFromReport} from '../../source/report/build.js';
import type {DrillReport} from '../../source/report/model.js';
import {writeReport} from '../../source/report/write.js';
import {openStore} from '../../source/store/store.js';
import {cleanErrorProblems, runCli} from '../helpers/run-cli.js';
import {drillState, endOf, type DrillSpec} from '../report/drill-states.js';

const tmp = (p: string): string => mkdtempSync(join(tmpdir(), p));
const secret = randomBytes(32);

function reportFile(
  spec: DrillSpec,
  id: string,
  key: Buffer = secret,
): {file: string; report: DrillReport} {
  const state = drillState(spec);
  const report = buildReport({
    state,
    id,
    now: endOf(state),
    toolVersion: '0.1.0',
    history: [],
    registry: [],
    settings: {reviewDays: 90, rtoMinutes: 60},
    domainSecret: key,
  });
  const w = writeReport(tmp('sd-drill-reports-'), report);
  if (!w.ok) throw w.error;
  return {file: w.value.json, report};
}

describe('sd-drill report verify', () => {
  const passing = reportFile({}, 'v-pass');
  const env = {SD_DRILL_CONFIG_DIR: tmp('sd-drill-verify-store-')};

  it('exits 0 for an untouched report: the first drill of this domain on record', () => {
    const r = runCli(['report', 'verify', passing.file], {env});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('signature valid — drill v-pass of demo-hsm, verdict PASS');
    expect(r.stdout).toContain('first drill on record for this domain');
  });

  it('exits 1 for a copy with one participant’s name changed', () => {
    const json = JSON.parse(readFileSync(passing.file, 'utf8')) as DrillReport;
    (json.participants[0] as {custodian: string}).custodian = 'Somebody Else';
    const copy = join(tmp('sd-drill-tampered-'), 'drill-v-pass.json');
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
    const dir = tmp('sd-drill-bad-');
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

  it('says whether the key matches earlier drills of the domain in history', () => {
    const dir = tmp('sd-drill-verify-history-');
    const store = openStore({dir});
    const earlier = reportFile({start: Date.parse('2024-12-01T10:00:00Z')}, 'v-earlier');
    store.recordDrill(recordFromReport(earlier.report, null));
    const same = runCli(['report', 'verify', passing.file, '--json'], {
      env: {SD_DRILL_CONFIG_DIR: dir},
    });
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({
      valid: true,
      matchesEarlier: 1,
      differsFromEarlier: 0,
      continuity: 'matches 1 earlier drill of this domain',
    });

    const impostor = reportFile(
      {start: Date.parse('2024-11-01T10:00:00Z')},
      'v-impostor',
      randomBytes(32),
    );
    store.recordDrill(recordFromReport(impostor.report, null));
    const differs = runCli(['report', 'verify', passing.file], {env: {SD_DRILL_CONFIG_DIR: dir}});
    expect(differs.code).toBe(0);
    expect(differs.stdout).toContain(
      'DIFFERENT key from earlier drills of this domain — investigate',
    );
  });
});
