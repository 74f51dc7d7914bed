/**
 * Semantic colours, in one place. With NO_COLOR set, every colour is dropped (the shell also
 * sets FORCE_COLOR=0 before Ink loads, since chalk itself ignores NO_COLOR).
 */
export const noColor = (): boolean => Boolean(process.env.NO_COLOR);

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
