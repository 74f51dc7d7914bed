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

export {errnoMessage};
