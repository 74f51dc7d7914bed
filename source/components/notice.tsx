import {glyphs} from './glyphs.js';
import {Text} from './text.js';
import {color} from './theme.js';

const TONE = {info: 'accent', warning: 'warning', error: 'error'} as const;

/**
 * An inline message about the last thing that happened (a refusal, a reminder), wrapped to the
 * width, never cut. Its level is in the glyph (ℹ ⚠ ✗, or NOTE: WARNING: ERROR: in ASCII), not
 * in its colour alone.
 */
export function Notice({notice}: {notice?: {level: 'info' | 'warning' | 'error'; text: string}}) {
  if (!notice) return null;
  const mark = glyphs()[notice.level];
  return (
    <Text>
      <Text color={color(TONE[notice.level])}>{mark}</Text> {notice.text}
    </Text>
  );
}
