/**
 * Runs the built bundle the way a user or a script does: plain `node dist/sd-drill.js`, no
 * terminal on stdin (so nothing can hang on a passphrase prompt), no colour.
 */
import {execFile, spawnSync} from 'node:child_process';
import {bundle, repoRoot} from './paths.js';

export interface CliResult {
  /** Exit code; a signal (a crash or the timeout) shows as -1. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the child is killed (default 60 s). */
  timeout?: number;
  /** Bytes for stdin (still not a terminal); stdin is closed empty otherwise. */
  input?: string | Buffer;
}

/** `--key K` for each key file, in order: how a command is given the keys that are presented. */
export const keyArgs = (...keys: readonly string[]): string[] => keys.flatMap((k) => ['--key', k]);

function childEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CI: '1', ...extra};
}

/** Runs `sd-drill ARGS…` synchronously. */
export function runCli(args: readonly string[], options: RunOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [bundle, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: childEnv(options.env),
    encoding: 'utf8',
    ...(options.input === undefined ? {stdio: ['ignore', 'pipe', 'pipe']} : {input: options.input}),
    timeout: options.timeout ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error && !r.stdout && !r.stderr) throw r.error;
  return {code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? ''};
}

/** Runs `sd-drill ARGS…` without blocking the test process (to run several at once). */
export function runCliAsync(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bundle, ...args],
      {
        cwd: options.cwd ?? repoRoot,
        env: childEnv(options.env),
        encoding: 'utf8',
        timeout: options.timeout ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code =
          error && typeof (error as {code?: unknown}).code === 'number'
            ? (error as {code: number}).code
            : error
              ? -1
              : 0;
        resolve({code, stdout, stderr});
      },
    );
    child.stdin?.end(options.input);
  });
}

/** The non-empty lines of a stream. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** Terminal controls a hostile name or value could smuggle into a message (ESC, CSI, CR…). */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

/** A message line longer than this is quoting a file instead of naming what is wrong. */
export const MAX_ERROR_LINE = 1000;

/**
 * What a clean refusal looks like: exactly one line on stderr, no stack frames, no JS error
 * class names leaking from a crash, no terminal controls, and not a page long.
 */
export function cleanErrorProblems(stderr: string): string[] {
  const problems: string[] = [];
  const ls = lines(stderr);
  if (ls.length !== 1) problems.push(`expected one stderr line, got ${ls.length}`);
  if (/^\s*at /m.test(stderr)) problems.push('stack frames on stderr');
  if (/\b(TypeError|SyntaxError|RangeError|ReferenceError|internal error)\b/.test(stderr))
    problems.push('a JS error name on stderr');
  if (CONTROLS.test(stderr)) problems.push('control characters on stderr');
  if (ls.some((l) => l.length > MAX_ERROR_LINE))
    problems.push(`a stderr line over ${MAX_ERROR_LINE} characters`);
  return problems;
}
