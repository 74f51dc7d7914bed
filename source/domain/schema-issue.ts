/**
 * One-line messages for what a security-domain or restore-blob schema refused.
 *
 * The domain schemas use zod/mini, not zod's classic API: `verify` and `restore-blob` load
 * nothing else of zod, and measured side by side the classic API cost ~10 ms more at every
 * start (its schema objects carry every method; mini's are plain). zod/mini has no message
 * locale loaded, so the words are made here from each issue's code — in English, never
 * quoting a value from the file (an attacker's value may be a megabyte long or hold escape
 * codes); only key names are quoted, clipped and made printable.
 */
import type * as z from 'zod/mini';
import {clip} from '../errors.js';

type RawIssue = z.core.$ZodRawIssue;

function typeOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && Number.isNaN(input)) return 'NaN';
  return typeof input;
}

function quoteKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

/** The per-parse `error` map: `schema.safeParse(json, {error: issueMessage})`. */
export function issueMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is missing'
        : `expected ${issue.expected}, received ${typeOf(issue.input)}`;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const op = small
        ? issue.inclusive === false
          ? '>'
          : '>='
        : issue.inclusive === false
          ? '<'
          : '<=';
      const what =
        issue.origin === 'array'
          ? `to have ${op}${String(bound)} items`
          : issue.origin === 'string'
            ? `to have ${op}${String(bound)} characters`
            : `to be ${op}${String(bound)}`;
      return `${small ? 'Too small' : 'Too big'}: expected ${issue.origin ?? 'value'} ${what}`;
    }
    case 'invalid_format':
      return issue.format === 'regex' ? 'has the wrong format' : `expected ${issue.format}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'unrecognized_keys':
      return `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.slice(0, 3).map(quoteKey).join(', ')}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      return 'is not valid here';
  }
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * "SharedKeys.enc_shares[1].x5t_256 is missing", "EncData.data: Too small: …" — the first
 * problem the schema found, on one line, cut short.
 */
export function describeIssue(error: {issues: ReadonlyArray<z.core.$ZodIssue>}): string {
  const issue = error.issues[0];
  if (!issue) return 'does not match the schema';
  const where = pathText(issue.path);
  if (issue.message === 'is missing') return clip(`${where || 'the top level'} is missing`);
  return clip(where ? `${where}: ${issue.message}` : issue.message);
}
