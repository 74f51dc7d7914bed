import {randomBytes} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {buildReport, newDrillId, recordFromReport} from '../../source/report/build.js';
import {DrillReportSchema} from '../../source/report/model.js';
import {signedBytes, verifyBytes} from '../../source/report/proof.js';
import type {CeremonyState} from '../../source/ceremony/types.js';
import {drillState, endOf} from './drill-states.js';
import {record} from './context.js';

function build(state: CeremonyState, domainSecret?: Buffer, id = 'drill-test-1') {
  return buildReport({
    state,
    id,
    now: endOf(state) + 1000,
    toolVersion: '0.1.0',
    history: [record('pass', 10)],
    registry: [],
    settings: {reviewDays: 90, rtoMinutes: 60},
    ...(domainSecret ? {domainSecret} : {}),
  });
}

describe('a passing 3-of-5 drill', () => {
  const secret = randomBytes(32);
  const report = build(drillState(), secret);

  it('is a signed pass with three participants and the full timeline', () => {
    expect(DrillReportSchema.safeParse(report).success).toBe(true);
    expect(report.verdict).toBe('pass');
    expect(report.tool).toEqual({name: 'sd-drill', version: '0.1.0'});
    expect(report.schemaVersion).toBe(1);
    expect(report.participants.map((p) => [p.holderIndex, p.custodian, p.outcome])).toEqual([
      [1, 'Alice', 'accepted'],
      [2, 'Bob', 'accepted'],
      [3, 'Carol', 'accepted'],
    ]);
    expect(report.participants[0]?.stick).toMatchObject({
      path: '/media/stick1',
      removable: true,
      device: '/dev/sdb',
    });
    expect(report.participants[0]?.presentedAt).toMatch(/^2025-03-01T10:\d\d:\d\d\.000Z$/);
    expect(report.timeline.length).toBeGreaterThanOrEqual(5);
    expect(report.timeline.map((s) => s.step)).toEqual([
      'start',
      'load',
      'inspect',
      'disaster',
      'collect',
      'reconstruct',
      'restore',
    ]);
    for (const s of report.timeline) expect(s.durationMs).toBeGreaterThan(0);
    expect(report.timeline.reduce((sum, s) => sum + s.durationMs, 0)).toBe(report.durationMs);
    expect(Array.isArray(report.findings)).toBe(true);
    expect(report.scope.domain).toMatchObject({name: 'demo-hsm', quorum: {required: 3, total: 5}});
    expect(report.scope).toMatchObject({mode: 'rehearsal', scenario: 'destroyed'});
    expect(report.objectives[0]).toBe('prove 3 of 5 holders can reconstruct the domain');
    expect(report.restore).toMatchObject({
      keysRestored: 12,
      keysExpected: 12,
      canaries: {passed: 3, total: 3},
    });
    expect(report.restore?.blobs[0]).toEqual({tag: 'domain', bytes: 4096, sha256: 'ab'.repeat(32)});
  });

  it('carries an Ed25519 signature over its canonical JSON', () => {
    expect(report.proof.signed).toBe(true);
    if (!report.proof.signed) return;
    expect(report.proof.algorithm).toBe('Ed25519');
    expect(Buffer.from(report.proof.publicKey, 'base64')).toHaveLength(32);
    expect(verifyBytes(report.proof.publicKey, signedBytes(report), report.proof.signature)).toBe(
      true,
    );
    const changed = {...report, verdictReason: 'something else'};
    expect(verifyBytes(report.proof.publicKey, signedBytes(changed), report.proof.signature)).toBe(
      false,
    );
  });

  it('does not wipe the caller’s secret', () => {
    expect(secret.equals(Buffer.alloc(32))).toBe(false);
  });

  it('has the same public key for every drill of the domain, and another for another secret', () => {
    const again = build(drillState({stepMs: 45_000}), Buffer.from(secret), 'drill-test-2');
    const other = build(drillState(), randomBytes(32), 'drill-test-3');
    if (!report.proof.signed || !again.proof.signed || !other.proof.signed)
      throw new Error('unsigned');
    expect(again.proof.publicKey).toBe(report.proof.publicKey);
    expect(other.proof.publicKey).not.toBe(report.proof.publicKey);
  });

  it('becomes a history record naming its key and files', () => {
    const r = recordFromReport(report, {
      markdown: '/r/drill-test-1.md',
      json: '/r/drill-test-1.json',
    });
    expect(r).toMatchObject({
      id: 'drill-test-1',
      verdict: 'pass',
      domainName: 'demo-hsm',
      reportJson: '/r/drill-test-1.json',
    });
    if (report.proof.signed) expect(r.publicKey).toBe(report.proof.publicKey);
  });
});

describe('drills that do not pass', () => {
  it('2 of the 3 required holders: a fail, unsigned, saying why', () => {
    const state = drillState({presenters: [{index: 1}, {index: 2}], absent: [3, 4, 5]});
    expect(state.step).toBe('report');
    const report = build(state, randomBytes(32));
    expect(report.verdict).toBe('fail');
    expect(report.verdictReason).toMatch(/quorum cannot be met/);
    expect(report.participants.filter((p) => p.outcome === 'accepted')).toHaveLength(2);
    expect(report.participants.filter((p) => p.outcome === 'absent')).toHaveLength(3);
    expect(report.proof).toEqual({
      signed: false,
      reason: expect.stringMatching(
        /^the drill failed \(quorum cannot be met.*no proof of recovery$/,
      ),
    });
    expect(report.timeline.at(-1)?.outcome).toBe('failed');
    expect(report.restore).toBeNull();
  });

  it('an aborted drill is unsigned and says so', () => {
    const report = build(drillState({presenters: [{index: 1}], end: 'abort'}), randomBytes(32));
    expect(report.verdict).toBe('aborted');
    expect(report.proof).toMatchObject({signed: false, reason: expect.stringContaining('aborted')});
    expect(report.timeline.at(-1)?.outcome).toBe('aborted');
  });

  it('a restore that did not verify is a fail', () => {
    const report = build(drillState({end: 'restore-incomplete'}), randomBytes(32));
    expect(report.verdict).toBe('fail');
    expect(report.proof.signed).toBe(false);
    expect(report.restore).toMatchObject({verified: false, keysRestored: 11});
  });

  it('a pass without the domain secret is unsigned, with the reason', () => {
    const report = build(drillState());
    expect(report.verdict).toBe('pass');
    expect(report.proof).toEqual({
      signed: false,
      reason: 'no reconstructed domain secret was given to sign with',
    });
  });
});

describe('participants', () => {
  it('lists holders who came or were marked absent, not those never called', () => {
    const report = build(
      drillState({presenters: [{index: 2}, {index: 1}, {index: 4}]}),
      randomBytes(32),
    );
    expect(report.participants.map((p) => p.holderIndex)).toEqual([1, 2, 4]);
  });
  it('a holder with three wrong passphrases is failed', () => {
    const report = build(
      drillState({
        presenters: [{index: 1, passphraseFailures: 3}, {index: 2}, {index: 3}, {index: 4}],
      }),
      randomBytes(32),
    );
    expect(report.participants.find((p) => p.holderIndex === 1)).toMatchObject({
      outcome: 'failed',
      passphraseFailures: 3,
      presentedAt: null,
    });
  });
});

describe('newDrillId', () => {
  it('sorts by time and is safe in a file name', () => {
    const a = newDrillId(Date.parse('2025-03-01T10:15:00.123Z'));
    expect(a).toMatch(/^20250301-101500-[0-9a-f]{6}$/);
    expect(newDrillId(Date.parse('2025-03-01T10:15:01Z')) > a).toBe(true);
  });
});
