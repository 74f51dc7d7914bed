/**
 * `custodian-mismatch` (a registered key presented by someone else) and `quorum-lowered` (a
 * rotation's new quorum chosen below the safe default), on states the real reducer makes.
 */
import {describe, expect, it} from 'vitest';
import type {CeremonyState} from '../../source/ceremony/types.js';
import {buildReport} from '../../source/report/build.js';
import {findingsFor} from '../../source/report/findings.js';
import type {Finding} from '../../source/report/model.js';
import {drillState, endOf, fingerprint} from './drill-states.js';
import {ctx, record, registered} from './context.js';

const mismatches = (state: CeremonyState, registry = [registered(2, 'Bob Li', 'Key custodian')]) =>
  findingsFor(state, ctx(state, {history: [record('pass', 10)], registry})).filter(
    (f: Finding) => f.rule === 'custodian-mismatch',
  );

describe('custodian-mismatch', () => {
  it('names the registered and the actual custodian when someone else presented the key', () => {
    const state = drillState({
      presenters: [{index: 1}, {index: 2, custodian: 'Robert Li', role: 'Deputy'}, {index: 3}],
    });
    const fs = mismatches(state);
    expect(fs).toHaveLength(1);
    expect(fs[0]?.severity).toBe('warning');
    expect(fs[0]?.evidence).toBe(
      "holder 2 (bob)'s key is registered to Bob Li (Key custodian), but Robert Li (Deputy) presented it.",
    );
    expect(fs[0]?.remedy).toContain(
      `sd-drill custody add --from 'Bob Li' --to 'Robert Li' --fingerprint ${fingerprint(2)}`,
    );
    // And in the report the auditor reads.
    const report = buildReport({
      state,
      id: 'mismatch',
      now: endOf(state),
      toolVersion: '0.1.0',
      history: [],
      registry: [registered(2, 'Bob Li', 'Key custodian')],
      settings: {reviewDays: 90, rtoMinutes: 60},
    });
    expect(report.findings.map((f) => f.rule)).toContain('custodian-mismatch');
    expect(report.participants.find((p) => p.holderIndex === 2)).toMatchObject({
      custodian: 'Robert Li',
      custodianSource: 'drill',
    });
  });

  it('is not raised for the registered custodian (however spelled), nor for an unregistered key', () => {
    const same = drillState({
      presenters: [{index: 1}, {index: 2, custodian: '  bob  LI '}, {index: 3}],
    });
    expect(mismatches(same)).toEqual([]);
    const other = drillState({
      presenters: [{index: 1}, {index: 2, custodian: 'Robert Li'}, {index: 3}],
    });
    expect(mismatches(other, [])).toEqual([]);
  });
});
