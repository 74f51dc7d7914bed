import {describe, expect, it} from 'vitest';
import {openStore} from '../../source/store/store.js';
import type {DrillRecord} from '../../source/store/schema.js';
import {runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';

const DAY = 24 * 60 * 60 * 1000;

function drill(
  id: string,
  daysAgo: number,
  verdict: DrillRecord['verdict'],
  patch: Partial<DrillRecord> = {},
): DrillRecord {
  return {
    id,
    domainId: 'dom-1',
    domainFile: '/sd.json',
    domainName: 'demo-hsm',
    date: new Date(Date.now() - daysAgo * DAY - 60_000).toISOString(),
    mode: 'rehearsal',
    verdict,
    durationMs: 754_000,
    reportJson: `/reports/drill-${id}.json`,
    reportMarkdown: `/reports/drill-${id}.md`,
    publicKey: null,
    ...patch,
  };
}

describe('sd-drill history', () => {
  const dir = tempDir('history');
  const store = openStore({dir});
  for (const d of [
    drill('d1', 200, 'pass'),
    drill('d2', 100, 'fail'),
    drill('d3', 10, 'pass'),
    drill('d4', 3, 'pass'),
    drill('o1', 120, 'pass', {domainId: 'dom-2', domainName: 'payments-hsm'}),
  ])
    store.recordDrill(d);
  const env = {SD_DRILL_CONFIG_DIR: dir};

  it('--json lists the recorded drills, newest first, with each domain’s review status', () => {
    const r = runCli(['history', '--json'], {env});
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      drills: DrillRecord[];
      domains: Array<Record<string, unknown>>;
    };
    expect(doc.drills.map((d) => d.id)).toEqual(['d4', 'd3', 'd2', 'o1', 'd1']);
    expect(doc.domains).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          domain: 'demo-hsm',
          verdicts: ['pass', 'fail', 'pass', 'pass'],
          daysSinceLastPass: 3,
          nextReviewDueInDays: 87,
          overdue: false,
        }),
        expect.objectContaining({domain: 'payments-hsm', overdue: true}),
      ]),
    );
  });

  it('prints a trend line per domain', () => {
    const r = runCli(['history'], {env});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'demo-hsm: pass fail pass pass — last pass 3 days ago; next review due in 87 days',
    );
    expect(r.stdout).toContain(
      'payments-hsm: pass — last pass 120 days ago; review OVERDUE by 30 days',
    );
    const lines = r.stdout.split('\n');
    expect(lines.findIndex((l) => l.includes('d4'))).toBeLessThan(
      lines.findIndex((l) => l.includes('d1')),
    );
  });

  it('says so when nothing is on record', () => {
    const r = runCli(['history'], {
      env: {SD_DRILL_CONFIG_DIR: tempDir('empty')},
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No drills on record yet/);
  });

  it('lists an onboarding drill as practice, with no domain to review', () => {
    const own = tempDir('history-onboarding');
    openStore({dir: own}).recordDrill(
      drill('p1', 1, 'pass', {
        mode: 'onboarding',
        domainId: 'practice-1',
        domainName: 'practice-hsm',
      }),
    );
    const env2 = {SD_DRILL_CONFIG_DIR: own};
    const r = runCli(['history'], {env: env2});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/practice-hsm {2}onboarding \(practice domain, no reviews\) {2}PASS/);
    expect(r.stdout).not.toMatch(/practice-hsm:.*review/);
    const doc = JSON.parse(runCli(['history', '--json'], {env: env2}).stdout) as {
      drills: unknown[];
      domains: unknown[];
    };
    expect(doc.drills).toHaveLength(1);
    expect(doc.domains).toEqual([]);
  });
});
