/**
 * The separation findings from the holder registry: `quorum-at-one-site` (m or more of the
 * domain's keys registered at one location) and `roles-not-separate` (m or more holders
 * registered with one role, so a quorum forms inside that role). Each quotes the domain
 * document's sentence as its reason; fewer than m in one group is not a finding.
 */
import {describe, expect, it} from 'vitest';
import {initialState, reduce} from '../../source/ceremony/reduce.js';
import type {CeremonyState} from '../../source/ceremony/types.js';
import {findingsFor} from '../../source/report/findings.js';
import type {Finding, FindingRule} from '../../source/report/model.js';
import type {RegistryEntry} from '../../source/store/schema.js';
import {buildReport} from '../../source/report/build.js';
import {renderMarkdown} from '../../source/report/markdown.js';
import {ctx, registered} from './context.js';
import {domainSummary, drillState, endOf, T0, type DrillSpec} from './drill-states.js';

function inspectState(spec: DrillSpec = {}): CeremonyState {
  let s = initialState(T0);
  s = reduce(s, {type: 'choose-mode', mode: 'rehearsal', at: T0 + 1000});
  return reduce(s, {type: 'domain-loaded', domain: domainSummary(spec), at: T0 + 2000});
}

const of = (state: CeremonyState, registry: RegistryEntry[], rule: FindingRule): Finding[] =>
  findingsFor(state, ctx(state, {registry})).filter((f) => f.rule === rule);

/** Holder `i` registered at `location` with `role`. */
const at = (i: number, location: string | null, role: string): RegistryEntry => ({
  ...registered(i, `Custodian ${i}`, role),
  location,
});

describe('quorum-at-one-site', () => {
  it('is an error when m keys are registered at one location, compared ignoring case and spaces', () => {
    const registry = [
      at(1, 'Safe B, Zurich', 'Security Architect'),
      at(2, 'safe b,  zurich ', 'Security Engineer'),
      at(3, 'SAFE B, ZURICH', 'Application Developer'),
      at(4, 'Safe A, Geneva', 'Business Unit Technical Lead'),
    ];
    const f = of(inspectState(), registry, 'quorum-at-one-site');
    expect(f).toHaveLength(1);
    expect(f[0]?.severity).toBe('error');
    expect(f[0]?.evidence).toMatch(
      /^The holder registry puts 3 of this domain's keys at "Safe B, Zurich" \(holders 1 \(alice\), 2 \(bob\) and 3 \(carol\)\): a quorum of 3 in one place/,
    );
    expect(f[0]?.evidence).toContain(
      'The domain document: "The storage devices must be held at separate geographical locations',
    );
    expect(f[0]?.remedy).toMatch(/until fewer than 3 are kept there/);
  });

  it('is no finding with m − 1 at one site, with no locations, or for keys of another domain', () => {
    const two = [at(1, 'Safe B', 'r1'), at(2, 'Safe B', 'r2'), at(3, 'Safe C', 'r3')];
    expect(of(inspectState(), two, 'quorum-at-one-site')).toEqual([]);
    const none = [at(1, null, 'r1'), at(2, null, 'r2'), at(3, null, 'r3')];
    expect(of(inspectState(), none, 'quorum-at-one-site')).toEqual([]);
    const stranger = {...at(4, 'Safe B', 'r4'), fingerprint: 'ff'.repeat(32)};
    expect(of(inspectState(), [...two, stranger], 'quorum-at-one-site')).toEqual([]);
    // The same three at one site make it a finding: the test above failed for the right reason.
    expect(of(inspectState(), [...two, at(3, 'Safe B', 'r3')], 'quorum-at-one-site')).toHaveLength(
      1,
    );
  });

  it('follows the quorum: 2 at one site is a quorum of a 2-of-4 domain', () => {
    const registry = [at(1, 'HQ', 'a'), at(2, 'HQ', 'b')];
    expect(
      of(inspectState({required: 2, holders: 4}), registry, 'quorum-at-one-site'),
    ).toHaveLength(1);
    expect(of(inspectState({required: 3, holders: 4}), registry, 'quorum-at-one-site')).toEqual([]);
  });
});

describe('roles-not-separate', () => {
  it('is a warning when a quorum of holders share one registered role', () => {
    const registry = [
      at(1, 'Site 1', 'Security Engineer'),
      at(2, 'Site 2', 'security  engineer'),
      at(4, 'Site 4', 'Security Engineer'),
      at(3, 'Site 3', 'Security Architect'),
    ];
    const f = of(inspectState(), registry, 'roles-not-separate');
    expect(f).toHaveLength(1);
    expect(f[0]?.severity).toBe('warning');
    expect(f[0]?.evidence).toMatch(
      /gives 3 of this domain's holders the one role "Security Engineer" \(holders 1 \(alice\), 2 \(bob\) and 4 \(dave\)\): 3 of them form a quorum/,
    );
    expect(f[0]?.evidence).toContain(
      '"Security domain holders should have separate roles and be geographically separated within your organization."',
    );
  });

  it('is no finding when every role has fewer than m holders', () => {
    const registry = [1, 2, 3, 4, 5].map((i) => at(i, `Site ${i}`, i % 2 ? 'Engineer' : 'Lead'));
    // Engineer: holders 1, 3, 5 — a quorum; without holder 5 it is 2 and no finding.
    expect(of(inspectState(), registry, 'roles-not-separate')).toHaveLength(1);
    expect(of(inspectState(), registry.slice(0, 4), 'roles-not-separate')).toEqual([]);
  });

  it('does not count the role typed at the machine, only the registry', () => {
    // drillState's three presenters all type "Security Engineer".
    expect(of(drillState(), [], 'roles-not-separate')).toEqual([]);
  });
});

describe('in reports', () => {
  it('are in the report, with their remedies among the recommendations', () => {
    const state = drillState();
    const registry = [1, 2, 3, 4, 5].map((i) => at(i, 'Vault 7', 'Ops'));
    const report = buildReport({
      state,
      id: 'r1',
      now: endOf(state),
      toolVersion: '0.1.0',
      history: [],
      registry,
      settings: {reviewDays: 90, rtoMinutes: 60},
    });
    const site = report.findings.find((f) => f.rule === 'quorum-at-one-site');
    const roles = report.findings.find((f) => f.rule === 'roles-not-separate');
    expect(site?.evidence).toMatch(/puts 5 of this domain's keys at "Vault 7"/);
    expect(roles?.evidence).toMatch(/gives 5 of this domain's holders the one role "Ops"/);
    expect(report.recommendations).toContain(site?.remedy);
    expect(report.recommendations).toContain(roles?.remedy);
    expect(renderMarkdown(report)).toMatch(/\*\*ERROR\*\* `quorum-at-one-site`/);
  });
});
