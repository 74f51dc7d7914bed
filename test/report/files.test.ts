import {randomBytes} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {writeReport} from '../../source/report/write.js';
import {reportOf as build} from './context.js';
import {drillState} from './drill-states.js';
import {tempDir} from '../helpers/temp.js';

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
