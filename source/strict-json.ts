/**
 * JSON for documents that are signed, sealed or reviewed before they run (reports, requests,
 * contributions, plans): one reading only. `JSON.parse` resolves some texts one way where a
 * person or another parser resolves them another, and a signature over the parse then vouches
 * for a document nobody read:
 *
 * - a key given twice (`"custodian": "Mallory", "custodian": "Alice"`): JSON.parse keeps the
 *   last, a person reading top-down (or a first-wins parser) the first;
 * - a lone surrogate (`"\ud800"`), which no UTF-8 tool can show, or bytes that are not UTF-8;
 * - a number that does not survive the parse: beyond 2^53 (`12345678901234567890`), written
 *   with more digits than a double keeps (`0.30000000000000001`), or not finite (`1e400`).
 *
 * Each is refused, naming where. Iterative with its own stack and a depth limit, so a hostile
 * file nested a million deep costs nothing. Objects are built as JSON.parse builds them
 * (`"__proto__"` is an own property, never the prototype).
 */

export type StrictJson = {ok: true; value: unknown} | {ok: false; problem: string};

type Frame =
  | {kind: 'array'; value: unknown[]}
  | {kind: 'object'; value: Record<string, unknown>; keys: Set<string>; key: string | undefined};

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** The significant digits of a decimal numeral: no sign, point, exponent, or outer zeros. */
function significant(mantissa: string): string {
  return mantissa.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '');
}

/** Why a numeral does not read back as the number it says, or undefined when it does. */
function numberProblem(text: string, value: number): string | undefined {
  if (!Number.isFinite(value)) return `the number ${text.slice(0, 40)} is out of range`;
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER)
    return `the number ${text.slice(0, 40)} is beyond 2^53, where numbers lose precision`;
  const [mantissa = ''] = text.split(/[eE]/);
  // toExponential() with no argument gives the fewest digits that read back as this number.
  const [kept = ''] = value.toExponential().split('e');
  if (significant(mantissa) !== significant(kept))
    return `the number ${text.slice(0, 40)} has more digits than a number keeps`;
  return undefined;
}

/** Reads a UTF-8 document (a leading BOM allowed) strictly; see above. */
export function parseStrictJsonBytes(bytes: Uint8Array, maxDepth = 64): StrictJson {
  let text: string;
  try {
    text = new TextDecoder('utf-8', {fatal: true, ignoreBOM: false}).decode(bytes);
  } catch {
    return {ok: false, problem: 'is not UTF-8 text'};
  }
  return parseStrictJson(text, maxDepth);
}

export function parseStrictJson(input: string, maxDepth = 64): StrictJson {
  const s = input;
  const n = s.length;
  let i = 0;
  const stack: Frame[] = [];
  const bad = (what: string): StrictJson => ({ok: false, problem: `${what} (at character ${i})`});
  const skipSpace = (): void => {
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
    }
  };

  /** A string starting at the quote at `i`; leaves `i` after the closing quote. */
  const readString = (): string | {problem: string} => {
    i++;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= n) return {problem: 'a string is not closed'};
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        out += s.slice(start, i);
        i++;
        break;
      }
      if (c < 0x20) return {problem: 'a control character inside a string'};
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += s.slice(start, i);
      const e = s[i + 1] ?? '';
      if (e === 'u') {
        const hex = s.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return {problem: 'a bad \\u escape'};
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else {
        const plain = ESCAPES[e];
        if (plain === undefined) return {problem: 'a bad escape in a string'};
        out += plain;
        i += 2;
      }
      start = i;
    }
    if (LONE_SURROGATE.test(out))
      return {problem: 'a string holds a lone surrogate (half of a character)'};
    return out;
  };

  /** An object's next key and its colon; a key given twice is refused. */
  const readKey = (top: Frame & {kind: 'object'}): string | undefined => {
    if (s[i] !== '"') return 'an object key must be a string';
    const key = readString();
    if (typeof key !== 'string') return key.problem;
    if (top.keys.has(key)) return `the key ${JSON.stringify(key.slice(0, 40))} is given twice`;
    top.keys.add(key);
    top.key = key;
    skipSpace();
    if (s[i] !== ':') return 'a ":" is missing after an object key';
    i++;
    return undefined;
  };

  let root: unknown;
  let done = false;
  for (;;) {
    // A value starts here.
    skipSpace();
    const c = s[i];
    let value: unknown;
    let opened = false;
    if (c === '{' || c === '[') {
      if (stack.length >= maxDepth) return bad(`nests more than ${maxDepth} levels deep`);
      i++;
      skipSpace();
      const frame: Frame =
        c === '{'
          ? {kind: 'object', value: {}, keys: new Set(), key: undefined}
          : {kind: 'array', value: []};
      const close = c === '{' ? '}' : ']';
      if (s[i] === close) {
        i++;
        value = frame.value;
      } else {
        stack.push(frame);
        opened = true;
      }
    } else if (c === '"') {
      const str = readString();
      if (typeof str !== 'string') return bad(str.problem);
      value = str;
    } else if (c === 't' && s.startsWith('true', i)) {
      value = true;
      i += 4;
    } else if (c === 'f' && s.startsWith('false', i)) {
      value = false;
      i += 5;
    } else if (c === 'n' && s.startsWith('null', i)) {
      value = null;
      i += 4;
    } else {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(s);
      if (!m) return bad(i >= n ? 'the text ends where a value should be' : 'not JSON');
      const num = Number(m[0]);
      const problem = numberProblem(m[0], num);
      if (problem) return bad(problem);
      value = num;
      i += m[0].length;
    }

    if (opened) {
      const top = stack[stack.length - 1] as Frame;
      if (top.kind === 'object') {
        const problem = readKey(top);
        if (problem) return bad(problem);
      }
      continue;
    }

    // A value is complete: place it, then close what ends here.
    for (;;) {
      const top = stack[stack.length - 1];
      if (!top) {
        root = value;
        done = true;
        break;
      }
      if (top.kind === 'array') top.value.push(value);
      else
        Object.defineProperty(top.value, top.key as string, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      skipSpace();
      const next = s[i];
      if (next === ',') {
        i++;
        if (top.kind === 'object') {
          skipSpace();
          const problem = readKey(top);
          if (problem) return bad(problem);
        }
        break;
      }
      if (next === (top.kind === 'array' ? ']' : '}')) {
        i++;
        stack.pop();
        value = top.value;
        continue;
      }
      return bad(
        i >= n
          ? 'the text ends inside an object or array'
          : 'a "," or a closing bracket is missing',
      );
    }
    if (done) break;
  }
  skipSpace();
  if (i < n) return bad('more text follows the document');
  return {ok: true, value: root};
}
