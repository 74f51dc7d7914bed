/**
 * The compromise use of the pure machine: sticks reported lost neither present nor are kept;
 * the new domain must be a new one with at least one new key; its holders prove as in a
 * rotation; then every key migrates, and the old instance is purged — a pass — only once every
 * key was migrated and checked. A failure or an abort purges nothing. No I/O here.
 */
import {describe, expect, it} from 'vitest';
import {initialState, sharesHeld} from '../../source/ceremony/reduce.js';
import type {
  CeremonyEvent,
  CeremonyState,
  DomainSummary,
  MigratedKey,
  NewHolder,
  RotationChange,
} from '../../source/ceremony/types.js';
import {clock, fp, keyCheck, nativeDomain, REPORT_KEY, run, stick} from './machine.js';

const old = nativeDomain(3, 5);
const NEW_KEY = `${'B'.repeat(43)}=`;
const identity = keyCheck('header');
const holder = (n: number, keeps?: number): NewHolder => ({
  certFingerprint: fp(n),
  spkiFingerprint: `s${n}`.padEnd(64, '0'),
  bits: 2048,
  name: `n${n}`,
  from: `n${n}.cer on stick s${n}`,
  ...(keeps ? {keeps} : {}),
});
const newDomain: DomainSummary = {
  ...old,
  file: '/new-hsm.json',
  name: 'demo-hsm-new',
  id: 'id-2',
  required: 2,
  total: 3,
  holders: [1, 6, 7].map((n, i) => ({index: i + 1, name: `n${n}`, certFingerprint: fp(n)})),
  reportKey: NEW_KEY,
  generation: 1,
};
const change = (added: number, departed: number): RotationChange => ({
  kept: [],
  added: Array.from({length: added}, (_, i) => ({index: i + 1, certFingerprint: fp(6 + i)})),
  departed: Array.from({length: departed}, (_, i) => ({
    old: {index: i + 2, certFingerprint: fp(i + 2)},
    known: 'public-key' as const,
  })),
});

function share(n: number, index: number): CeremonyEvent[] {
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
    {type: 'share-accepted', holderIndex: index, certMissing: false, matchedBy: 'certificate'},
    {type: 'stick-removed', path: `/media/s${n}`},
  ];
}

/** The stolen bag: holders 2 and 3 lost; at collect. */
const opened = (lost: number[] = [2, 3]): CeremonyState =>
  run(
    initialState(clock),
    {type: 'choose-mode', mode: 'compromise'},
    {type: 'domain-loaded', domain: old},
    {type: 'lost-reported', holders: lost},
    {type: 'inspected'},
  );

const toEnlist = (): CeremonyState =>
  run(
    opened(),
    ...share(1, 1),
    ...share(4, 4),
    ...share(5, 5),
    {type: 'reconstruct'},
    {
      type: 'reconstructed',
      usedHolders: [1, 4, 5],
      badShares: [],
      identity,
    },
  );

const toProve = (): CeremonyState =>
  run(
    toEnlist(),
    {type: 'new-holder-added', holder: holder(1, 1)},
    {type: 'new-holder-added', holder: holder(6)},
    {type: 'new-holder-added', holder: holder(7)},
    {type: 'new-holders-chosen', change: change(2, 4), destroy: []},
    {type: 'choose-quorum', required: 2},
    {type: 'rewrap-started'},
    {type: 'rewrapped', domain: newDomain},
  );

function proven(reportKey: string | null = NEW_KEY): CeremonyState {
  return run(
    toProve(),
    ...share(1, 1),
    ...share(6, 2),
    ...share(7, 3),
    {type: 'reconstruct'},
    {type: 'new-shares-checked', proven: [1, 2, 3], unproven: [], reportKey},
  );
}

const key = (name: string, outcome: MigratedKey['outcome'] = 'migrated'): MigratedKey => ({
  name,
  version: 1,
  type: 'aes',
  outcome,
  records: 1,
  verified: outcome === 'migrated' ? 1 : 0,
  ...(outcome === 'migrated' ? {newKey: `demo-hsm-new/keys/${name}/1`} : {reason: 'broken'}),
});

describe('compromise: what was lost', () => {
  it('marks the lost holders absent and brings the old instance up with the rest', () => {
    const s = opened();
    expect(s.step).toBe('collect');
    expect(s.compromise?.lost).toEqual([2, 3]);
    expect(s.holders.filter((h) => h.state === 'absent').map((h) => [h.index, h.note])).toEqual([
      [2, 'stick reported lost'],
      [3, 'stick reported lost'],
    ]);
    expect(s.notice?.text).toMatch(/The old HSM still runs\. In this rehearsal its keys live only/);
  });

  it('refuses a lost holder’s stick, and will not mark them present', () => {
    let s = run(opened(), {type: 'mark-absent', holderIndex: 2});
    expect(s.holders[1]?.state).toBe('absent');
    expect(s.notice?.text).toMatch(/Holder 2's stick was reported lost/);
    s = run(s, share(9, 3)[0] as CeremonyEvent, share(9, 3)[1] as CeremonyEvent);
    expect(s.presenting).toBeUndefined();
    expect(s.awaitingRemoval).toBe('/media/s9');
    expect(s.notice?.text).toMatch(/That is the key of holder 3, whose stick was reported lost/);
  });

  it('refuses holder numbers the domain does not have, and does not go on', () => {
    let s = run(
      initialState(clock),
      {type: 'choose-mode', mode: 'compromise'},
      {type: 'domain-loaded', domain: old},
      {type: 'lost-reported', holders: [2, 7]},
    );
    expect(s.compromise).toBeUndefined();
    expect(s.notice).toMatchObject({level: 'error'});
    expect(s.notice?.text).toMatch(/holder 7 — this domain has holders 1 to 5/);
    s = run(s, {type: 'inspected'});
    expect(s.step).toBe('inspect');
  });

  it('fails at once when the holders left cannot bring the old instance up', () => {
    const s = opened([1, 2, 3]);
    expect(s.step).toBe('report');
    expect(s.outcome?.verdict).toBe('fail');
    expect(s.outcome?.reason).toMatch(/quorum cannot be met: only 2 of the 3/);
  });

  it('refuses an Azure file at load: its keys are in Azure', () => {
    const s = run(
      initialState(clock),
      {type: 'choose-mode', mode: 'compromise'},
      {type: 'domain-loaded', domain: {...old, format: 'azure'}},
    );
    expect(s.step).toBe('load');
    expect(s.domain).toBeUndefined();
    expect(s.notice?.text).toMatch(/is an Azure security domain/);
  });
});

describe('compromise: the new HSM', () => {
  it('never keeps a lost key, and needs at least one new key', () => {
    let s = run(toEnlist(), {type: 'new-holder-added', holder: holder(2, 2)});
    expect(s.rotation?.newHolders).toEqual([]);
    expect(s.notice?.text).toMatch(/is the key of holder 2, whose stick was reported lost/);
    s = run(
      s,
      ...[1, 4, 5].map((n) => ({type: 'new-holder-added', holder: holder(n, n)}) as CeremonyEvent),
      {type: 'new-holders-chosen', change: change(0, 0), destroy: []},
    );
    expect(s.step).toBe('enlist');
    expect(s.notice?.text).toMatch(/These are exactly the old domain’s keys/);
  });

  it('goes to migrate once every new holder proved a new domain', () => {
    const s = proven();
    expect(s.step).toBe('migrate');
    expect(s.rotation?.proof).toEqual({proven: [1, 2, 3], unproven: []});
    // The old instance is held while its keys migrate: Ctrl-C asks, the idle limit applies.
    expect(sharesHeld(s)).toBe(true);
  });

  it('fails when the new file opens to the old domain or not to the key its header pins', () => {
    for (const k of [REPORT_KEY, `${'C'.repeat(43)}=`]) {
      const s = proven(k);
      expect(s.step).toBe('report');
      expect(s.outcome?.verdict).toBe('fail');
      expect(s.outcome?.reason).toMatch(/move no key to the new HSM/);
    }
  });

  it('a new holder who cannot prove their key fails it, in the compromise’s words', () => {
    const s = run(toProve(), ...share(1, 1), {type: 'mark-absent', holderIndex: 2});
    expect(s.outcome?.verdict).toBe('fail');
    expect(s.outcome?.reason).toMatch(
      /n6 \(new holder 2\): marked absent; move no key to the new HSM until every one of its holders has proven their key/,
    );
  });
});

describe('compromise: the migration', () => {
  it('passes only when every key migrated and the old instance was then purged', () => {
    let s = run(
      proven(),
      {type: 'migration-started', total: 3},
      {type: 'keys-migrated', keys: [key('a'), key('b')], next: 'c v1'},
    );
    expect(s.compromise?.migration).toMatchObject({total: 3, next: 'c v1'});
    // A purge before the end is ignored.
    s = run(s, {type: 'old-purged'});
    expect(s.step).toBe('migrate');
    expect(s.compromise?.purged).toBeUndefined();
    s = run(s, {type: 'keys-migrated', keys: [key('c')]}, {type: 'migration-finished'});
    expect(s.step).toBe('migrate');
    expect(s.notice?.text).toMatch(/Every key migrated and checked\. Purging the old instance/);
    s = run(s, {type: 'old-purged'});
    expect(s.compromise?.purged).toBe(true);
    expect(s.outcome?.verdict).toBe('pass');
    expect(s.outcome?.reason).toMatch(
      /all 3 keys of demo-hsm were migrated to it and checked there \(3 records re-protected and verified\), and the old instance was purged/,
    );
  });

  it('names the keys that did not migrate, fails, and purges nothing', () => {
    let s = run(
      proven(),
      {type: 'migration-started', total: 3},
      {type: 'keys-migrated', keys: [key('a'), key('b', 'failed'), key('c')]},
      {type: 'migration-finished'},
    );
    expect(s.outcome?.verdict).toBe('fail');
    expect(s.outcome?.reason).toBe(
      '1 of 3 keys were not migrated — b v1 (broken); the old instance was NOT purged: it still holds the only copy of their data, which a purge would lose',
    );
    expect(
      s.journal.some((j) => j.event === 'key not migrated' && j.detail === 'b v1 (broken)'),
    ).toBe(true);
    s = run(s, {type: 'old-purged'});
    expect(s.compromise?.purged).toBeUndefined();
  });

  it('an abort mid-way keeps the keys done and claims nothing more', () => {
    const s = run(
      proven(),
      {type: 'migration-started', total: 3},
      {type: 'keys-migrated', keys: [key('a')]},
      {type: 'abort', reason: 'interrupted by SIGTERM'},
      {type: 'keys-migrated', keys: [key('b')]},
      {type: 'migration-finished'},
      {type: 'old-purged'},
    );
    expect(s.outcome).toEqual({verdict: 'aborted', reason: 'interrupted by SIGTERM'});
    expect(s.compromise?.migration?.keys.map((k) => k.name)).toEqual(['a']);
    expect(s.compromise?.purged).toBeUndefined();
  });
});
