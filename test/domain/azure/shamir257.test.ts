import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
  combineShares,
  decodeShare,
  encodeShare,
  splitSecret,
  type DecodedShare,
} from '../../../source/domain/azure/shamir257.js';

const share = (x: number, values: number[]): DecodedShare => ({
  x,
  values: Uint16Array.from(values),
});
const decoded = (bytes: Buffer): DecodedShare => {
  const d = decodeShare(bytes);
  if (!d.ok) throw new Error(d.problem);
  return d.share;
};

describe('Shamir over GF(257)', () => {
  it("reproduces the spec's worked numbers: x=1 and x=2 give 47 ad e6 a1", () => {
    const r = combineShares([share(1, [71, 73, 60, 20]), share(2, [71, 230, 147, 136])]);
    expect(r.ok && r.secret.toString('hex')).toBe('47ade6a1');
  });

  it('packs (x << 9) | v as little-endian words', () => {
    // Word 583 = 0x0247 = (1 << 9) | 71: the first word of the sdtest share x=1.
    expect(encodeShare(share(1, [71, 73])).toString('hex')).toBe('47024902');
    expect(decoded(Buffer.from('4704e604', 'hex'))).toEqual(share(2, [71, 230]));
    expect(encodeShare(share(126, [256])).readUInt16LE(0)).toBe((126 << 9) | 256);
  });

  it('recovers the secret from any quorum of shares (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({minLength: 1, maxLength: 48}),
        fc.integer({min: 2, max: 10}),
        fc.integer({min: 0, max: 5}),
        fc.infiniteStream(fc.nat()),
        (secret, m, extra, picks) => {
          const n = m + extra;
          const shares = splitSecret(Buffer.from(secret), m, n).map(decoded);
          const pool = [...shares];
          const subset: DecodedShare[] = [];
          const it = picks[Symbol.iterator]();
          while (subset.length < m) {
            const i = (it.next().value as number) % pool.length;
            subset.push(...pool.splice(i, 1));
          }
          const r = combineShares(subset);
          expect(r.ok && r.secret.equals(Buffer.from(secret))).toBe(true);
        },
      ),
      {numRuns: 200},
    );
  });

  it('draws coefficients from all of [0, 256], 256 included', () => {
    // With m = 2 the share at x = 1 is s + a, so a = v − s mod 257 shows each coefficient.
    const secret = Buffer.alloc(4096, 7);
    const [first] = splitSecret(secret, 2, 2).map(decoded);
    const coefficients = new Set(Array.from(first?.values ?? [], (v) => (v - 7 + 257) % 257));
    expect(coefficients.has(256)).toBe(true);
    expect(coefficients.has(0)).toBe(true);
    expect(Math.max(...coefficients)).toBe(256);
  });

  it('refuses repeated x (azure-cli divides by zero and returns a wrong secret)', () => {
    expect(combineShares([share(1, [1, 2]), share(1, [1, 2])])).toEqual({
      ok: false,
      problem: 'duplicate-x',
    });
  });

  it('refuses unequal lengths, a single share, and interpolated values of 256', () => {
    expect(combineShares([share(1, [1, 2]), share(2, [1])])).toEqual({
      ok: false,
      problem: 'unequal-lengths',
    });
    expect(combineShares([share(1, [1])])).toEqual({ok: false, problem: 'too-few'});
    // Two points at x = 1, 2: s = 2·v1 − v2 = 2·128 − 0 = 256, not a byte.
    expect(combineShares([share(1, [128]), share(2, [0])])).toEqual({
      ok: false,
      problem: 'result-out-of-range',
    });
  });

  it('refuses malformed shares: empty, odd length, mixed x, x = 0 or > 126, v > 256', () => {
    const problem = (hex: string) => {
      const d = decodeShare(Buffer.from(hex, 'hex'));
      return d.ok ? 'ok' : d.problem;
    };
    expect(problem('')).toBe('empty');
    expect(problem('470249')).toBe('odd-length');
    expect(problem('47024904')).toBe('inconsistent-x');
    expect(problem('4700')).toBe('x-out-of-range');
    expect(problem('00fe')).toBe('x-out-of-range'); // x = 127
    expect(problem('0103')).toBe('value-out-of-range'); // x = 1, v = 257
    expect(problem('0003')).toBe('ok'); // x = 1, v = 256
  });

  it('splits only within the limits', () => {
    expect(() => splitSecret(Buffer.alloc(2), 1, 3)).toThrow(RangeError);
    expect(() => splitSecret(Buffer.alloc(2), 3, 2)).toThrow(RangeError);
    expect(() => splitSecret(Buffer.alloc(2), 2, 127)).toThrow(RangeError);
  });
});
