/**
 * How deep a parsed JSON value nests, asked without recursion: JSON.parse itself takes any
 * depth, but a value nested a hundred thousand levels deep is no document sd-drill reads, and
 * code that walks it recursively (a serialiser, a schema) would overflow the call stack.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, depth] = item;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
