import {describe, expect, it} from 'vitest';
import {initialState, reduce} from '../../source/ceremony/reduce.js';
import type {CeremonyState} from '../../source/ceremony/types.js';
import {
  findingsFor,
  recommendationsFrom,
  type FindingsContext,
} from '../../source/report/findings.js';
import type {Finding, FindingRule} from '../../source/report/model.js';
import {domainSummary, drillState, T0, type DrillSpec} from './drill-states.js';
import {ctx, record, registered} from './context.js';

function rules(state: CeremonyState, patch: Partial<FindingsContext> = {}): Finding[] {
  return findingsFor(state, ctx(state, {history: [record('pass', 10)], ...patch}));
}
const of = (fs: Finding[], rule: FindingRule): Finding[] => fs.filter((f) => f.rule === rule);

/** A state with only the domain loaded: what the inspect screen sees. */
function inspectState(spec: DrillSpec = {}): CeremonyState {
  let s = initialState(T0);
  s = reduce(s, {type: 'choose-mode', mode: 'rehearsal', at: T0 + 1000});
  return reduce(s, {type: 'domain-loaded', domain: domainSummary(spec), at: T0 + 2000});
}

describe('a clean drill', () => {
  it('has no errors or warnings: 3 of 5, RSA-2048, three custodians on removable sticks, reviewed 10 days ago', () => {
    const fs = rules(drillState());
    expect(fs.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

describe('quorum-size', () => {
  it('is an error for a quorum of 1', () => {
    const f = of(rules(inspectState({required: 1, holders: 3})), 'quorum-size');
    expect(f).toHaveLength(1);
    expect(f[0]?.severity).toBe('error');
    expect(f[0]?.evidence).toContain('1 of 3');
  });
  it('is a warning for a quorum of 2', () => {
    const f = of(rules(inspectState({required: 2, holders: 4})), 'quorum-size');
    expect(f.map((x) => x.severity)).toEqual(['warning']);
  });
  it('says nothing for a quorum of 3', () => {
    expect(of(rules(inspectState({required: 3})), 'quorum-size')).toEqual([]);
  });
});

describe('holders-count', () => {
  it('is an error with fewer than 3 wrapping keys', () => {
    const f = of(rules(inspectState({required: 2, holders: 2})), 'holders-count');
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toContain('2 wrapping keys');
  });
  it('is an error with more than 10', () => {
    const f = of(rules(inspectState({required: 3, holders: 11})), 'holders-count');
    expect(f[0]?.evidence).toContain('11 wrapping keys');
  });
  it('says nothing for 3 and for 10', () => {
    expect(of(rules(inspectState({required: 3, holders: 3})), 'holders-count')).toEqual([]);
    expect(of(rules(inspectState({required: 3, holders: 10})), 'holders-count')).toEqual([]);
  });
});

describe('key-size', () => {
  it('names the holder with an RSA key under 2048 bits', () => {
    const f = of(rules(inspectState({bits: [2048, 1024, 4096, 2048, 2048]})), 'key-size');
    expect(f).toHaveLength(1);
    expect(f[0]?.severity).toBe('error');
    expect(f[0]?.evidence).toContain('holder 2 (bob) has a 1024-bit RSA key');
  });
  it('says nothing when every key is 2048 bits or more', () => {
    expect(of(rules(inspectState({bits: [2048, 3072, 4096, 2048, 2048]})), 'key-size')).toEqual([]);
  });
});

describe('custodian-holds-quorum', () => {
  it('flags one custodian presenting all three keys (names compared case-insensitively, trimmed)', () => {
    const state = drillState({
      presenters: [
        {index: 1, custodian: 'Mallory Jones'},
        {index: 2, custodian: '  mallory JONES '},
        {index: 3, custodian: 'MALLORY JONES'},
      ],
    });
    const f = of(rules(state), 'custodian-holds-quorum');
    expect(f).toHaveLength(1);
    expect(f[0]?.severity).toBe('error');
    expect(f[0]?.evidence).toMatch(/Mallory Jones presented 3 keys in this drill/);
  });
  it('flags a custodian registered for m of this domain’s keys, before anyone arrives', () => {
    const registry = [
      registered(1, 'Eve'),
      registered(2, 'eve '),
      registered(4, 'EVE'),
      registered(3, 'Carol'),
    ];
    const f = of(rules(inspectState(), {registry}), 'custodian-holds-quorum');
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toContain('holder registry has Eve as custodian of 3');
  });
  it('says nothing when one person presents two of a quorum of three', () => {
    const state = drillState({
      presenters: [
        {index: 1, custodian: 'Alice'},
        {index: 2, custodian: 'alice'},
        {index: 3, custodian: 'Carol'},
      ],
    });
    expect(of(rules(state), 'custodian-holds-quorum')).toEqual([]);
    const registry = [registered(1, 'Eve'), registered(2, 'Eve'), registered(3, 'Carol')];
    expect(of(rules(inspectState(), {registry}), 'custodian-holds-quorum')).toEqual([]);
  });
  it('ignores registry entries for other domains’ keys', () => {
    const registry = [
      registered(1, 'Eve'),
      registered(2, 'Eve'),
      {...registered(3, 'Eve'), fingerprint: 'ab'.repeat(32)},
    ];
    expect(of(rules(inspectState(), {registry}), 'custodian-holds-quorum')).toEqual([]);
  });
});

describe('key-not-on-removable-media', () => {
  it('is an error for a key presented from a fixed disk', () => {
    const state = drillState({
      presenters: [
        {index: 1, stick: {removable: false, path: '/home/alice'}},
        {index: 2},
        {index: 3},
      ],
    });
    const f = of(rules(state), 'key-not-on-removable-media');
    expect(f.map((x) => x.severity)).toEqual(['error']);
    expect(f[0]?.evidence).toContain('/home/alice');
  });
  it('is an info note for --media folder sticks: removability was not checked', () => {
    const folder = (n: number) => ({
      source: 'folder' as const,
      removable: null,
      device: `folder:/demo/sticks/s${n}`,
      path: `/demo/sticks/s${n}`,
    });
    const state = drillState({
      presenters: [1, 2, 3].map((index) => ({index, stick: folder(index)})),
    });
    const f = of(rules(state), 'key-not-on-removable-media');
    expect(f.map((x) => x.severity)).toEqual(['info']);
    expect(f[0]?.evidence).toMatch(/removability was not checked/);
  });
  it('says nothing when every key came from a removable stick', () => {
    expect(of(rules(drillState()), 'key-not-on-removable-media')).toEqual([]);
  });
});

describe('same-device-multiple-keys', () => {
  it('flags two keys presented from the same stick path', () => {
    const state = drillState({
      presenters: [
        {index: 1},
        {index: 2, stick: {path: '/media/stick1', device: '/dev/sdb'}},
        {index: 3},
      ],
    });
    const f = of(rules(state), 'same-device-multiple-keys');
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toContain('holder 1 (alice) and holder 2 (bob)');
  });
  it('flags two sticks that are partitions of the same device', () => {
    const state = drillState({
      presenters: [
        {index: 1, stick: {device: '/dev/sdz'}},
        {index: 2, stick: {device: '/dev/sdz'}},
        {index: 3},
      ],
    });
    const f = of(rules(state), 'same-device-multiple-keys');
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toContain('/dev/sdz');
  });
  it('says nothing for separate sticks', () => {
    expect(of(rules(drillState()), 'same-device-multiple-keys')).toEqual([]);
  });
});

describe('review-overdue', () => {
  it('warns when the last passing drill of this domain is more than 90 days old', () => {
    const f = of(
      rules(inspectState(), {history: [record('pass', 120), record('fail', 5)]}),
      'review-overdue',
    );
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toContain('120 days ago');
  });
  it('warns when no passing drill is on record', () => {
    const f = of(rules(inspectState(), {history: [record('fail', 5)]}), 'review-overdue');
    expect(f[0]?.evidence).toMatch(/No passing drill/);
  });
  it('honours a configured review period', () => {
    expect(
      of(
        rules(inspectState(), {
          history: [record('pass', 40)],
          settings: {reviewDays: 30, rtoMinutes: 60},
        }),
        'review-overdue',
      ),
    ).toHaveLength(1);
    expect(of(rules(inspectState(), {history: [record('pass', 40)]}), 'review-overdue')).toEqual(
      [],
    );
  });
  it('says nothing for onboarding’s throw-away practice domain', () => {
    const practice = {...inspectState(), mode: 'onboarding' as const};
    expect(of(rules(practice, {history: []}), 'review-overdue')).toEqual([]);
  });
  it('does not count another domain’s passing drills', () => {
    const other = record('pass', 3, {domainId: 'another-domain'});
    expect(of(rules(inspectState(), {history: [other]}), 'review-overdue')).toHaveLength(1);
  });
  it('falls back to the file path for a domain without an id', () => {
    const byFile = record('pass', 3, {domainId: null});
    expect(
      of(rules(inspectState({domainId: null}), {history: [byFile]}), 'review-overdue'),
    ).toEqual([]);
    const elsewhere = record('pass', 3, {domainId: null, domainFile: '/elsewhere/sd.json'});
    expect(
      of(rules(inspectState({domainId: null}), {history: [elsewhere]}), 'review-overdue'),
    ).toHaveLength(1);
  });
  it('says nothing with a pass 10 days ago', () => {
    expect(of(rules(inspectState()), 'review-overdue')).toEqual([]);
  });
});

describe('holder-absent', () => {
  it('names each absent holder and says a lost key means a compromised domain', () => {
    const state = drillState({
      presenters: [{index: 1}, {index: 2}, {index: 3}],
      absent: [4],
      end: 'pass',
    });
    const f = of(
      rules(state, {registry: [registered(4, 'Dave Smith', 'Application Developer')]}),
      'holder-absent',
    );
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toContain('holder 4 (dave) was marked absent');
    expect(f[0]?.evidence).toContain('Dave Smith (Application Developer, Safe 4)');
    expect(f[0]?.remedy).toContain('if the key is lost, treat the domain as compromised');
    expect(f[0]?.remedy).toMatch(/new HSM/);
  });
  it('says nothing when nobody was marked absent', () => {
    expect(of(rules(drillState()), 'holder-absent')).toEqual([]);
  });
});

describe('passphrase-failures', () => {
  it('warns about a holder who needed a second try', () => {
    const state = drillState({
      presenters: [{index: 1, passphraseFailures: 1}, {index: 2}, {index: 3}],
    });
    const f = of(rules(state), 'passphrase-failures');
    expect(f.map((x) => x.severity)).toEqual(['warning']);
    expect(f[0]?.evidence).toContain('needed 2 tries');
  });
  it('is an error for three wrong passphrases, with the lost-key consequence', () => {
    const state = drillState({
      presenters: [{index: 1, passphraseFailures: 3}, {index: 2}, {index: 3}, {index: 4}],
    });
    const f = of(rules(state), 'passphrase-failures');
    expect(f.map((x) => x.severity)).toEqual(['error']);
    expect(f[0]?.remedy).toContain('if the key is lost, treat the domain as compromised');
  });
  it('says nothing when every passphrase was right first time', () => {
    expect(of(rules(drillState()), 'passphrase-failures')).toEqual([]);
  });
});

describe('share-corrupt', () => {
  it('names a bad share found by reconstruction', () => {
    const state = drillState({
      end: 'reconstruct-fail',
      badShares: [{holderIndex: 2, reason: 'share checksum mismatch'}],
    });
    const f = of(rules(state), 'share-corrupt');
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toContain(
      "holder 2 (bob)'s share could not be used: share checksum mismatch",
    );
  });
  it('names a holder whose share was refused', () => {
    const state = drillState({
      presenters: [
        {index: 1},
        {index: 2, refuse: 'The share does not decrypt with this key.'},
        {index: 3},
        {index: 4},
      ],
    });
    const f = of(rules(state), 'share-corrupt');
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toContain('does not decrypt');
  });
  it('says nothing for good shares', () => {
    expect(of(rules(drillState()), 'share-corrupt')).toEqual([]);
  });
});

describe('cert-missing', () => {
  it('notes keys matched without their certificate', () => {
    const state = drillState({presenters: [{index: 1, certMissing: true}, {index: 2}, {index: 3}]});
    const f = of(rules(state), 'cert-missing');
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toContain('holder 1 (alice)');
  });
  it('says nothing when every key came with its certificate', () => {
    expect(of(rules(drillState()), 'cert-missing')).toEqual([]);
  });
});

describe('rto-exceeded', () => {
  it('warns when the drill took longer than the recovery time objective', () => {
    const state = drillState({stepMs: 3 * 60_000});
    const f = of(rules(state), 'rto-exceeded');
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toMatch(
      /took 1h \d\dm, longer than the recovery time objective of 60 minutes/,
    );
  });
  it('honours a configured objective', () => {
    const state = drillState();
    expect(
      of(rules(state, {settings: {reviewDays: 90, rtoMinutes: 5}}), 'rto-exceeded'),
    ).toHaveLength(1);
  });
  it('says nothing for a drill inside the objective', () => {
    expect(of(rules(drillState()), 'rto-exceeded')).toEqual([]);
  });
});

describe('recommendations', () => {
  it('are the remedies, errors first, each once', () => {
    const state = drillState({
      bits: 1024,
      presenters: [{index: 1, certMissing: true}, {index: 2, certMissing: true}, {index: 3}],
    });
    const fs = rules(state, {history: [record('pass', 200)]});
    const recs = recommendationsFrom(fs);
    expect(new Set(recs).size).toBe(recs.length);
    expect(recs[0]).toBe(of(fs, 'key-size')[0]?.remedy);
    expect(recs).toContain(of(fs, 'cert-missing')[0]?.remedy);
    expect(fs.map((f) => f.severity)).toEqual(
      [...fs.map((f) => f.severity)].sort(
        (a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b),
      ),
    );
  });
});
