import {describe, expect, it} from 'vitest';
import * as z from 'zod/mini';
import {describeIssue, issueMessage} from '../../source/domain/schema-issue.js';

const schema = z.strictObject({
  a: z.object({b: z.array(z.string()).check(z.minLength(1), z.maxLength(2))}),
  n: z.optional(z.int().check(z.minimum(2), z.maximum(10))),
  s: z.optional(z.string().check(z.regex(/^x+$/))),
  id: z.optional(z.uuid()),
  alg: z.optional(z.literal('A256GCM')),
  kind: z.optional(z.enum(['rsa', 'ec'])),
});

function problem(value: unknown): string {
  const r = schema.safeParse(value, {error: issueMessage});
  expect(r.success).toBe(false);
  return describeIssue(r.error!);
}

describe('schema issue messages (zod/mini has no locale: the words are ours)', () => {
  const ok = {a: {b: ['x']}};
  it.each([
    [{}, 'a is missing'],
    [{a: {b: 'x'}}, 'a.b: expected array, received string'],
    [{a: {b: []}}, 'a.b: Too small: expected array to have >=1 items'],
    [{a: {b: ['x', 'y', 'z']}}, 'a.b: Too big: expected array to have <=2 items'],
    [{a: {b: [7]}}, 'a.b[0]: expected string, received number'],
    [{...ok, n: 1}, 'n: Too small: expected number to be >=2'],
    [{...ok, n: 11}, 'n: Too big: expected number to be <=10'],
    [{...ok, n: 2.5}, 'n: expected int, received number'],
    [{...ok, n: null}, 'n: expected number, received null'],
    [{...ok, s: 'y'}, 's: has the wrong format'],
    [{...ok, id: 'x'}, 'id: expected uuid'],
    [{...ok, alg: 'A128CBC'}, 'alg: expected "A256GCM"'],
    [{...ok, kind: 'dsa'}, 'kind: expected "rsa" or "ec"'],
    [[], 'the top level: expected object, received array'],
  ])('%j → %s', (value, message) => {
    expect(problem(value)).toBe(message.replace('the top level: ', ''));
  });

  it('quotes an unknown key clipped and printable, never a value', () => {
    const m = problem({...ok, ['k'.repeat(100_000)]: 'secret-looking-value'});
    expect(m).toMatch(/^Unrecognized key: "k{40}…"$/);
    const evil = problem({...ok, 'evil\n\u001b[2J': 1});
    expect(evil.includes('\n') || evil.includes('\u001b')).toBe(false);
    expect(evil).toMatch(/Unrecognized key/);
    expect(problem({...ok, s: 'zzzz-value-zzzz'})).not.toMatch(/value/);
  });
});
