import {useEffect, useReducer, useRef} from 'react';
import {Box} from 'ink';
import {useKeys} from '../hooks/use-keys.js';
import {initialChoice, reduceChoice, visibleWindow} from './choice-state.js';
import {glyphs} from './glyphs.js';
import {useLayout} from './layout.js';
import {REFERENCE, SELECTION} from './screen-reader.js';
import {Text} from './text.js';
import {color} from './theme.js';
import {rowsOf} from './wrap.js';

export interface ChoiceOption {
  label: string;
  value: string;
  /** The key that picks it at once; by default its number (1-9). A digit, or none. */
  key?: string;
}

/** The keys that pick each entry: the option's own, else its number up to 9. */
export function pickKeys(options: readonly ChoiceOption[]): Array<string | undefined> {
  const own = options.some((o) => o.key !== undefined);
  return options.map((o, i) => (own ? o.key : i < 9 ? String(i + 1) : undefined));
}

/** "1-4", "2-9": the digits that pick, for the footer; undefined when none does. */
function pickRange(keys: ReadonlyArray<string | undefined>): string | undefined {
  const digits = keys.filter((k): k is string => k !== undefined).map(Number);
  if (digits.length === 0) return undefined;
  const lo = Math.min(...digits);
  const hi = Math.max(...digits);
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}

/**
 * A list to choose from: arrows move, Enter chooses, and the number beside an entry (1-9) chooses
 * it at once (an entry with a key of its own that begins its label, "3 of 5", is picked by that
 * key and shown without a number beside it). When the entries do not fit the rows the screen gives it, it shows a window and
 * says how many are above and below. The cursor stays where it was when the entries change.
 * Replaces @inkjs/ui's Select, which had none of these and re-fired its choice on re-render.
 *
 *     ↑ 2 more above
 *   ❯ 3  carol (folder)
 *     4  dave (folder)
 *     ↓ 1 more below
 *
 * For a screen reader every entry is said, "3 of 5: carol (folder)" — once a step, unless
 * it changes — and the entry under the cursor on the line being edited: "3 of 5, selected:
 * carol (folder)".
 */
export function Choice({
  options,
  onChoose,
  visibleOptionCount,
  rows,
  initialValue,
  chooseBinding = 'choose',
  isActive = true,
}: {
  options: ChoiceOption[];
  onChoose: (value: string) => void;
  /** At most this many entries on screen at once. */
  visibleOptionCount?: number;
  /** The rows the list may take, its "more" lines included (default: the screen's). */
  rows?: number;
  /** Where the cursor starts (default: the first entry). */
  initialValue?: string;
  /** What Enter is called on the footer. */
  chooseBinding?: 'choose' | 'insert';
  isActive?: boolean;
}) {
  const layout = useLayout();
  const values = options.map((o) => o.value);
  const [state, dispatch] = useReducer(reduceChoice, initialChoice(values, initialValue));
  const valuesKey = JSON.stringify(values);
  const start = useRef(initialValue);
  useEffect(() => {
    start.current = initialValue;
  });
  useEffect(() => {
    dispatch({
      type: 'entries',
      values: JSON.parse(valuesKey) as string[],
      ...(start.current === undefined ? {} : {start: start.current}),
    });
  }, [valuesKey]);
  // The entries may have changed this render, before the reducer has heard of them: the
  // reducer's answer, worked out now.
  const cursor = reduceChoice(state, {
    type: 'entries',
    values,
    ...(initialValue === undefined ? {} : {start: initialValue}),
  }).cursor;
  const keys = pickKeys(options);
  const chosen = useRef(onChoose);
  useEffect(() => {
    chosen.current = onChoose;
  });
  const choose = (i: number) => {
    const o = options[i];
    if (o) chosen.current(o.value);
  };
  const range = pickRange(keys);
  // The first entry on screen last time: the window moves only as far as the cursor makes it.
  const offset = useRef(0);
  useKeys(
    {
      move: options.length > 1 && ((_, key) => dispatch({type: 'move', by: key.upArrow ? -1 : 1})),
      [chooseBinding]: options.length > 0 && (() => choose(cursor)),
      pick:
        range !== undefined &&
        ((input) => {
          const i = keys.indexOf(input);
          if (i < 0) return;
          dispatch({type: 'to', index: i});
          choose(i);
        }),
    },
    {isActive, names: range ? {pick: range} : {}},
  );

  const g = glyphs();
  const n = options.length;
  // Entries whose own key begins their label ("3 of 5" picked by 3) need no number beside them.
  const keyInLabel =
    options.some((o) => o.key !== undefined) &&
    options.every((o, i) => keys[i] === undefined || o.label.startsWith(`${keys[i]} `));
  const numberWidth = keyInLabel ? 0 : Math.max(1, ...keys.map((k) => k?.length ?? 0));

  if (layout.screenReader) {
    const at = options[cursor];
    return (
      <Box flexDirection="column">
        {options.map((o, i) => (
          <Text key={o.value}>
            {`${REFERENCE}${i + 1} of ${n}${keys[i] && keys[i] !== String(i + 1) ? ` (key ${keys[i]})` : ''}: ${o.label}`}
          </Text>
        ))}
        {at && isActive ? (
          <Text>{`${SELECTION}${cursor + 1} of ${n}, selected: ${at.label}`}</Text>
        ) : null}
      </Box>
    );
  }

  // Rows: each entry as wrapped beside its pointer and number.
  const labelWidth = Math.max(8, layout.width - (2 + (numberWidth ? numberWidth + 2 : 0)));
  const heights = options.map((o) => Math.max(1, rowsOf(o.label, labelWidth)));
  const allRows = heights.reduce((a, b) => a + b, 0);
  const budget = Math.max(3, rows ?? layout.bodyRows);
  const cap = visibleOptionCount ?? n;
  let from = 0;
  let to = n;
  if (n > cap || allRows > budget) {
    // Windowed: two rows say what is above and below; the entries get the rest.
    let size = Math.min(cap, n);
    for (;;) {
      ({from, to} = visibleWindow(n, cursor, offset.current, size));
      const used = heights.slice(from, to).reduce((a, b) => a + b, 0);
      if (used + 2 <= budget || size === 1) break;
      size--;
    }
  }
  offset.current = from;
  const windowed = from > 0 || to < n;
  const more = (count: number, glyph: string, where: string) => (
    <Text color={color('muted')}>
      {count > 0 ? `  ${glyph} ${count} more ${where}` : `  ${from + 1}-${to} of ${n} shown`}
    </Text>
  );
  return (
    <Box flexDirection="column">
      {windowed ? more(from, g.above, 'above') : null}
      {options.slice(from, to).map((o, j) => {
        const i = from + j;
        const here = i === cursor;
        return (
          <Box key={o.value}>
            <Text color={here ? color('accent') : undefined}>
              {`${here ? g.pointer : ' '} ${numberWidth ? `${(keys[i] ?? '').padStart(numberWidth)}  ` : ''}`}
            </Text>
            <Box flexShrink={1}>
              <Text color={here ? color('accent') : undefined}>{o.label}</Text>
            </Box>
          </Box>
        );
      })}
      {windowed ? more(n - to, g.below, 'below') : null}
    </Box>
  );
}
