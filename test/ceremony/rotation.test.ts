/**
 * The rotation use of the pure machine: the old quorum opens the domain, new holders come in
 * (one key once, 3..10), a quorum within the new set, the new file written, then every new
 * holder must prove their key — a pass only when each share checks against the new file and
 * it is the same domain; any new holder lost is a fail at once. No I/O here.
 */
import {describe, expect, it} from 'vitest';
import {initialState, sharesHeld} from '../../source/ceremony/reduce.js';
import {safeQuorum} from '../../source/ceremony/uses/rotation.js';
import {findingsFor} from '../../source/report/findings.js';
import type {
  CeremonyEvent,
  CeremonyState,
  DomainSummary,
  NewHolder,
  RotationChange,
} from '../../source/ceremony/types.js';
import {clock, fp, keyCheck, nativeDomain, REPORT_KEY as KEY, run, stick} from './machine.js';

const old = nativeDomain(2, 3);
const identity = keyCheck('header');
const holder = (n: number, keeps?: number): NewHolder => ({
  certFingerprint: fp(n),
  spkiFingerprint: `s${n}`.padEnd(64, '0'),
  bits: 2048,
  name: `n${n}`,
  from: `n${n}.cer on stick s${n}`,
  ...(keeps ? {keeps} : {}),
});
const change: RotationChange = {kept: [], added: [], departed: []};
const newFile: DomainSummary = {
  ...old,
  file: '/new.json',
  required: 2,
  total: 3,
  holders: [4, 5, 6].map((index, i) => ({
    index: i + 1,
    name: `n${index}`,
    certFingerprint: fp(index),
  })),
  sha256: 'f'.repeat(64),
  generation: 2,
};

/** Stick `n` goes in, its key matched (by certificate) to `index`, and its custodian acknowledges. */
function atMachine(n: number, index: number): CeremonyEvent[] {
  return [
    {type: 'stick-inserted', stick: stick(n)},
    {
      type: 'key-matched',
      stick: stick(n),
      file: `/media/s${n}/k.key`,
      holderIndex: index,
      encrypted: false,
      matchedBy: 'certificate',
      certMissing: false,
    },
    {type: 'acknowledged', custodian: {name: `C${n}`, role: 'r'}},
  ];
}

/** One holder's share taken from a (mount) stick, the stick then removed. */
function share(n: number, index: number): CeremonyEvent[] {
  return [
    ...atMachine(n, index),
    {type: 'share-accepted', holderIndex: index, certMissing: false, matchedBy: 'certificate'},
    {type: 'stick-removed', path: `/media/s${n}`},
  ];
}

/** A rotation of the old file, inspected: at collect. */
const opened = (): CeremonyState =>
  run(
    initialState(clock),
    {type: 'choose-mode', mode: 'rotation'},
    {type: 'domain-loaded', domain: old},
    {type: 'inspected'},
  );

/** The old quorum (holders 1 and 2) has given its shares and asked for the reconstruction. */
const collected = (): CeremonyState =>
  run(opened(), ...share(1, 1), ...share(2, 2), {type: 'reconstruct'});

function toEnlist(): CeremonyState {
  return run(collected(), {type: 'reconstructed', usedHolders: [1, 2], badShares: [], identity});
}

/** New holders 4, 5 and 6 chosen: at the quorum. */
const chosen = (): CeremonyState =>
  run(
    toEnlist(),
    ...[4, 5, 6].map((n) => ({type: 'new-holder-added', holder: holder(n)}) as CeremonyEvent),
    {type: 'new-holders-chosen', change, destroy: []},
  );

function toProve(): CeremonyState {
  return run(
    chosen(),
    {type: 'choose-quorum', required: 2, confirmed: true},
    {type: 'rewrap-started'},
    {type: 'rewrapped', domain: newFile},
  );
}

describe('rotation: the old quorum', () => {
  it('goes from inspect straight to collect (no disaster, no new HSM) and on to the new holders', () => {
    const s = opened();
    expect(s.step).toBe('collect');
    expect(s.hsm.recovery).toBeUndefined();
    const e = toEnlist();
    expect(e.step).toBe('enlist');
    expect(e.identity?.reportKey).toBe(KEY);
    // The reconstructed domain is held from here on: the idle limit and Ctrl-C guard apply.
    expect(sharesHeld(e)).toBe(true);
    expect(e.journal.map((j) => j.event)).not.toContain('enter restore');
  });

  it('a mismatched key ends the rotation as the shared step does: fail, nothing to wrap', () => {
    const s = run(collected(), {
      type: 'reconstructed',
      usedHolders: [1, 2],
      badShares: [],
      identity: {...identity, pinnedBy: null, mismatch: 'not the domain on record'},
    });
    expect(s.step).toBe('report');
    expect(s.outcome).toEqual({verdict: 'fail', reason: 'not the domain on record'});
  });
});

describe('rotation: new holders and the new file', () => {
  it('takes each key once, needs 3 to 10, and a quorum from 2 to n', () => {
    let s = run(
      toEnlist(),
      {type: 'new-holder-added', holder: holder(4)},
      {
        type: 'new-holder-added',
        holder: {...holder(9), spkiFingerprint: holder(4).spkiFingerprint},
      },
    );
    expect(s.rotation?.newHolders.map((h) => h.name)).toEqual(['n4']);
    expect(s.notice?.text).toMatch(/the same key as n4's .* one key is one holder/);
    s = run(
      s,
      {type: 'new-holder-added', holder: holder(5)},
      {type: 'new-holders-chosen', change, destroy: []},
    );
    expect(s.step).toBe('enlist');
    expect(s.notice?.text).toMatch(/at least 3 holders; 2 so far/);
    s = run(
      s,
      {type: 'new-holder-added', holder: holder(6)},
      {type: 'new-holder-dropped', certFingerprint: fp(6)},
    );
    expect(s.rotation?.newHolders).toHaveLength(2);
    s = run(
      s,
      {type: 'new-holder-added', holder: holder(6)},
      {type: 'new-holders-chosen', change, destroy: []},
    );
    expect(s.step).toBe('rewrap');
    for (const bad of [1, 4])
      expect(run(s, {type: 'choose-quorum', required: bad}).rotation?.required).toBeUndefined();
    s = run(s, {type: 'choose-quorum', required: 3});
    expect(s.rotation?.required).toBe(3);
    // Back takes the quorum back first, then the new holders.
    s = run(s, {type: 'back'});
    expect([s.step, s.rotation?.required]).toEqual(['rewrap', undefined]);
    expect(run(s, {type: 'back'}).step).toBe('enlist');
  });

  it('starts the quorum at the current one (never below 3 where n allows): a lower one is confirmed, and recorded', () => {
    const s = chosen();
    // The old file is 2 of 3; 3 new holders: 3 of 3 is where the choice starts.
    expect(safeQuorum(2, 3)).toBe(3);
    expect(safeQuorum(3, 5)).toBe(3);
    expect(safeQuorum(4, 5)).toBe(4);
    expect(safeQuorum(4, 3)).toBe(3);
    const refused = run(s, {type: 'choose-quorum', required: 2});
    expect(refused.rotation?.required).toBeUndefined();
    expect(refused.notice?.text).toBe('A quorum of 2 is lower than 3 of 3: it must be confirmed.');
    const lowered = run(s, {type: 'choose-quorum', required: 2, confirmed: true});
    expect(lowered.rotation?.required).toBe(2);
    expect(lowered.rotation?.lowered).toEqual({from: 3, to: 2, current: 2});
    expect(lowered.journal.at(-1)).toMatchObject({
      event: 'new quorum chosen lower, confirmed',
      detail: '2 of 3 (the current quorum is 2 of 3; 3 of 3 was offered first)',
    });
    // The report's finding, which names both quorums.
    const findings = (x: CeremonyState) =>
      findingsFor(x, {
        now: clock,
        history: [],
        registry: [],
        settings: {reviewDays: 90, rtoMinutes: 60},
      })
        .filter((f) => f.rule === 'quorum-lowered')
        .map((f) => [f.severity, f.evidence]);
    expect(findings(lowered)).toEqual([
      [
        'warning',
        "The new file's quorum is 2 of 3, below the 3 the domain document recommends (the current quorum is 2 of 3); the operator confirmed it at the machine.",
      ],
    ]);
    const safe = run(s, {type: 'choose-quorum', required: 3});
    expect(safe.rotation?.lowered).toBeUndefined();
    expect(findings(safe)).toEqual([]);
    // Back, then the safe quorum: nothing lowered is left over.
    expect(
      run(lowered, {type: 'back'}, {type: 'choose-quorum', required: 3}).rotation?.lowered,
    ).toBeUndefined();
  });

  it('a failed write stays on the step with its reason; a written file starts the proof with every new holder waiting', () => {
    let s = chosen();
    expect(run(s, {type: 'rewrap-started'}).rotation?.writing).toBeUndefined();
    s = run(
      s,
      {type: 'choose-quorum', required: 2, confirmed: true},
      {type: 'rewrap-started'},
      {type: 'rewrap-failed', message: '/x: already exists'},
    );
    expect([s.step, s.rotation?.writing, s.notice?.text]).toEqual([
      'rewrap',
      false,
      '/x: already exists',
    ]);
    const p = toProve();
    expect(p.step).toBe('prove');
    expect(p.rotation?.to?.holders.map((h) => h.state)).toEqual(['waiting', 'waiting', 'waiting']);
    // The old holders stay as they were, for the report.
    expect(p.holders.filter((h) => h.state === 'accepted').map((h) => h.index)).toEqual([1, 2]);
  });
});

describe('rotation: every new holder proves their key', () => {
  it('needs all of them, not a quorum, before the check; passes only when every share checks and the key is the same', () => {
    let s = run(toProve(), ...share(4, 1), ...share(5, 2));
    expect(s.rotation?.to?.holders.filter((h) => h.state === 'accepted')).toHaveLength(2);
    s = run(s, {type: 'reconstruct'});
    expect(s.rotation?.checking).toBeUndefined();
    expect(s.notice?.text).toBe('Every new holder must prove their key: 2 of 3 have.');
    s = run(s, ...share(6, 3));
    expect(s.notice?.text).toMatch(/Every new holder has opened their share: press r/);
    s = run(s, {type: 'reconstruct'});
    expect(s.rotation?.checking).toBe(true);
    const pass = run(s, {
      type: 'new-shares-checked',
      proven: [1, 2, 3],
      unproven: [],
      reportKey: KEY,
    });
    expect(pass.outcome?.verdict).toBe('pass');
    expect(pass.outcome?.reason).toMatch(
      /all 3 new holders proved their keys .*\/new\.json.*same domain/,
    );
    const other = run(s, {
      type: 'new-shares-checked',
      proven: [1, 2, 3],
      unproven: [],
      reportKey: `${'B'.repeat(43)}=`,
    });
    expect(other.outcome?.verdict).toBe('fail');
    const bad = run(s, {
      type: 'new-shares-checked',
      proven: [1, 3],
      unproven: [{holderIndex: 2, reason: 'does not agree'}],
      reportKey: KEY,
    });
    expect(bad.outcome).toEqual({
      verdict: 'fail',
      reason: expect.stringMatching(/n5 \(new holder 2\): does not agree; keep using the old file/),
    });
  });

  it('a new holder whose key is refused, or who is absent, fails the rotation at once', () => {
    const refused = run(toProve(), ...atMachine(4, 1), {
      type: 'share-refused',
      holderIndex: 1,
      message: 'k.key: this key is not one of this domain’s 3 wrapping keys',
    });
    expect(refused.step).toBe('report');
    expect(refused.outcome?.reason).toMatch(
      /^not every new holder proved their key — n4 \(new holder 1\): k\.key: this key is not one/,
    );
    const absent = run(toProve(), {type: 'mark-absent', holderIndex: 3});
    expect(absent.outcome?.reason).toMatch(/n6 \(new holder 3\): marked absent/);
  });
});
