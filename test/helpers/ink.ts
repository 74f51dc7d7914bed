/**
 * Driving Ink screens in tests: one key per write, then let React flush (two macrotask
 * turns) — an Enter sent too soon submits the old value, and text sent in one chunk is read
 * as a paste. Frames are compared without colour codes.
 */
import {shows} from './screen-text.js';

export const KEY = {
  enter: '\r',
  escape: '\u001B',
  up: '\u001B[A',
  down: '\u001B[B',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

export async function flush(): Promise<void> {
  // React 19 commits state and re-subscribes Ink's input handlers over a few turns; under a
  // loaded CI machine its scheduler slices a render into more of them (it yields after ~5 ms),
  // so give it several timer turns, each of which also lets pending immediates run.
  for (let i = 0; i < 8; i++) await new Promise((r) => setTimeout(r, 0));
}

export async function press(stdin: {write(data: string): void}, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await flush();
  }
}

/** Types text one character at a time. */
export async function type(stdin: {write(data: string): void}, text: string): Promise<void> {
  for (const ch of text) {
    stdin.write(ch);
    await flush();
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]/g;

export function plain(frame: string | undefined): string {
  return (frame ?? '').replace(ANSI, '');
}

/**
 * Waits until the last frame shows `expected` (a text or pattern, read however the frame wraps:
 * screen-text.ts) or satisfies a predicate (the UI may be doing async work). Throws, with the
 * last frame, when it never does: a test must not pass on a timeout.
 */
export async function waitForFrame(
  lastFrame: () => string | undefined,
  expected: string | RegExp | ((f: string) => boolean),
  tries = 200,
): Promise<string> {
  const predicate = typeof expected === 'function' ? expected : (f: string) => shows(f, expected);
  for (let i = 0; i < tries; i++) {
    const f = plain(lastFrame());
    if (predicate(f)) return f;
    await new Promise((r) => setTimeout(r, 25));
  }
  const f = plain(lastFrame());
  if (predicate(f)) return f;
  throw new Error(
    `waitForFrame: the frame never matched ${String(expected)} after ${tries} tries; the last frame was:\n${f}`,
  );
}
