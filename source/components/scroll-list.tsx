import {useState} from 'react';
import {Box} from 'ink';
import {useKeys} from '../hooks/use-keys.js';
import {glyphs} from './glyphs.js';
import {useLayout} from './layout.js';
import {Text} from './text.js';
import {color} from './theme.js';
import {rowsOf} from './wrap.js';

export interface ScrollItem {
  key: string;
  /** The item's words, to count its rows. */
  text: string;
  /** How it is drawn (default: its text); it must take the rows its text does. */
  node?: React.ReactNode;
}

/** The rows `items` take at `width`, each wrapped by words. */
export function itemRows(items: readonly ScrollItem[], width: number): number {
  return items.reduce((a, i) => a + Math.max(1, rowsOf(i.text, width)), 0);
}

/**
 * Text the operator must read, each item wrapped by words, never cut: all of it when it fits
 * `rows`, else as many items as fit, ↑↓ scrolling, and a line above and below saying how many
 * items are out of sight there. A screen reader gets every item.
 *   ↑ 1 more above
 *   ! review-overdue: No passing drill of this domain is on record: the quorum has never
 *     been shown to open it.
 *   ↓ 2 more below (↑↓ to scroll)
 */
export function ScrollList({
  items,
  rows,
  isActive = true,
}: {
  items: readonly ScrollItem[];
  rows: number;
  isActive?: boolean;
}) {
  const {width, screenReader} = useLayout();
  const [top, setTop] = useState(0);
  const heights = items.map((i) => Math.max(1, rowsOf(i.text, width)));
  const fits = screenReader || heights.reduce((a, b) => a + b, 0) <= rows;
  // Items from `from` that fit in the rows left once the two "more" lines have theirs.
  const from = fits ? 0 : Math.min(top, items.length - 1);
  // Items from `from` in the rows left for them: a line says what is above (once scrolled)
  // and one what is below.
  const room = Math.max(1, rows - (from > 0 ? 1 : 0) - 1);
  let to = from;
  let used = 0;
  while (!fits && to < items.length && used + (heights[to] ?? 1) <= room) {
    used += heights[to] ?? 1;
    to++;
  }
  if (!fits && to === from) to = from + 1;
  const end = fits ? items.length : to;
  const lastTop = (() => {
    // The first item from which the rest all fit: scrolling stops there.
    let t = items.length;
    let u = 0;
    while (t > 0 && u + (heights[t - 1] ?? 1) <= Math.max(1, rows - 1)) u += heights[--t] ?? 1;
    return Math.min(items.length - 1, t);
  })();
  useKeys(
    {
      scroll:
        !fits &&
        ((_, key) => setTop((t) => Math.max(0, Math.min(lastTop, t + (key.upArrow ? -1 : 1))))),
    },
    {isActive},
  );
  const g = glyphs();
  const more = (n: number, glyph: string, where: string) => (
    <Text color={color('muted')}>{n > 0 ? `${glyph} ${n} more ${where}` : ' '}</Text>
  );
  return (
    <Box flexDirection="column">
      {fits || from === 0 ? null : more(from, g.above, 'above')}
      {items.slice(from, end).map((i) => (
        <Box key={i.key}>{i.node ?? <Text>{i.text}</Text>}</Box>
      ))}
      {fits || end === items.length ? null : more(items.length - end, g.below, 'below')}
    </Box>
  );
}
