/**
 * Expected failures carry an exit code and one line a custodian can act on.
 * `check` (exit 1): the input was read but a check failed (quorum not met, integrity).
 * `input` (exit 2): a file is unreadable or malformed, or a key cannot be used.
 * `usage` (exit 2): the command line is wrong.
 */
export type ErrorKind = 'usage' | 'input' | 'check';

export class SdError extends Error {
  readonly kind: ErrorKind;
  /** A short machine-readable reason, e.g. `wrong-passphrase`, `truncated`. */
  readonly reason: string;
  /** The file the error is about, when there is one. */
  readonly file?: string;

  constructor(kind: ErrorKind, reason: string, message: string, file?: string) {
    super(message);
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
