/**
 * Shamir secret sharing over GF(257), one polynomial per secret byte, as Azure Managed HSM
 * encodes it: a share is a run of little-endian uint16 words, one per secret byte,
 * word = (x << 9) | v with x the share's coordinate (7 bits) and v = f(x) mod 257 (9 bits).
 *
 * Combine evaluates the Lagrange form at 0. It is stricter than azure-cli's: repeated x (which
 * azure-cli turns into a silent division by zero), unequal or odd lengths, x = 0, values above
 * 256 and results of 256 are all refused, because each means the shares do not belong together.
 */
import {randomInt} from 'node:crypto';
import {wipe} from '../../secret.js';

export const PRIME = 257;
export const MAX_X = 126;

/** Multiplicative inverses mod 257, by Fermat (a^255); INVERSE[0] is never used. */
const INVERSE: Uint16Array = (() => {
  const table = new Uint16Array(PRIME);
  for (let a = 1; a < PRIME; a++) {
    let result = 1;
    let base = a;
    let e = PRIME - 2;
    while (e > 0) {
      if (e & 1) result = (result * base) % PRIME;
      base = (base * base) % PRIME;
      e >>= 1;
    }
    table[a] = result;
  }
  return table;
})();

const mod = (a: number): number => ((a % PRIME) + PRIME) % PRIME;

export interface DecodedShare {
  x: number;
  /** One field element (0..256) per secret byte. Wipe with `wipeShare`. */
  values: Uint16Array;
}

export type ShareProblem =
  'empty' | 'odd-length' | 'inconsistent-x' | 'x-out-of-range' | 'value-out-of-range';

export const SHARE_PROBLEM_TEXT: Record<ShareProblem, string> = {
  empty: 'the share is empty',
  'odd-length': 'the share has an odd number of bytes (it must be whole 16-bit words)',
  'inconsistent-x': 'the words of the share carry different x coordinates',
  'x-out-of-range': `the share's x coordinate is outside 1..${MAX_X}`,
  'value-out-of-range': 'a share value is above 256, outside GF(257)',
};

export function decodeShare(
  bytes: Buffer,
): {ok: true; share: DecodedShare} | {ok: false; problem: ShareProblem} {
  if (bytes.length === 0) return {ok: false, problem: 'empty'};
  if (bytes.length % 2 !== 0) return {ok: false, problem: 'odd-length'};
  const n = bytes.length / 2;
  const values = new Uint16Array(n);
  const x = bytes.readUInt16LE(0) >> 9;
  let problem: ShareProblem | undefined;
  for (let j = 0; j < n; j++) {
    const word = bytes.readUInt16LE(2 * j);
    if (word >> 9 !== x) problem ??= 'inconsistent-x';
    const v = word & 0x1ff;
    if (v >= PRIME) problem ??= 'value-out-of-range';
    values[j] = v;
  }
  if (!problem && (x < 1 || x > MAX_X)) problem = 'x-out-of-range';
  if (problem) {
    values.fill(0);
    return {ok: false, problem};
  }
  return {ok: true, share: {x, values}};
}

export function encodeShare(share: DecodedShare): Buffer {
  const out = Buffer.alloc(share.values.length * 2);
  for (let j = 0; j < share.values.length; j++) {
    out.writeUInt16LE((share.x << 9) | (share.values[j] ?? 0), 2 * j);
  }
  return out;
}

export function wipeShare(share: DecodedShare | undefined): void {
  share?.values.fill(0);
}

export type CombineProblem = 'too-few' | 'duplicate-x' | 'unequal-lengths' | 'result-out-of-range';

export const COMBINE_PROBLEM_TEXT: Record<CombineProblem, string> = {
  'too-few': 'at least two shares are needed',
  'duplicate-x': 'two shares have the same x coordinate',
  'unequal-lengths': 'the shares have different lengths',
  'result-out-of-range': 'interpolation gave a value of 256, so the shares do not belong together',
};

/** Lagrange interpolation at 0 of every byte position. Uses all shares given. */
export function combineShares(
  shares: readonly DecodedShare[],
): {ok: true; secret: Buffer} | {ok: false; problem: CombineProblem} {
  if (shares.length < 2) return {ok: false, problem: 'too-few'};
  const xs = shares.map((s) => s.x);
  if (new Set(xs).size !== xs.length) return {ok: false, problem: 'duplicate-x'};
  const n = shares[0]?.values.length ?? 0;
  if (shares.some((s) => s.values.length !== n)) return {ok: false, problem: 'unequal-lengths'};
  // l_i(0) = Π_{k≠i} x_k / (x_k − x_i), computed once for all byte positions.
  const coefficients = xs.map((xi, i) => {
    let c = 1;
    xs.forEach((xk, k) => {
      if (k !== i) c = (c * xk * (INVERSE[mod(xk - xi)] ?? 0)) % PRIME;
    });
    return c;
  });
  const secret = Buffer.alloc(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < shares.length; i++) {
      s = (s + (shares[i]?.values[j] ?? 0) * (coefficients[i] ?? 0)) % PRIME;
    }
    if (s > 255) {
      wipe(secret);
      return {ok: false, problem: 'result-out-of-range'};
    }
    secret[j] = s;
  }
  return {ok: true, secret};
}

/** Picks a uniform integer in [0, 256] (the spec's coefficient range); injectable for tests. */
export type FieldRandom = () => number;
const defaultRandom: FieldRandom = () => randomInt(PRIME);

/**
 * Splits `secret` into `total` encoded shares with x = 1..total, any `required` of which
 * recover it. Only fixture writers use this; the HSM makes real shares.
 */
export function splitSecret(
  secret: Buffer,
  required: number,
  total: number,
  random: FieldRandom = defaultRandom,
): Buffer[] {
  if (!Number.isInteger(required) || !Number.isInteger(total) || required < 2) {
    throw new RangeError('split needs whole numbers with 2 ≤ required');
  }
  if (total < required || total > MAX_X) {
    throw new RangeError(`split needs required ≤ total ≤ ${MAX_X}`);
  }
  const shares: DecodedShare[] = Array.from({length: total}, (_, i) => ({
    x: i + 1,
    values: new Uint16Array(secret.length),
  }));
  const coefficients = new Uint16Array(required);
  for (let j = 0; j < secret.length; j++) {
    coefficients[0] = secret[j] ?? 0;
    for (let c = 1; c < required; c++) coefficients[c] = random();
    for (const share of shares) {
      let y = 0;
      for (let c = required - 1; c >= 0; c--) y = (y * share.x + (coefficients[c] ?? 0)) % PRIME;
      share.values[j] = y;
    }
  }
  coefficients.fill(0);
  return shares.map((share) => {
    const encoded = encodeShare(share);
    wipeShare(share);
    return encoded;
  });
}
