/**
 * What stands between Ink and the terminal. Two jobs, neither of which Ink 6.8 does:
 *
 * 1. Frames that fit the terminal, and a clean redraw when it gets narrower (SIGWINCH). Ink erases its last frame by
 *    moving up as many lines as it wrote — but a narrower terminal has already re-wrapped those
 *    lines onto more rows, so the top of the old frame stays on screen, and every later frame
 *    leaves more (Ink's resize handler, ink.js `resized`, clears only the rows it counted). Here
 *    the screen is cleared first, before Ink's own handler redraws from the top. And no line is
 *    ever wider than the terminal (every Box follows the width, and what Ink still makes too
 *    wide is fitted here), so Ink's count of rows is always the terminal's.
 * 2. Screen-reader mode: Ink's frames, turned into a transcript that only ever grows
 *    (screen-reader.ts), written to the real terminal.
 */
import {EventEmitter} from 'node:events';
import {EMPTY_TRANSCRIPT, frameLines, nextTranscript} from './screen-reader.js';

// eslint-disable-next-line no-control-regex
const TOKEN = /(\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007|\u001B[78])|([\s\S])/gu;
const ZERO_WIDTH = /^(?:\p{M}|[\u200B-\u200F\u2060-\u2064]|\uFE0F)$/u;
const WIDE =
  /^[\p{Extended_Pictographic}\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]$/u;

function charWidth(c: string): number {
  if (ZERO_WIDTH.test(c)) return 0;
  return WIDE.test(c) && !/^[\u2000-\u2BFF]$/.test(c) ? 2 : 1;
}

/**
 * One line of a frame, made to fit `columns`: spaces before the end (or before only colour
 * codes at the end) go, and anything past the last column is dropped, its colour codes kept.
 * Ink 6.8 can end a wrapped, coloured line with a space inside the colour (wrap-ansi keeps the
 * space the break fell on), one column too wide: the terminal wraps it onto a row Ink does not
 * count, and a fragment of that frame stays on screen for good.
 */
export function fitLine(line: string, columns: number): string {
  // eslint-disable-next-line no-control-regex
  const trimmed = line.replace(/ +((?:\u001B\[[0-9;]*m)*)$/, '$1');
  let width = 0;
  let out = '';
  for (const m of trimmed.matchAll(TOKEN)) {
    if (m[1]) {
      out += m[1];
      continue;
    }
    const c = m[2] ?? '';
    if (c === '\r') {
      out += c;
      width = 0;
      continue;
    }
    const w = charWidth(c);
    if (width + w > columns) continue;
    width += w;
    out += c;
  }
  return out;
}

/**
 * Ink's stdout in the normal (full-screen) mode: the real terminal, with every line of every
 * frame fitted to its width (fitLine) and the screen cleared when it gets narrower, before Ink
 * redraws (see the top of this file).
 */
export class TerminalStdout extends EventEmitter {
  readonly isTTY = true;
  private last: number;

  constructor(private readonly real: NodeJS.WriteStream) {
    super();
    this.last = real.columns;
    real.on('resize', this.resized);
  }

  get columns(): number {
    return this.real.columns;
  }

  get rows(): number {
    return this.real.rows;
  }

  private readonly resized = () => {
    const now = this.real.columns;
    // Erase the screen and go home; Ink's resize handler, called next, draws from there.
    if (now < this.last) this.real.write('\u001B[2J\u001B[H');
    this.last = now;
    this.emit('resize');
  };

  write(data: string | Uint8Array, callback?: (error?: Error | null) => void): boolean {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    const columns = this.real.columns > 0 ? this.real.columns : 80;
    const fitted = text
      .split('\n')
      .map((l) => fitLine(l, columns))
      .join('\n');
    return this.real.write(fitted, callback);
  }

  stop(): void {
    this.real.off('resize', this.resized);
  }
}

/** How long Ink must be quiet before a frame is said. */
const SETTLE_MS = 60;

/**
 * A stdout for Ink in screen-reader mode. Ink writes each frame whole (erase, then the text);
 * the real terminal gets only what is new (see screen-reader.ts). Ink is told the terminal is
 * very wide, so it does not cut a sentence into rows itself: the terminal wraps it, and a
 * reader reads it, as one line.
 */
export class TranscriptStdout extends EventEmitter {
  readonly isTTY = true;
  private state = EMPTY_TRANSCRIPT;
  /** The latest frame, said once Ink has been quiet for SETTLE_MS. */
  private pending: string[] | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly real: NodeJS.WriteStream) {
    super();
    real.on('resize', this.resized);
  }

  get columns(): number {
    return 10_000;
  }

  get rows(): number {
    return this.real.rows;
  }

  private readonly resized = () => this.emit('resize');

  write(data: string | Uint8Array, callback?: (error?: Error | null) => void): boolean {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    const lines = frameLines(text);
    // An escape sequence alone (the cursor shown again, a synchronised-output mark) is no frame.
    if (!lines.every((l) => l === '')) {
      // Frames a few milliseconds apart are one change seen in steps (a screen, then the keys
      // it files): only the last is said.
      this.pending = lines;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flush(), SETTLE_MS);
    }
    callback?.();
    return true;
  }

  private flush(): void {
    clearTimeout(this.timer);
    const lines = this.pending;
    this.pending = undefined;
    if (!lines) return;
    const next = nextTranscript(this.state, lines, this.real.columns > 0 ? this.real.columns : 80);
    this.state = next.state;
    if (next.write !== '') this.real.write(next.write);
  }

  /** Says the last frame, and ends the line being edited so the shell's prompt has its own. */
  stop(): void {
    this.flush();
    this.real.off('resize', this.resized);
    if (this.state.live !== '') this.real.write('\n');
    this.state = EMPTY_TRANSCRIPT;
  }
}
