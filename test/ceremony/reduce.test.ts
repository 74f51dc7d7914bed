import {describe, expect, it} from 'vitest';
import {acceptedCount, initialState, reduce, sharesHeld} from '../../source/ceremony/reduce.js';
import {timeline} from '../../source/ceremony/timeline.js';
import type {CeremonyEvent, CeremonyState} from '../../source/ceremony/types.js';
import {clock, keyCheck, nativeDomain, run, stick} from './machine.js';

const domain = nativeDomain(3, 5);
const identity = keyCheck('first-use');

function atCollect(): CeremonyState {
  return run(
    initialState(clock),
    {type: 'choose-mode', mode: 'rehearsal'},
    {type: 'domain-loaded', domain},
    {type: 'inspected'},
    {type: 'choose-scenario', scenario: 'purged'},
    {type: 'recovery-ready', hsmId: 'new-hsm', exchangeFingerprint: 'ab'},
  );
}

const matched = (holderIndex: number, n = holderIndex, encrypted = true): CeremonyEvent => ({
  type: 'key-matched',
  stick: stick(n),
  file: `/media/s${n}/h${holderIndex}.key`,
  holderIndex,
  encrypted,
  matchedBy: 'certificate',
  certMissing: false,
});

/** One holder's full presentation: insert, match, acknowledge, passphrase, accept, remove. */
function present(state: CeremonyState, holderIndex: number): CeremonyState {
  return run(
    state,
    {type: 'stick-inserted', stick: stick(holderIndex)},
    matched(holderIndex),
    {type: 'acknowledged', custodian: {name: `Custodian ${holderIndex}`, role: 'Engineer'}},
    {type: 'passphrase-submitted'},
    {type: 'share-accepted', holderIndex, certMissing: false, matchedBy: 'certificate'},
    {type: 'stick-removed', path: stick(holderIndex).path},
  );
}

describe('the ceremony machine', () => {
  it('walks start → load → inspect → disaster → collect', () => {
    let s = initialState(clock);
    expect(s.step).toBe('start');
    s = run(s, {type: 'choose-mode', mode: 'rehearsal'});
    expect(s.step).toBe('load');
    s = run(s, {type: 'domain-failed', message: 'bad file'});
    expect(s.step).toBe('load');
    expect(s.notice?.text).toBe('bad file');
    s = run(s, {type: 'domain-loaded', domain});
    expect(s.step).toBe('inspect');
    expect(s.holders).toHaveLength(5);
    s = run(s, {type: 'inspected'});
    expect(s.step).toBe('disaster');
    s = run(s, {type: 'choose-scenario', scenario: 'destroyed'});
    expect(s.hsm.old).toBe('destroyed');
    s = run(s, {type: 'recovery-ready', hsmId: 'x', exchangeFingerprint: 'y'});
    expect(s.step).toBe('collect');
    expect(s.hsm.recovery?.id).toBe('x');
  });

  it('goes to enrol first for onboarding, and back to start from load', () => {
    let s = run(initialState(clock), {type: 'choose-mode', mode: 'onboarding'});
    expect(s.step).toBe('enrol');
    s = run(s, {type: 'enrolled', holder: 'frank', certFingerprint: 'f'.repeat(64)});
    expect(s.step).toBe('load');
    expect(s.newcomer?.holder).toBe('frank');
    s = run(s, {type: 'back'});
    expect(s.step).toBe('start');
  });

  it('goes back only where that is safe', () => {
    let s = atCollect();
    s = run(s, {type: 'back'});
    expect(s.step).toBe('disaster');
    s = run(s, {type: 'recovery-ready', hsmId: 'x', exchangeFingerprint: 'y'});
    s = present(s, 1);
    s = run(s, {type: 'back'});
    expect(s.step).toBe('collect'); // a share is held: no going back
  });

  it('takes a holder through insert, match, acknowledge, passphrase, accept and remove', () => {
    let s = run(atCollect(), {type: 'stick-inserted', stick: stick(1)}, matched(1));
    expect(s.presenting?.phase).toBe('acknowledge');
    expect(s.holders[0]?.state).toBe('presenting');
    s = run(s, {type: 'acknowledged', custodian: {name: 'Ann', role: 'Architect'}});
    expect(s.presenting?.phase).toBe('passphrase');
    s = run(
      s,
      {type: 'passphrase-submitted'},
      {type: 'share-accepted', holderIndex: 1, certMissing: false, matchedBy: 'certificate'},
    );
    expect(s.holders[0]?.state).toBe('accepted');
    expect(s.holders[0]?.custodian).toEqual({name: 'Ann', role: 'Architect'});
    expect(s.awaitingRemoval).toBe('/media/s1');
    expect(s.notice?.text).toMatch(/remove the stick/);
    expect(acceptedCount(s)).toBe(1);
  });

  it('skips the passphrase for an unencrypted key', () => {
    const s = run(atCollect(), {type: 'stick-inserted', stick: stick(1)}, matched(1, 1, false), {
      type: 'acknowledged',
      custodian: {name: 'Ann', role: 'Architect'},
    });
    expect(s.presenting?.phase).toBe('opening');
  });

  it('requires the previous stick to be removed before the next holder', () => {
    let s = present(atCollect(), 1);
    s = run(
      s,
      {type: 'stick-inserted', stick: stick(2)},
      matched(2),
      {type: 'acknowledged', custodian: {name: 'B', role: 'r'}},
      {type: 'passphrase-submitted'},
      {type: 'share-accepted', holderIndex: 2, certMissing: false, matchedBy: 'certificate'},
    );
    // s2 is now awaiting removal: s3 is refused until it leaves.
    const refused = run(s, {type: 'stick-inserted', stick: stick(3)}, matched(3));
    expect(refused.presenting).toBeUndefined();
    expect(refused.notice?.text).toMatch(/Remove the previous stick/);
    const after = run(
      s,
      {type: 'stick-removed', path: stick(2).path},
      {type: 'stick-inserted', stick: stick(3)},
      matched(3),
    );
    expect(after.presenting?.holderIndex).toBe(3);
  });

  it('counts a share once', () => {
    let s = present(atCollect(), 1);
    s = run(s, {type: 'stick-inserted', stick: stick(9)}, matched(1, 9));
    expect(s.presenting).toBeUndefined();
    expect(s.notice?.text).toMatch(/already counted/);
    expect(acceptedCount(s)).toBe(1);
  });

  it('refuses a stranger’s key inline without losing progress', () => {
    let s = present(atCollect(), 1);
    s = run(
      s,
      {type: 'stick-inserted', stick: stick(7)},
      {type: 'key-refused', stick: stick(7), message: 'not one of this domain’s keys.'},
    );
    expect(s.notice?.level).toBe('error');
    expect(acceptedCount(s)).toBe(1);
    expect(s.awaitingRemoval).toBe(stick(7).path);
  });

  it('gives three passphrase tries, then the holder cannot present', () => {
    let s = run(atCollect(), {type: 'stick-inserted', stick: stick(1)}, matched(1), {
      type: 'acknowledged',
      custodian: {name: 'A', role: 'r'},
    });
    s = run(
      s,
      {type: 'passphrase-submitted'},
      {type: 'passphrase-failed', message: 'Wrong passphrase'},
    );
    expect(s.presenting?.phase).toBe('passphrase');
    expect(s.notice?.text).toMatch(/2 tries left/);
    s = run(
      s,
      {type: 'passphrase-submitted'},
      {type: 'passphrase-failed', message: 'Wrong passphrase'},
    );
    s = run(
      s,
      {type: 'passphrase-submitted'},
      {type: 'passphrase-failed', message: 'Wrong passphrase'},
    );
    expect(s.holders[0]?.state).toBe('failed');
    expect(s.holders[0]?.passphraseFailures).toBe(3);
    expect(s.presenting).toBeUndefined();
  });

  it('names a bad share and keeps the others', () => {
    let s = present(atCollect(), 1);
    s = run(
      s,
      {type: 'stick-inserted', stick: stick(2)},
      matched(2),
      {type: 'acknowledged', custodian: {name: 'B', role: 'r'}},
      {type: 'passphrase-submitted'},
    );
    s = run(s, {
      type: 'share-refused',
      holderIndex: 2,
      message: 'the share of holder 2 is corrupt.',
    });
    expect(s.holders[1]?.state).toBe('failed');
    expect(acceptedCount(s)).toBe(1);
    expect(s.step).toBe('collect');
  });

  it('marks holders absent and fails once the quorum cannot be met', () => {
    let s = present(atCollect(), 1);
    s = run(s, {type: 'mark-absent', holderIndex: 2}, {type: 'mark-absent', holderIndex: 3});
    expect(s.step).toBe('collect');
    s = run(s, {type: 'mark-absent', holderIndex: 4});
    expect(s.step).toBe('report');
    expect(s.outcome?.verdict).toBe('fail');
    expect(s.outcome?.reason).toMatch(/quorum cannot be met/);
  });

  it('lets nothing past collect without a quorum', () => {
    let s = present(present(atCollect(), 1), 2);
    s = run(s, {type: 'reconstruct'});
    expect(s.step).toBe('collect');
    expect(s.notice?.text).toMatch(/2 of 3/);
    s = run(present(s, 3), {type: 'reconstruct'});
    expect(s.step).toBe('reconstruct');
  });

  it('ends pass only when the restore verified', () => {
    const base = run(
      present(present(present(atCollect(), 1), 2), 3),
      {type: 'reconstruct'},
      {type: 'reconstructed', usedHolders: [1, 2, 3], badShares: [], identity},
    );
    expect(base.step).toBe('restore');
    const summary = {
      keysExpected: 27,
      keysRestored: 27,
      canaries: {total: 3, passed: 3},
      blobs: [],
      verified: true,
      mismatched: [],
    };
    const pass = run(
      base,
      {type: 'restore-progress', done: 27, total: 27},
      {type: 'restored', summary},
    );
    expect(pass.outcome?.verdict).toBe('pass');
    const half = run(base, {
      type: 'restored',
      summary: {...summary, keysRestored: 26, verified: false},
    });
    expect(half.outcome?.verdict).toBe('fail');
    expect(half.outcome?.reason).toMatch(/26 of 27/);
  });

  it('fails on a failed reconstruction, naming the bad share', () => {
    const s = run(
      present(present(present(atCollect(), 1), 2), 3),
      {type: 'reconstruct'},
      {
        type: 'reconstruct-failed',
        message: 'the share of holder 2 is forged',
        badShares: [{holderIndex: 2, reason: 'forged'}],
      },
    );
    expect(s.outcome?.verdict).toBe('fail');
    expect(s.reconstruction?.badShares[0]?.holderIndex).toBe(2);
  });

  it('aborts from any step and says why', () => {
    for (const s of [initialState(clock), atCollect(), present(atCollect(), 1)]) {
      const a = run(s, {type: 'abort', reason: 'operator pressed Ctrl-C'});
      expect(a.step).toBe('report');
      expect(a.outcome).toEqual({verdict: 'aborted', reason: 'operator pressed Ctrl-C'});
      expect(a.presenting).toBeUndefined();
    }
  });

  it('aborts after the idle limit only while shares are held', () => {
    const idleLimit = 60_000;
    const empty = {...atCollect(), idleLimitMs: idleLimit};
    const stillThere = reduce(empty, {type: 'tick', at: empty.lastActivity + idleLimit * 10});
    expect(stillThere.step).toBe('collect');
    const held = {...present(atCollect(), 1), idleLimitMs: idleLimit};
    expect(sharesHeld(held)).toBe(true);
    const early = reduce(held, {type: 'tick', at: held.lastActivity + idleLimit - 1});
    expect(early.step).toBe('collect');
    const late = reduce(held, {type: 'tick', at: held.lastActivity + idleLimit + 1});
    expect(late.outcome?.verdict).toBe('aborted');
    expect(late.outcome?.reason).toMatch(/^idle for more than 1 minute with shares held/);
    // A limit under a minute (--idle-minutes 0.05) is said in seconds, not as "0 minutes".
    const short = {...held, idleLimitMs: 3_000};
    const after = reduce(short, {type: 'tick', at: short.lastActivity + 3_001});
    expect(after.outcome?.reason).toMatch(/^idle for more than 3 seconds with shares held/);
  });

  it('waits, not idles, while a called holder at another site may still answer', () => {
    const idleLimit = 60_000;
    const held = {...present(atCollect(), 1), idleLimitMs: idleLimit};
    const expiresAt = held.lastActivity + idleLimit * 30;
    const called = reduce(held, {
      type: 'remote-called',
      holderIndex: 3,
      code: 'ABCD-EFGH-JKMN-PQRS',
      requestFile: '/courier/request.json',
      expiresAt,
      at: held.lastActivity + 1,
    });
    expect(called.notice?.text).toMatch(/The drill waits for their answer until \d\d:\d\d\.$/);
    // Long past the idle limit but before the request expires: still collecting.
    const working = reduce(called, {type: 'tick', at: expiresAt - 1});
    expect(working.step).toBe('collect');
    // Its time ran out: the limit counts from the expiry, and then fires.
    const ranOut = reduce(working, {type: 'tick', at: expiresAt + 1});
    expect(ranOut.holders[2]?.remote?.state).toBe('expired');
    expect(reduce(ranOut, {type: 'tick', at: expiresAt + idleLimit - 1}).step).toBe('collect');
    const late = reduce(ranOut, {type: 'tick', at: expiresAt + idleLimit + 1});
    expect(late.outcome?.verdict).toBe('aborted');
    // A holder who was called but then presented in person is no longer waited on.
    const came = present(called, 3);
    expect(came.holders[2]?.state).toBe('accepted');
    const idle = reduce(came, {type: 'tick', at: came.lastActivity + idleLimit + 1});
    expect(idle.outcome?.verdict).toBe('aborted');
  });

  it('journals every transition with a timestamp, and the timeline has durations', () => {
    const s = run(
      present(present(present(atCollect(), 1), 2), 3),
      {type: 'reconstruct'},
      {type: 'reconstructed', usedHolders: [1, 2, 3], badShares: [], identity},
      {
        type: 'restored',
        summary: {
          keysExpected: 1,
          keysRestored: 1,
          canaries: {total: 0, passed: 0},
          blobs: [],
          verified: true,
          mismatched: [],
        },
      },
    );
    expect(s.journal.every((j, i) => i === 0 || j.at >= (s.journal[i - 1]?.at ?? 0))).toBe(true);
    const steps = timeline(s, clock);
    expect(steps.map((t) => t.step)).toEqual([
      'start',
      'load',
      'inspect',
      'disaster',
      'collect',
      'reconstruct',
      'restore',
    ]);
    expect(steps.every((t) => t.durationMs > 0)).toBe(true);
    expect(steps.at(-1)?.outcome).toBe('completed');
  });

  it('a removed stick mid-presentation returns the holder to waiting', () => {
    const s = run(atCollect(), {type: 'stick-inserted', stick: stick(1)}, matched(1), {
      type: 'stick-removed',
      path: stick(1).path,
    });
    expect(s.presenting).toBeUndefined();
    expect(s.holders[0]?.state).toBe('waiting');
    expect(s.notice?.text).toMatch(/removed before/);
  });
});

describe('an encrypted key with no certificate beside it (identified by its passphrase)', () => {
  const locked = (n: number): CeremonyEvent => ({
    type: 'key-locked',
    stick: stick(n),
    file: `/media/s${n}/h${n}.key`,
  });

  it('asks for the passphrase before matching, and the match clears it', () => {
    let s = run(atCollect(), {type: 'stick-inserted', stick: stick(1)}, locked(1));
    expect(s.identifying).toMatchObject({file: '/media/s1/h1.key', attempts: 0});
    expect(s.notice?.text).toMatch(/encrypted and has no certificate beside it/);
    s = run(s, {type: 'identify-failed', message: 'Wrong passphrase for /media/s1/h1.key'});
    expect(s.identifying?.attempts).toBe(1);
    expect(s.notice?.text).toMatch(/2 tries left/);
    s = run(s, {...matched(1), matchedBy: 'public-key', certMissing: true} as CeremonyEvent);
    expect(s.identifying).toBeUndefined();
    expect(s.presenting).toMatchObject({holderIndex: 1, phase: 'acknowledge'});
  });

  it('after three wrong passphrases the key is not used and the stick must leave', () => {
    const wrong = {type: 'identify-failed', message: 'Wrong passphrase'} as const;
    const s = run(
      atCollect(),
      {type: 'stick-inserted', stick: stick(1)},
      locked(1),
      wrong,
      wrong,
      wrong,
    );
    expect(s.identifying).toBeUndefined();
    expect(s.awaitingRemoval).toBe('/media/s1');
    expect(s.notice?.text).toMatch(/3 wrong passphrases: this key is not used\. Remove the stick/);
    expect(s.holders.every((h) => h.state === 'waiting')).toBe(true);
  });

  it('one stick at a time, nothing past collect meanwhile; removal or cancel ends it', () => {
    const s = run(atCollect(), {type: 'stick-inserted', stick: stick(1)}, locked(1));
    const other = run(s, {type: 'stick-inserted', stick: stick(2)});
    expect(other.identifying?.stick.path).toBe('/media/s1');
    expect(other.notice?.text).toMatch(/One stick at a time/);
    expect(run(s, {type: 'reconstruct'}).step).toBe('collect');
    const removed = run(s, {type: 'stick-removed', path: '/media/s1'});
    expect(removed.identifying).toBeUndefined();
    expect(removed.notice?.text).toMatch(/removed before its key was identified/);
    const cancelled = run(s, {type: 'cancel-presenting'});
    expect(cancelled.identifying).toBeUndefined();
    expect(cancelled.awaitingRemoval).toBe('/media/s1');
    const refused = run(s, {type: 'key-refused', stick: stick(1), message: 'not ours.'});
    expect(refused.identifying).toBeUndefined();
    const aborted = run(s, {type: 'abort', reason: 'test'});
    expect(aborted.identifying).toBeUndefined();
    expect(aborted.outcome?.verdict).toBe('aborted');
  });
});
