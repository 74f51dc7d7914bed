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
