import {randomBytes} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {buildReport, recordFromReport} from '../../source/report/build.js';
import type {DrillReport} from '../../source/report/model.js';
import {continuitySentence, verifyReportFile} from '../../source/report/verify.js';
import {writeReport} from '../../source/report/write.js';
import type {CeremonyState} from '../../source/ceremony/types.js';
import {drillState, endOf} from './drill-states.js';
import {tempDir} from '../helpers/temp.js';

function build(state: CeremonyState, secret: Buffer | undefined, id: string): DrillReport {
  return buildReport({
    state,
    id,
    now: endOf(state),
    toolVersion: '0.1.0',
    history: [],
    registry: [],
    settings: {reviewDays: 90, rtoMinutes: 60},
    ...(secret ? {domainSecret: secret} : {}),
  });
}

const secret = randomBytes(32);
const passing = build(drillState(), secret, 'pass-1');

describe('writeReport', () => {
  it('writes drill-<id>.md and drill-<id>.json, creating the folder', () => {
    const dir = join(tempDir('report'), 'reports', 'q1');
    const r = writeReport(dir, passing);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({
      markdown: join(dir, 'drill-pass-1.md'),
      json: join(dir, 'drill-pass-1.json'),
    });
    expect(JSON.parse(readFileSync(r.value.json, 'utf8'))).toEqual(passing);
    expect(readFileSync(r.value.markdown, 'utf8')).toMatch(/^# Drill report: demo-hsm — PASS/);
  });

  it('never writes over an existing report', () => {
    const dir = tempDir('report');
    writeFileSync(join(dir, 'drill-pass-1.md'), 'an earlier report\n');
    const r = writeReport(dir, passing);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('already exists');
    expect(readFileSync(join(dir, 'drill-pass-1.md'), 'utf8')).toBe('an earlier report\n');
    expect(existsSync(join(dir, 'drill-pass-1.json'))).toBe(false);
    const second = writeReport(tempDir('report'), passing);
    expect(second.ok).toBe(true);
  });

  it('refuses an id that is not a safe file name', () => {
    const dir = tempDir('report');
    const r = writeReport(join(dir, 'reports'), {...passing, id: '../escape'});
    expect(r.ok || [r.error.reason, r.error.message]).toEqual([
      'bad-report',
      expect.stringMatching(
        /^the drill report is not well formed \(id: .*\); nothing was written$/,
      ),
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('verifyReportFile', () => {
  function written(report: DrillReport): string {
    const r = writeReport(tempDir('report'), report);
    if (!r.ok) throw r.error;
    return r.value.json;
  }

  it('accepts an untouched signed report', () => {
    const r = verifyReportFile(written(passing), []);
    expect(r.ok && r.value).toMatchObject({valid: true, matchesEarlier: 0, differsFromEarlier: 0});
    if (r.ok) expect(continuitySentence(r.value)).toBe('first drill on record for this domain');
  });

  it('refuses a copy with one participant’s name changed', () => {
    const file = written(passing);
    const json = JSON.parse(readFileSync(file, 'utf8')) as DrillReport;
    (json.participants[1] as {custodian: string}).custodian = 'Mallory';
    writeFileSync(file, JSON.stringify(json, null, 2));
    // A valid report that fails its check (exit 1), not an unreadable one (exit 2).
    expect(verifyReportFile(file, [])).toMatchObject({
      ok: true,
      value: {valid: false, reason: expect.stringMatching(/changed after it was signed/)},
    });
  });

  it('refuses a report with a field added after signing', () => {
    const file = written(passing);
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({...json, approvedBy: 'nobody'}));
    expect(verifyReportFile(file, [])).toMatchObject({
      ok: true,
      value: {valid: false, reason: expect.stringMatching(/changed after it was signed/)},
    });
  });

  it('reports an unsigned (failed) report as not valid, with the reason', () => {
    const failed = build(
      drillState({presenters: [{index: 1}, {index: 2}], absent: [3, 4, 5]}),
      secret,
      'fail-1',
    );
    expect(verifyReportFile(written(failed), [])).toMatchObject({
      ok: true,
      value: {
        valid: false,
        reason: expect.stringMatching(
          /^the report is unsigned: the drill failed \(quorum cannot be met/,
        ),
      },
    });
  });

  it('is an input error (exit 2) for a missing, non-JSON or non-report file', () => {
    const dir = tempDir('report');
    const notJson = join(dir, 'x.json');
    writeFileSync(notJson, '{"schemaVersion":');
    const notReport = join(dir, 'y.json');
    writeFileSync(notReport, JSON.stringify({hello: 'world'}));
    for (const f of [join(dir, 'missing.json'), notJson, notReport, dir]) {
      const r = verifyReportFile(f, []);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.exitCode).toBe(2);
        expect(r.error.message.startsWith(f)).toBe(true);
      }
    }
  });

  it('compares the key with earlier drills of the same domain', () => {
    const earlier = build(
      drillState({start: Date.parse('2025-01-01T09:00:00Z')}),
      secret,
      'pass-0',
    );
    const other = build(
      drillState({start: Date.parse('2024-12-01T09:00:00Z')}),
      randomBytes(32),
      'pass-x',
    );
    const later = build(drillState({start: Date.parse('2025-06-01T09:00:00Z')}), secret, 'pass-9');
    const h1 = [
      recordFromReport(earlier, null),
      recordFromReport(later, null),
      recordFromReport(passing, null),
    ];
    const r1 = verifyReportFile(written(passing), h1);
    expect(r1.ok && r1.value).toMatchObject({
      valid: true,
      matchesEarlier: 1,
      differsFromEarlier: 0,
    });
    if (r1.ok) expect(continuitySentence(r1.value)).toBe('matches 1 earlier drill of this domain');
    const r2 = verifyReportFile(written(passing), [...h1, recordFromReport(other, null)]);
    expect(r2.ok && r2.value).toMatchObject({
      valid: true,
      matchesEarlier: 1,
      differsFromEarlier: 1,
    });
    if (r2.ok)
      expect(continuitySentence(r2.value)).toMatch(
        /^DIFFERENT key from earlier drills of this domain — investigate/,
      );
  });
});
