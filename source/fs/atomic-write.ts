import {randomBytes} from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
  constants,
} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {fail, inputError, ok, type Result} from '../errors.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let holding = false;
const caught: NodeJS.Signals[] = [];
const hold = (signal: NodeJS.Signals): void => {
  caught.push(signal);
};

function release(): void {
  holding = false;
  for (const s of SIGNALS) process.off(s, hold);
  const signal = caught[0];
  caught.length = 0;
  // Nobody else listens: the signal's default action (exit) happens now, as it would have.
  if (signal && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/**
 * Runs a synchronous write so that Ctrl-C or SIGTERM cannot kill the process between the
 * temporary file and its final name, leaving a `.tmp` behind. With a listener installed,
 * Node delivers a signal only between event-loop turns; a signal that came in meanwhile is
 * raised again afterwards (two turns later, so a full poll has seen it) unless someone else
 * (a drill's abort handler) listens and has already handled it.
 */
export function deferSignals<T>(fn: () => T): T {
  if (!holding) {
    holding = true;
    for (const s of SIGNALS) process.on(s, hold);
    setImmediate(() => setImmediate(release));
  }
  return fn();
}

export interface WriteOptions {
  /** File mode for the new file; secrets-adjacent outputs use 0o600. */
  mode?: number;
  /** Replace an existing file (only when the user asked with --force). */
  overwrite?: boolean;
}

/**
 * Writes a file so that readers see either nothing or the whole file: the bytes go to a
 * temporary file in the same directory, are fsynced, then linked into place. `link` fails
 * if the target exists, so an existing file is never replaced unless `overwrite` is set
 * (then `rename`, which replaces atomically).
 */
export function writeFileAtomic(
  path: string,
  data: string | Buffer,
  options: WriteOptions = {},
): Result<void> {
  return deferSignals(() => writeNow(path, data, options));
}

function writeNow(path: string, data: string | Buffer, options: WriteOptions): Result<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(
      tmp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
      options.mode ?? 0o644,
    );
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (options.overwrite) {
      renameSync(tmp, path);
    } else {
      linkSync(tmp, path);
      unlinkSync(tmp);
    }
    return ok(undefined);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file was never made or is already gone
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      return fail(
        inputError(
          'exists',
          `${path}: already exists; refusing to overwrite it (choose another path or use --force)`,
          path,
        ),
      );
    }
    if (code === 'ENOENT')
      return fail(inputError('no-dir', `${path}: the folder ${dir} does not exist`, path));
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      return fail(inputError('unwritable', `${path}: cannot write here (${code})`, path));
    }
    if (code === 'ENOSPC') return fail(inputError('no-space', `${path}: the disk is full`, path));
    return fail(
      inputError(
        'write-failed',
        `${path}: could not be written (${code ?? 'unknown error'})`,
        path,
      ),
    );
  }
}
