/**
 * Reading a screen the way a person does, whatever wrapped it. tmux's own soft wraps are joined
 * when a pane is captured (`capture-pane -J`, tmux.ts); what the app wraps itself cannot be told
 * apart from a line break it meant: Ink breaks a line at a space, or inside a word wider than
 * the terminal (a path in a long TMPDIR). So a screen shows a text when it is there with every
 * line break read as a space or as nothing: a test then never depends on the length of a path
 * or the width of a pane. The same reading makes "never shown" checks stricter: a passphrase
 * split over two lines is still found.
 */
import {expect} from 'vitest';

/** The screen with each run of whitespace read as one space. */
const spaced = (screen: string): string => screen.replace(/\s+/g, ' ');
/** The screen with line breaks (and the spaces around them) read as nothing. */
const glued = (screen: string): string =>
  screen.replace(/[ \t]*\n[ \t]*/g, '').replace(/\s+/g, ' ');
/** The screen with no whitespace at all. */
const bare = (text: string): string => text.replace(/\s+/g, '');

/**
 * Whether `screen` shows `pattern`: a string anywhere with whitespace, line breaks included,
 * ignored; a regular expression on the screen as it is, with line breaks read as spaces, or
 * with them read as nothing.
 */
export function shows(screen: string, pattern: string | RegExp): boolean {
  if (typeof pattern === 'string') return bare(screen).includes(bare(pattern));
  return [screen, spaced(screen), glued(screen)].some((s) => {
    pattern.lastIndex = 0;
    return pattern.test(s);
  });
}

/** The screen as one line (whitespace runs read as one space), for a message or a regex exec. */
export const oneLine = spaced;

interface ScreenMatchers<R = unknown> {
  /** The screen (a captured pane or an Ink frame) shows `pattern`, however it was wrapped. */
  toShow(pattern: string | RegExp): R;
}

// vitest's documented way to type a custom matcher: merge it into its interfaces.
declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends ScreenMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends ScreenMatchers {}
}

expect.extend({
  toShow(received: unknown, pattern: string | RegExp) {
    const screen = typeof received === 'string' ? received : String(received);
    const pass = shows(screen, pattern);
    return {
      pass,
      message: () =>
        `expected the screen ${pass ? 'not ' : ''}to show ${String(pattern)}; it was:\n${screen}`,
    };
  },
});
