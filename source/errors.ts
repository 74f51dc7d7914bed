/**
 * Expected failures carry an exit code and one line a custodian can act on.
 * `check` (exit 1): the input was read but a check failed (quorum not met, integrity).
 * `input` (exit 2): a file is unreadable or malformed, or a key cannot be used.
 * `usage` (exit 2): the command line is wrong.
 */
export type ErrorKind = 'usage' | 'input' | 'check';

/**
 * Characters a hostile file or stick could use to break a line or drive the terminal: C0
 * controls (newline, ESC…), DEL, C1 controls (CSI), line/paragraph separators and bidi
 * overrides. Messages quote names and values read from files, so they pass through here.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The text with every unprintable character shown as a `\uXXXX` escape: one safe line. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A value read from a file, for a message: strings quoted and cut to `max` characters,
 * numbers as they are, arrays and objects named, never serialised (a value nested a
 * hundred thousand deep must not overflow the stack, nor a megabyte string fill the line).
 */
export function preview(value: unknown, max = 40): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') {
    const cut = value.length > max;
    const quoted = JSON.stringify(cut ? value.slice(0, max) : value);
    return printable(cut ? `${quoted.slice(0, -1)}…"` : quoted);
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Text quoted from a file (a schema finding naming a key, say), cut to one short line. */
export function clip(text: string, max = 200): string {
  const line = printable(text);
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export class SdError extends Error {
  readonly kind: ErrorKind;
  /** A short machine-readable reason, e.g. `wrong-passphrase`, `truncated`. */
  readonly reason: string;
  /** The file the error is about, when there is one. */
  readonly file?: string;

  constructor(kind: ErrorKind, reason: string, message: string, file?: string) {
    // One line, whatever a file name or a value quoted from a hostile file held.
    super(printable(message));
    this.name = 'SdError';
    this.kind = kind;
    this.reason = reason;
    if (file !== undefined) this.file = file;
  }

  get exitCode(): 1 | 2 {
    return this.kind === 'check' ? 1 : 2;
  }
}

export const usageError = (reason: string, message: string): SdError =>
  new SdError('usage', reason, message);
export const inputError = (reason: string, message: string, file?: string): SdError =>
  new SdError('input', reason, message, file);
export const checkError = (reason: string, message: string, file?: string): SdError =>
  new SdError('check', reason, message, file);

export type Result<T, E = SdError> = {ok: true; value: T} | {ok: false; error: E};
export const ok = <T>(value: T): {ok: true; value: T} => ({ok: true, value});
export const fail = <E = SdError>(error: E): {ok: false; error: E} => ({ok: false, error});

/** Unwraps a Result, throwing its SdError: for command code that lets the CLI report it. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
