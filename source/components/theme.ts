import {display} from './display.js';

/**
 * Semantic colours, in one place. With colour off (NO_COLOR, FORCE_COLOR=0, TERM=dumb,
 * --no-color, a screen reader: display.ts) every colour is dropped; the start-up also sets
 * FORCE_COLOR=0 before Ink loads, so bold and dim go too (chalk itself ignores NO_COLOR).
 */
export const noColor = (): boolean => !display().color;

const palette = {
  accent: 'cyan',
  ok: 'green',
  warning: 'yellow',
  error: 'red',
  muted: 'gray',
} as const;

export type Tone = keyof typeof palette;

export function color(tone: Tone): string | undefined {
  return noColor() ? undefined : palette[tone];
}
