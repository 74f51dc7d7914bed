/**
 * A list's cursor, and which of its entries are on screen. Pure: the reducer and the window
 * arithmetic are tested without Ink.
 *
 * - The cursor stays where it was when the entries change under it (a choice made, a stick
 *   arrived): on the same entry if it is still there, else at the same place. A list with no
 *   entry in common with the last one is another list: its cursor starts afresh.
 * - When the entries do not all fit, a window of them is shown, always holding the cursor;
 *   the rows above and below it say how many are hidden there.
 */

export interface ChoiceState {
  /** The entries' values, to find the cursor's entry again when they change. */
  values: readonly string[];
  cursor: number;
}

export type ChoiceAction =
  | {type: 'move'; by: number}
  | {type: 'to'; index: number}
  /** The entries changed; `start` is where a new list's cursor starts. */
  | {type: 'entries'; values: readonly string[]; start?: string};

const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n));

export function initialChoice(values: readonly string[], start?: string): ChoiceState {
  const at = start === undefined ? -1 : values.indexOf(start);
  return {values, cursor: Math.max(0, at)};
}

export function reduceChoice(s: ChoiceState, a: ChoiceAction): ChoiceState {
  const last = Math.max(0, s.values.length - 1);
  switch (a.type) {
    case 'move':
      return {...s, cursor: clamp(s.cursor + a.by, 0, last)};
    case 'to':
      return {...s, cursor: clamp(a.index, 0, last)};
    case 'entries': {
      if (a.values.length === s.values.length && a.values.every((v, i) => v === s.values[i]))
        return s;
      // Another list in the same place (no entry in common): it starts afresh.
      if (!a.values.some((v) => s.values.includes(v))) return initialChoice(a.values, a.start);
      const was = s.values[s.cursor];
      const same = was === undefined ? -1 : a.values.indexOf(was);
      const cursor = same >= 0 ? same : clamp(s.cursor, 0, Math.max(0, a.values.length - 1));
      return {values: a.values, cursor};
    }
  }
}

/**
 * The entries on screen: `[from, to)`, at most `size` of them, holding the cursor, moved as
 * little as it can from the window that started at `offset`.
 */
export function visibleWindow(
  count: number,
  cursor: number,
  offset: number,
  size: number,
): {from: number; to: number} {
  const n = Math.max(1, Math.min(size, count));
  let from = clamp(offset, 0, Math.max(0, count - n));
  if (cursor < from) from = cursor;
  if (cursor >= from + n) from = cursor - n + 1;
  return {from, to: Math.min(count, from + n)};
}
