import {constants, openSync, fstatSync, readSync, closeSync, lstatSync, statSync} from 'node:fs';
import {inputError, fail, ok, type Result} from '../errors.js';

/** Key files, certificates and share files are small; anything larger is not one of them. */
export const MAX_KEY_FILE_BYTES = 1024 * 1024;

function describeKind(st: import('node:fs').Stats): string | undefined {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  if (!st.isFile()) return 'not a regular file';
  return undefined;
}

function errnoMessage(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `${file}: no such file — check the path`;
    case 'EACCES':
    case 'EPERM':
      return `${file}: permission denied — check the file's permissions`;
    case 'EIO':
    case 'ENXIO':
    case 'ENODEV':
      return `${file}: read error — was the stick removed? Reinsert it and try again`;
    case 'ELOOP':
      return `${file}: too many symbolic links`;
    default:
      return `${file}: cannot be read (${code ?? 'unknown error'})`;
  }
}

/**
 * Reads a small regular file without ever blocking on a FIFO or device: the type is checked
 * with stat before open, the file is opened non-blocking, and checked again on the open
 * descriptor (the path could have been swapped in between); at most `maxBytes` are read. Every
 * file sd-drill reads comes through here.
 */
export function readSmallFileSync(
  file: string,
  maxBytes = MAX_KEY_FILE_BYTES,
  what = 'key file',
): Result<Buffer> {
  let st;
  try {
    lstatSync(file);
    st = statSync(file);
  } catch (error) {
    return fail(inputError('unreadable', errnoMessage(file, error), file));
  }
  const kind = describeKind(st);
  if (kind) return fail(inputError('not-a-file', `${file}: is ${kind}, not a ${what}`, file));
  if (st.size > maxBytes) {
    return fail(
      inputError(
        'too-large',
        `${file}: ${st.size} bytes is too large for a ${what} (limit ${maxBytes} bytes)`,
        file,
      ),
    );
  }
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const fst = fstatSync(fd);
    const kind2 = describeKind(fst);
    if (kind2) return fail(inputError('not-a-file', `${file}: is ${kind2}, not a ${what}`, file));
    if (fst.size > maxBytes) {
      return fail(inputError('too-large', `${file}: too large for a ${what}`, file));
    }
    // The size is a hint: /proc and /sys files say 0 or 4096 whatever they hold, and a file can
    // grow while it is read. The buffer grows until end of file or the limit.
    let buf = Buffer.alloc(Math.min(fst.size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        const bigger = Buffer.alloc(Math.min(Math.max(buf.length * 2, 4096), maxBytes + 1));
        buf.copy(bigger);
        buf.fill(0);
        buf = bigger;
      }
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) {
        buf.fill(0);
        return fail(inputError('too-large', `${file}: too large for a ${what}`, file));
      }
    }
    const out = Buffer.from(buf.subarray(0, total));
    buf.fill(0);
    return ok(out);
  } catch (error) {
    return fail(inputError('unreadable', errnoMessage(file, error), file));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** How long a pipe given as a passphrase file may take to deliver all it has. */
export const PIPE_DEADLINE_MS = 10_000;

/**
 * Reads what a pipe holds, as a passphrase file given as `<(pass show …)` or `/dev/stdin` fed by
 * a pipe is: a shell's way of handing over a secret that never touches the disk. Opened
 * non-blocking and read until its writer closes it, at most `maxBytes`. A named FIFO whose
 * writer has not come yet reads as ended with nothing: until something arrives it is read again.
 * Nothing arriving, or a writer that never closes, within `deadlineMs` is one line: never a hang.
 */
export function readPipeSync(
  file: string,
  maxBytes: number,
  what: string,
  deadlineMs = PIPE_DEADLINE_MS,
): Result<Buffer> {
  let fd: number | undefined;
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(4096);
  let total = 0;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFIFO())
      return fail(inputError('not-a-file', `${file}: is not a pipe, not a ${what}`, file));
    const until = Date.now() + deadlineMs;
    const stalled = () =>
      fail(
        inputError(
          'pipe-stalled',
          total === 0
            ? `${file}: nothing arrived on the pipe within ${deadlineMs / 1000} s: start the program that writes the ${what}'s lines to it`
            : `${file}: the pipe was still open after ${deadlineMs / 1000} s: the program writing to it must send the ${what}'s lines and exit`,
          file,
        ),
      );
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        n = -1;
      }
      // Ended, after something came: the whole file.
      if (n === 0 && total > 0) break;
      if (n > 0) {
        total += n;
        if (total > maxBytes)
          return fail(inputError('too-large', `${file}: too large for a ${what}`, file));
        chunks.push(Buffer.from(chunk.subarray(0, n)));
        continue;
      }
      // Nothing yet (EAGAIN), or no writer yet (0 before anything came): wait a little.
      if (Date.now() > until) return stalled();
      Atomics.wait(pause, 0, 0, 10);
    }
    return ok(Buffer.concat(chunks));
  } catch (error) {
    return fail(inputError('unreadable', errnoMessage(file, error), file));
  } finally {
    chunk.fill(0);
    for (const c of chunks) c.fill(0);
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A passphrase file: a small regular file, or a pipe (`<(…)`, `/dev/stdin` fed by a pipe) read
 * with a deadline. Devices, sockets and directories are refused as for every other file.
 */
export function readPassphraseSource(file: string, maxBytes = 64 * 1024): Result<Buffer> {
  let st;
  try {
    st = statSync(file);
  } catch (error) {
    return fail(inputError('unreadable', errnoMessage(file, error), file));
  }
  return st.isFIFO()
    ? readPipeSync(file, maxBytes, 'passphrase file')
    : readSmallFileSync(file, maxBytes, 'passphrase file');
}

export {errnoMessage};
