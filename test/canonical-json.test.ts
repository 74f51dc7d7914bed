import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {canonicalJson} from '../source/canonical-json.js';

/** The recursive writer canonicalJson replaced: the reference for values of ordinary depth. */
function recursive(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('non-finite number');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value))
    return `[${value.map((v) => recursive(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${recursive(v)}`).join(',')}}`;
}

describe('canonicalJson (RFC 8785 JCS)', () => {
  it('sorts keys by UTF-16 code units, as RFC 8785 §3.2.3 orders its example', () => {
    const keys = ['\u20ac', '\r', '\ufb33', '1', '\ud83d\ude00', '\u0080', '\u00f6'];
    const value = Object.fromEntries(keys.map((k, i) => [k, i]));
    // Read off the text: Object.keys would put the integer-like "1" first whatever the order.
    const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    expect(canonicalJson(value)).toBe(
      `{${order.map((k) => `${JSON.stringify(k)}:${keys.indexOf(k)}`).join(',')}}`,
    );
  });

  it('writes numbers as ECMAScript does, and refuses the non-finite', () => {
    const numbers: Array<[number, string]> = [
      [1e21, '1e+21'],
      [1e30, '1e+30'],
      [1e-7, '1e-7'],
      [0.000001, '0.000001'],
      [-0, '0'],
      [4.5, '4.5'],
      [0.002, '0.002'],
      [Number('333333333.33333329'), '333333333.3333333'],
      [9007199254740992, '9007199254740992'],
    ];
    for (const [n, text] of numbers) expect(canonicalJson([n])).toBe(`[${text}]`);
    for (const n of [NaN, Infinity, -Infinity]) expect(() => canonicalJson({n})).toThrow(TypeError);
  });

  it('writes strings with JSON.stringify’s escapes, without whitespace anywhere', () => {
    expect(canonicalJson({b: ['x\n"\\/\u000f€'], a: {d: true, c: null}})).toBe(
      '{"a":{"c":null,"d":true},"b":["x\\n\\"\\\\/\\u000f€"]}',
    );
  });

  it('gives what the recursive writer gave, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(recursive(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      {numRuns: 500},
    );
  });

  it('keeps the recursive writer’s treatment of undefined', () => {
    const value = {a: undefined, b: [undefined, 1], c: {d: undefined}};
    expect(canonicalJson(value)).toBe(recursive(value));
    expect(canonicalJson(value)).toBe('{"b":[null,1],"c":{}}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('writes a value nested 200,000 deep without overflowing the stack', () => {
    const depth = 200_000;
    let objects: unknown = 1;
    let arrays: unknown = [];
    for (let i = 0; i < depth; i++) {
      objects = {a: objects};
      arrays = [arrays];
    }
    expect(canonicalJson(objects)).toBe(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    expect(canonicalJson(arrays)).toBe(`${'['.repeat(depth + 1)}${']'.repeat(depth + 1)}`);
  });

  it('refuses a cycle instead of following it, and allows the same object twice', () => {
    const shared = {x: 1};
    expect(canonicalJson({a: shared, b: [shared]})).toBe('{"a":{"x":1},"b":[{"x":1}]}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = [cyclic];
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });
});
