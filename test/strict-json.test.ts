import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseStrictJson, parseStrictJsonBytes} from '../source/strict-json.js';

/** Every number in `v` reads back exactly (2^53 and below). */
function safeNumbers(v: unknown): boolean {
  if (typeof v === 'number') return Math.abs(v) <= Number.MAX_SAFE_INTEGER;
  if (v === null || typeof v !== 'object') return true;
  return Object.values(v).every(safeNumbers);
}

const problem = (text: string): string => {
  const r = parseStrictJson(text);
  if (r.ok) throw new Error(`accepted ${text.slice(0, 80)}`);
  return r.problem;
};

describe('strict JSON: one reading only', () => {
  it('reads what JSON.parse reads, value for value, for documents without ambiguity', () => {
    fc.assert(
      fc.property(fc.jsonValue({maxDepth: 6}).filter(safeNumbers), (v) => {
        const text = JSON.stringify(v);
        const r = parseStrictJson(text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toStrictEqual(JSON.parse(text));
      }),
      {numRuns: 300},
    );
  });

  it('never reads a text another way than JSON.parse: it refuses it, or agrees', () => {
    const texts = fc.oneof(
      fc.jsonValue({maxDepth: 4}).map((v) => JSON.stringify(v, null, 1)),
      fc.string({unit: fc.constantFrom(...'{}[]",:0123456789.eE-+ tfnrulasx\\u')}),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const r = parseStrictJson(text);
        let expected: unknown;
        try {
          expected = JSON.parse(text);
        } catch {
          expect(r.ok).toBe(false);
          return;
        }
        if (r.ok) expect(r.value).toStrictEqual(expected);
      }),
      {numRuns: 500},
    );
  });

  it('keeps "__proto__" as an own key, as JSON.parse does', () => {
    const r = parseStrictJson('{"__proto__": {"x": 1}, "a": [1, 2.5, -0, true, null, "é"]}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(Object.keys(r.value as object)).toEqual(['__proto__', 'a']);
    expect(r.value).toStrictEqual(
      JSON.parse('{"__proto__": {"x": 1}, "a": [1, 2.5, -0, true, null, "é"]}'),
    );
  });

  it('refuses a key given twice, at any depth, naming it', () => {
    expect(problem('{"custodian": "Mallory (CISO)", "custodian": "Alice"}')).toMatch(
      /"custodian" is given twice/,
    );
    expect(problem('{"a": [{"b": 1, "c": 2, "b": 3}]}')).toMatch(/"b" is given twice/);
    // The same key in two objects is no duplicate.
    expect(parseStrictJson('[{"a": 1}, {"a": 2}]').ok).toBe(true);
  });

  it('refuses lone surrogates, escaped or raw, and bytes that are not UTF-8', () => {
    expect(problem('{"name": "\\ud800"}')).toMatch(/lone surrogate/);
    expect(problem('{"name": "x\\udc00y"}')).toMatch(/lone surrogate/);
    expect(problem('["\ud800"]')).toMatch(/lone surrogate/);
    expect(parseStrictJson('["\\ud83d\\ude00"]')).toEqual({ok: true, value: ['😀']});
    const notUtf8 = parseStrictJsonBytes(Buffer.from([0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d]));
    expect(notUtf8).toEqual({ok: false, problem: 'is not UTF-8 text'});
    expect(parseStrictJsonBytes(Buffer.from('\ufeff{"a":1}', 'utf8'))).toEqual({
      ok: true,
      value: {a: 1},
    });
  });

  it('refuses numbers that do not read back as written: too big, too precise, not finite', () => {
    expect(problem('{"x": 1e400}')).toMatch(/out of range/);
    expect(problem('[-1e400]')).toMatch(/out of range/);
    expect(problem('[12345678901234567890]')).toMatch(/beyond 2\^53/);
    expect(problem('[9007199254740993]')).toMatch(/beyond 2\^53/);
    expect(problem('[0.30000000000000001]')).toMatch(/more digits/);
    expect(problem('[1e-400]')).toMatch(/more digits/);
    const fine = parseStrictJson('[9007199254740991, 1.0, 1E2, 0.1, -0.5e-3, 2.5e10]');
    expect(fine).toEqual({ok: true, value: [9007199254740991, 1, 100, 0.1, -0.0005, 2.5e10]});
  });

  it('refuses what is not JSON, one problem each, and deep nesting without recursing', () => {
    for (const text of [
      '',
      '{',
      '[1,]',
      '{"a" 1}',
      '{a: 1}',
      "['x']",
      '[1] 2',
      'NaN',
      '"\t"',
      '[01]',
    ])
      expect(parseStrictJson(text).ok, text).toBe(false);
    expect(problem('['.repeat(1_000_000))).toMatch(/nests more than 64 levels/);
    expect(parseStrictJson(`${'['.repeat(64)}${']'.repeat(64)}`).ok).toBe(true);
    expect(parseStrictJson(`${'['.repeat(10)}${']'.repeat(10)}`, 9).ok).toBe(false);
  });
});
