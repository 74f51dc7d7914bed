/**
 * Canonical JSON for anything that is hashed or signed, so the same value always gives the same
 * bytes whatever order a parser kept: RFC 8785 (JCS) for values that came from JSON — object
 * keys sorted by UTF-16 code units (JavaScript's own string order), no whitespace, numbers and
 * strings as ECMAScript's JSON.stringify writes them; a non-finite number is refused.
 *
 * Iterative, with its own stack: a value read from a hostile file can be nested hundreds of
 * thousands deep, and a recursive writer would overflow the call stack on it. A cycle (never
 * in parsed JSON) is refused rather than followed forever. Not JSON-shaped: `undefined` in an
 * array is written as null and in an object left out, a top-level `undefined` or function as
 * null.
 */
interface Frame {
  /** The array or object being written (kept to refuse cycles). */
  value: object;
  close: ']' | '}';
  /** Array items, or object entries in canonical key order. */
  items: ReadonlyArray<readonly [key: string | undefined, value: unknown]>;
  next: number;
}

function scalar(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new TypeError('non-finite number');
  return JSON.stringify(value) ?? 'null';
}

const byCodeUnits = ([a]: readonly [string, unknown], [b]: readonly [string, unknown]): number =>
  a < b ? -1 : a > b ? 1 : 0;

export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = new Set<object>();

  const write = (v: unknown): void => {
    if (v === null || typeof v !== 'object') {
      out.push(scalar(v));
      return;
    }
    if (open.has(v)) throw new TypeError('cyclic structure');
    open.add(v);
    if (Array.isArray(v)) {
      const items = Array.from(v as unknown[], (x) => [undefined, x ?? null] as const);
      out.push('[');
      stack.push({value: v, close: ']', items, next: 0});
      return;
    }
    const items = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(byCodeUnits);
    out.push('{');
    stack.push({value: v, close: '}', items, next: 0});
  };

  write(value);
  for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
    const item = top.items[top.next];
    if (item === undefined) {
      out.push(top.close);
      open.delete(top.value);
      stack.pop();
      continue;
    }
    if (top.next++ > 0) out.push(',');
    const [key, v] = item;
    if (key !== undefined) out.push(`${JSON.stringify(key)}:`);
    write(v);
  }
  return out.join('');
}
