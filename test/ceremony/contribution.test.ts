/**
 * The machine's side of a holder at another site: called only while waiting, a contribution
 * counts like a presented key (without anyone at the machine), and a refusal says so inline,
 * asking for the stick it came on only when it came on one.
 */
import {describe, expect, it} from 'vitest';
import {info, toCollect, walk} from '../screens/fixtures.js';
import type {CeremonyEvent} from '../../source/ceremony/types.js';

const called: CeremonyEvent = {
  type: 'remote-called',
  holderIndex: 3,
  code: 'ABCD-EFGH-JKMN-PQRS',
  requestFile: '/courier/request.json',
  expiresAt: 5_000_000,
};

const accepted = (stickPath?: string): CeremonyEvent => ({
  type: 'share-accepted',
  holderIndex: 3,
  certMissing: false,
  matchedBy: 'public-key',
  remote: {sha256: 'ab'.repeat(32), ...(stickPath ? {stickPath} : {})},
});

describe('a holder at another site, in the machine', () => {
  it('is called while waiting; the call is journalled with its code', () => {
    const s = walk(...toCollect, called);
    const carol = s.holders[2];
    expect(carol?.state).toBe('waiting');
    expect(carol?.remote).toMatchObject({state: 'waiting', code: 'ABCD-EFGH-JKMN-PQRS'});
    expect(s.notice?.text).toContain('Read them its code: ABCD-EFGH-JKMN-PQRS');
    expect(s.journal.at(-1)?.event).toBe('remote holder called');
  });

  it('shows a request whose time ran out as expired at the next tick, not as waiting', () => {
    const s = walk(...toCollect, {...called, expiresAt: 1}, {type: 'tick'});
    expect(s.holders[2]?.remote?.state).toBe('expired');
    expect(s.holders[2]?.state).toBe('waiting');
    expect(s.journal.at(-1)).toMatchObject({event: 'request expired', detail: 'holder 3'});
    const live = walk(
      ...toCollect,
      {...called, expiresAt: Date.parse('2100-01-01T00:00:00Z')},
      {type: 'tick'},
    );
    expect(live.holders[2]?.remote?.state).toBe('waiting');
  });

  it('is not called once absent', () => {
    const s = walk(...toCollect, {type: 'mark-absent', holderIndex: 3}, called);
    expect(s.holders[2]?.remote).toBeUndefined();
  });

  it('counts an accepted contribution toward the quorum, nobody at the machine', () => {
    const s = walk(...toCollect, called, accepted());
    const carol = s.holders[2];
    expect(carol?.state).toBe('accepted');
    expect(carol?.remote).toMatchObject({state: 'accepted', contributionSha256: 'ab'.repeat(32)});
    expect(s.presenting).toBeUndefined();
    expect(s.awaitingRemoval).toBeUndefined();
    expect(s.notice?.text).toMatch(/accepted \(remote\)\. 2 more needed\.$/);
  });

  it('asks for the stick a contribution came on', () => {
    const s = walk(
      ...toCollect,
      called,
      {type: 'stick-inserted', stick: info('courier')},
      accepted('/demo/courier'),
    );
    expect(s.awaitingRemoval).toBe('/demo/courier');
    expect(s.notice?.text).toMatch(/Remove the stick\.$/);
  });

  it('says why a contribution was refused, and keeps the holder waiting', () => {
    const s = walk(...toCollect, called, {
      type: 'contribution-refused',
      message: 'x.json: was altered.',
    });
    expect(s.notice).toEqual({level: 'error', text: 'x.json: was altered.'});
    expect(s.holders[2]?.state).toBe('waiting');
    expect(s.awaitingRemoval).toBeUndefined();
    const onStick = walk(...toCollect, {
      type: 'contribution-refused',
      message: 'y.',
      stickPath: '/demo/courier',
    });
    expect(onStick.awaitingRemoval).toBe('/demo/courier');
    expect(onStick.notice?.text).toBe('y. Remove the stick.');
  });
});
