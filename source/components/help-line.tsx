import {useContext, useLayoutEffect, useReducer, useRef} from 'react';
import {Box} from 'ink';
import {display} from './display.js';
import {glyphs} from './glyphs.js';
import {KeyRegistryContext} from './key-registry.js';
import {helpItems, helpText, type ShownKey} from './keys.js';
import {useLayout} from './layout.js';
import {REFERENCE} from './screen-reader.js';
import {Text} from './text.js';
import {color} from './theme.js';
import {widthOf} from './wrap.js';

const NONE: readonly ShownKey[] = [];

/**
 * The keys honoured right now, from the frame's key registry (components/key-registry.ts),
 * read as this component renders, and again whenever they change after a commit.
 */
export function useShownKeys(): readonly ShownKey[] {
  const registry = useContext(KeyRegistryContext);
  const shown = registry ? registry.get() : NONE;
  const drawn = useRef(shown);
  useLayoutEffect(() => {
    drawn.current = shown;
  });
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  useLayoutEffect(() => {
    if (!registry) return;
    return registry.subscribe(() => {
      if (registry.get() !== drawn.current) redraw();
    });
  }, [registry]);
  return shown;
}

/** The footer's key list as it reads on this terminal (a screen reader's sentence). */
export function footerText(shown: readonly ShownKey[], screenReader: boolean): string {
  const text = helpText(shown, display().ascii || screenReader);
  return screenReader ? `Keys: ${text}.` : text;
}

/** The footer's entries, each with the separator after it but the last; never split. */
function footerItems(shown: readonly ShownKey[]): string[] {
  const plain = display().ascii;
  const items = helpItems(shown, plain);
  return items.map((t, i) => (i < items.length - 1 ? `${t} ${plain ? '|' : '·'}` : t));
}

/** The rows the footer takes at `width`: its rule, and its entries packed line by line. */
export function footerRows(shown: readonly ShownKey[], width: number): number {
  if (shown.length === 0) return 0;
  let rows = 1;
  let used = 0;
  for (const item of footerItems(shown)) {
    const w = widthOf(item);
    if (used > 0 && used + 1 + w > width) {
      rows++;
      used = w;
    } else used += (used > 0 ? 1 : 0) + w;
  }
  return 1 + rows;
}

/**
 * The last lines of every screen: a rule, then which keys work here — exactly those some
 * component on screen honours (use-keys.ts), never a list typed by hand.
 *   ──────────────────────────────
 *   ↑↓ move · Enter choose · 1-4 choose by number · Ctrl-C abort
 */
export function HelpLine() {
  const shown = useShownKeys();
  const {width, screenReader} = useLayout();
  if (shown.length === 0) return null;
  if (screenReader) return <Text>{`${REFERENCE}${footerText(shown, true)}`}</Text>;
  return (
    <Box flexDirection="column">
      <Text color={color('muted')}>{glyphs().rule.repeat(Math.max(1, width))}</Text>
      <Box flexWrap="wrap" columnGap={1}>
        {footerItems(shown).map((item) => (
          <Text key={item} color={color('muted')}>
            {item}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
