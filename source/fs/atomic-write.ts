import {randomBytes} from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
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
  /**
   * File mode for the new file; secrets-adjacent outputs use 0o600. FAT and exFAT store no
   * permissions: there the mount's options decide and the mode asked for is not kept.
   */
  mode?: number;
  /** Replace an existing file (only when the user asked with --force). */
  overwrite?: boolean;
}

/**
 * Writes a file so that a reader never sees part of it under its final name, a failure leaves
 * nothing behind, and an existing file is never replaced unless `overwrite` is set (then
 * `rename`, which replaces atomically). The bytes go to a temporary file in the same folder
 * (`O_EXCL`, fsynced), which is then published:
 *
 * - where hard links exist, by `link(tmp, final)`: it fails with EEXIST if the name is taken,
 *   so the check and the publication are one step and a racing writer loses cleanly;
 * - on FAT32 and exFAT (USB sticks), which have no hard links, by a reservation: `O_EXCL`
 *   creates the final name empty (the same one-step test, so a racing writer or an existing
 *   file wins, case-insensitively as FAT compares names), then `rename(tmp, final)` replaces
 *   that empty file with the whole one. A reader sees nothing, an empty file, or the whole
 *   file — never a prefix. Rename replaces whatever holds the name, so just before it the
 *   name must still hold an empty regular file: the most it can replace is an empty file (ours,
 *   or one a writer that ignores `O_EXCL` put there in the instant between the check and the
 *   rename). On failure the reservation is removed only while it is still empty.
 *
 * Measured on fusefat 0.1a (FAT32) and exfat-fuse 1.3.0 (Debian 12; the kernel's vfat and exfat
 * have no link operation either, for which the VFS answers EPERM): `link` to a new name fails
 * with EPERM (EEXIST when the name is taken: the VFS checks that first); `rename` over an existing file replaces it silently (no RENAME_NOREPLACE either, and
 * Node has no renameat2); `O_CREAT|O_EXCL` refuses an existing name with EEXIST, also in
 * another case (`B` for `b`); fsync works on files and on the folder; `chmod` fails with
 * ENOSYS (fusefat) or is accepted and ignored (exFAT: every file shows 0777); a write to a full
 * stick fails with ENOSPC (exfat-fuse) or EPERM (fusefat). FAT has no journal: a power cut mid-write can leave the empty reservation or the `.tmp`, never a
 * partial file under the final name.
 */
export function writeFileAtomic(
  path: string,
  data: string | Buffer,
  options: WriteOptions = {},
): Result<void> {
  return deferSignals(() => writeNow(path, data, options));
}

/** What `link` says on a file system without hard links (Linux FAT/exFAT/FUSE, macOS msdos). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

function exists(): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error('EEXIST: file already exists');
  error.code = 'EEXIST';
  return error;
}

function writeNow(path: string, data: string | Buffer, options: WriteOptions): Result<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  let writing = false;
  try {
    fd = openSync(
      tmp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
      options.mode ?? 0o644,
    );
    writing = true;
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    writing = false;
    if (options.overwrite) renameSync(tmp, path);
    else publishNew(tmp, path, options.mode ?? 0o644);
    syncFolder(dir);
    return ok(undefined);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file was never made or is already gone
    }
    return fail(writeError(path, dir, errno(error), writing));
  }
}

/** Gives the finished temporary file its final name, never over an existing file. */
function publishNew(tmp: string, path: string, mode: number): void {
  let linked = true;
  try {
    linkSync(tmp, path);
  } catch (error) {
    if (!NO_HARD_LINKS.has(errno(error) ?? '')) throw error;
    linked = false;
  }
  if (linked) {
    unlinkSync(tmp);
    return;
  }
  // No hard links here (FAT, exFAT): reserve the name, then rename over the reservation.
  closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode));
  try {
    if (!isEmptyFile(path)) throw exists();
    renameSync(tmp, path);
  } catch (error) {
    if (isEmptyFile(path)) unlinkSync(path);
    throw error;
  }
}

function isEmptyFile(path: string): boolean {
  try {
    const st = lstatSync(path);
    return st.isFile() && st.size === 0;
  } catch {
    return false;
  }
}

/** Makes the new name itself durable; a folder that cannot be fsynced is not an error. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a folder (EINVAL); the file itself is synced
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeError(path: string, dir: string, code: string | undefined, writing: boolean) {
  // Permission is checked when a file is opened; fusefat answers a write to a full stick EPERM.
  if (writing && code === 'EPERM')
    return inputError(
      'no-space',
      `${path}: could not be written (${code}) — is the stick full?`,
      path,
    );
  if (code === 'EEXIST') {
    return inputError(
      'exists',
      `${path}: already exists; refusing to overwrite it (choose another path or use --force)`,
      path,
    );
  }
  if (code === 'ENOENT')
    return inputError('no-dir', `${path}: the folder ${dir} does not exist`, path);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return inputError('unwritable', `${path}: cannot write here (${code})`, path);
  if (code === 'ENOSPC') return inputError('no-space', `${path}: the disk is full`, path);
  return inputError(
    'write-failed',
    `${path}: could not be written (${code ?? 'unknown error'})`,
    path,
  );
}
