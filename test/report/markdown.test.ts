import {randomBytes} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {renderTimelineChart, formatDuration} from '../../source/report/chart.js';
import {renderMarkdown} from '../../source/report/markdown.js';
import type {CeremonyState} from '../../source/ceremony/types.js';
import {reportOf} from './context.js';
import {drillState} from './drill-states.js';

const build = (state: CeremonyState, secret?: Buffer) => reportOf(state, secret, 'md-1');

function section(md: string, heading: string): string {
  const start = md.indexOf(`## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const next = md.indexOf('\n## ', start + 3);
  return md.slice(start, next < 0 ? undefined : next);
}

describe('the Markdown report', () => {
  const report = build(
    drillState({presenters: [{index: 1, custodian: 'Ann | <b>Admin</b>'}, {index: 2}, {index: 3}]}),
    randomBytes(32),
  );
  const md = renderMarkdown(report);

  it('has the after-action sections in order', () => {
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## Scope',
      '## Objectives',
      '## Participants',
      '## Timeline',
      '## Findings',
      '## Recommendations',
      '## Verdict',
      '## Restore results',
      '## Proof of recovery',
    ]);
  });

  it('tables the participants, escaping what could break the table or inject markup', () => {
    const rows = section(md, 'Participants')
      .split('\n')
      .filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(4);
    expect(rows[1]).toContain('Ann \\| &lt;b&gt;Admin&lt;/b&gt;');
    expect(rows[1]?.split(/(?<!\\)\|/).length).toBe(rows[0]?.split('|').length);
    expect(section(md, 'Participants')).toContain('Not called: holder 4 (dave), holder 5 (erin).');
  });

  it('shows control characters from names as \\uXXXX, so reading the file cannot drive a terminal', () => {
    const evil = renderMarkdown(
      build(
        drillState({
          presenters: [{index: 1, custodian: 'Eve\u001b[2J\u009b31m'}, {index: 2}, {index: 3}],
        }),
        randomBytes(32),
      ),
    );
    expect(evil).toContain('Eve\\u001b');
    expect([...evil].some((c) => c === '\u001b' || c === '\u009b')).toBe(false);
  });

  it('charts each step with a bar proportional to the longest, at most 30 wide', () => {
    const rows = section(md, 'Timeline')
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Step'));
    expect(rows).toHaveLength(report.timeline.length);
    const bars = rows.map((r) => (r.match(/█+/) ?? [''])[0].length);
    expect(Math.max(...bars)).toBe(30);
    const longest = report.timeline.findIndex(
      (s) => s.durationMs === Math.max(...report.timeline.map((x) => x.durationMs)),
    );
    expect(bars[longest]).toBe(30);
    expect(report.timeline[longest]?.step).toBe('collect');
  });

  it('gives the verdict, the restore results and the public key', () => {
    expect(section(md, 'Verdict')).toContain('**PASS**');
    expect(section(md, 'Restore results')).toContain(
      'Keys restored into the new (simulated) HSM: 12 of 12',
    );
    expect(section(md, 'Restore results')).toContain('Canaries passed: 3 of 3');
    if (!report.proof.signed) throw new Error('unsigned');
    expect(section(md, 'Proof of recovery')).toContain(report.proof.publicKey);
  });

  it('says why a failed drill is unsigned', () => {
    const failed = renderMarkdown(
      build(drillState({presenters: [{index: 1}, {index: 2}], absent: [3, 4, 5]})),
    );
    expect(section(failed, 'Proof of recovery')).toMatch(
      /Unsigned: the drill failed \(quorum cannot be met/,
    );
    expect(section(failed, 'Verdict')).toContain('**FAIL**');
    expect(section(failed, 'Findings')).toContain('`holder-absent`');
  });
});

describe('renderTimelineChart', () => {
  const steps = [
    {title: 'Start', durationMs: 2_000, outcome: 'completed' as const},
    {title: 'Collect shares', durationMs: 725_000, outcome: 'completed' as const},
    {title: 'Reconstruct', durationMs: 362_500, outcome: 'failed' as const},
    {title: 'Restore', durationMs: 0, outcome: 'aborted' as const},
  ];

  it('fits 76 columns whatever width is asked for', () => {
    for (const width of [76, 120, 1000]) {
      const lines = renderTimelineChart(steps, width);
      expect(lines).toHaveLength(4);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(76);
    }
    for (const l of renderTimelineChart(steps, 40)) expect([...l].length).toBeLessThanOrEqual(40);
  });

  it('draws bars in proportion and marks failed and aborted steps', () => {
    const lines = renderTimelineChart(steps, 76);
    const full = (l: string | undefined) => (l?.match(/█/g) ?? []).length;
    expect(full(lines[1])).toBeGreaterThan(40);
    expect(Math.abs(full(lines[2]) - full(lines[1]) / 2)).toBeLessThanOrEqual(1);
    expect(lines[0]).toMatch(/^Start +▏? +2s$/);
    expect(lines[1]).toMatch(/12m 05s$/);
    expect(lines[2]).toMatch(/6m 02s ✗$/);
    expect(lines[3]).toMatch(/<1s !$/);
  });

  it('formats durations', () => {
    expect([400, 42_000, 185_000, 3_720_000].map(formatDuration)).toEqual([
      '<1s',
      '42s',
      '3m 05s',
      '1h 02m',
    ]);
  });
});

describe('the Markdown report on the key’s pin', () => {
  const at = Date.parse('2025-03-01T11:00:00.000Z');
  const withIdentity = (identity: NonNullable<CeremonyState['identity']>) => {
    const s = drillState();
    return renderMarkdown(build({...s, identity}, randomBytes(32)));
  };
  const key = 'A'.repeat(43) + '=';
  const base = {reportKey: key, mismatch: null, recorded: false} as const;

  it('says it is a rendering and names the signed record', () => {
    const md = withIdentity({...base, pinnedBy: 'store', recorded: true});
    expect(md).toMatch(
      /> This Markdown is a rendering, not the record: it is not signed.*`drill-md-1\.json`/,
    );
  });

  it('says whether the first use was pinned, declined, or never asked', () => {
    expect(withIdentity({...base, pinnedBy: 'first-use', firstPin: {pinned: true, at}})).toMatch(
      /pinned at first use on 2025-03-01 11:00:00Z: no key was on record/,
    );
    expect(withIdentity({...base, pinnedBy: 'first-use', firstPin: {pinned: false, at}})).toMatch(
      /NOT pinned: .*the operator chose not to pin this one/,
    );
    expect(withIdentity({...base, pinnedBy: 'header'})).toMatch(
      /authenticated header; no key was on record .* none was pinned \(the drill ended before anyone was asked\)/,
    );
    expect(withIdentity({...base, pinnedBy: 'header', firstPin: {pinned: true, at}})).toMatch(
      /authenticated header; .*the operator pinned it there at first use on 2025-03-01 11:00:00Z/,
    );
  });
});
