/**
 * How a place on record judges a holder's share (source/proof/sources.ts): the latest matching
 * proof is named; a later proof of another share for the slot is passed on; a differing share
 * in a file whose other slots are as proven is a swapped slot; every slot different is another
 * file of the domain; and nothing for the slot is nothing.
 */
import {describe, expect, it} from 'vitest';
import {judge, type SourcedSet} from '../../source/proof/sources.js';

const D = `azure:${'a'.repeat(64)}`;
const hex = (c: string) => c.repeat(64);

function set(
  at: string,
  commitments: Record<number, string | null>,
  sealed: Record<number, string>,
): SourcedSet {
  return {
    set: {
      domain: D,
      format: 'azure',
      generation: 0,
      fileSha256: null,
      shares: [1, 2, 3].map((holder) => ({
        holder,
        fingerprint: hex(String(holder)),
        sealed: sealed[holder] ?? hex('0'),
        commitment: commitments[holder] ?? null,
      })),
    },
    provenance: {source: 'store', by: 'verify-all', at, ref: null, generation: 0},
  };
}

const sealedNow = new Map([
  [1, hex('b')],
  [2, hex('c')],
  [3, hex('d')],
]);
const slot = {domain: D, generation: 0, index: 2, sealed: sealedNow};
const asProven = {1: hex('b'), 2: hex('9'), 3: hex('d')};

describe('judge', () => {
  it('nothing on record for the slot: none', () => {
    expect(judge(hex('1'), slot, [set('2025-01-01T00:00:00Z', {1: hex('1')}, asProven)]).kind).toBe(
      'none',
    );
  });

  it('a match names the latest matching proof, and a later proof of another share', () => {
    const v = judge(hex('1'), slot, [
      set('2025-01-01T00:00:00Z', {2: hex('1')}, asProven),
      set('2025-02-01T00:00:00Z', {2: hex('1')}, asProven),
      set('2025-03-01T00:00:00Z', {2: hex('2')}, {1: hex('x'), 2: hex('y'), 3: hex('z')}),
    ]);
    expect(v.kind).toBe('match');
    if (v.kind !== 'match') return;
    expect(v.provenance.at).toBe('2025-02-01T00:00:00Z');
    expect(v.later?.at).toBe('2025-03-01T00:00:00Z');
  });

  it('a different share where the other slots are as proven: swapped', () => {
    const v = judge(hex('1'), slot, [set('2025-01-01T00:00:00Z', {2: hex('2')}, asProven)]);
    expect(v).toMatchObject({kind: 'differs', swapped: true});
  });

  it('a different share where every slot differs: another file of the domain, not a swap', () => {
    const v = judge(hex('1'), slot, [
      set('2025-01-01T00:00:00Z', {2: hex('2')}, {1: hex('x'), 2: hex('y'), 3: hex('z')}),
    ]);
    expect(v).toMatchObject({kind: 'differs', swapped: false});
  });

  it('another domain or generation is not this slot', () => {
    const other = set('2025-01-01T00:00:00Z', {2: hex('2')}, asProven);
    expect(judge(hex('1'), {...slot, domain: `azure:${'b'.repeat(64)}`}, [other]).kind).toBe(
      'none',
    );
    expect(judge(hex('1'), {...slot, generation: 1}, [other]).kind).toBe('none');
  });
});
