/**
 * A lock file for read-modify-write of the store: two sd-drill processes (a drill finishing
 * while someone registers a holder, or scripts run in parallel) must never lose each other's
 * records. `open(…, 'wx')` is the atomic test-and-set; everything else is waiting politely.
 */
import {randomBytes} from 'node:crypto';
import {closeSync, linkSync, openSync, renameSync, statSync, unlinkSync, writeSync} from 'node:fs';
import {hostname} from 'node:os';
import {dirname} from 'node:path';
import {readSmallFileSync} from '../fs/read-file.js';
import {inputError} from '../errors.js';
import {makeDirs} from '../fs/make-dirs.js';

export interface LockOptions {
  /**
   * How long to wait for the lock. Longer than `staleMs`, so a lock left by a crashed
   * process is broken by the next writer instead of failing it.
   */
  timeoutMs?: number;
  /** A lock file older than this is a crashed writer's leftover. */
  staleMs?: number;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 12_000;
export const DEFAULT_STALE_LOCK_MS = 10_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function tryCreate(lockPath: string, token: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o600);
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
    if (errno(error) === 'ENOENT') {
      makeDirs(dirname(lockPath), 0o700);
      return tryCreate(lockPath, token);
    }
    throw inputError(
      'store-unwritable',
      `${lockPath}: cannot create the store's lock file (${errno(error) ?? 'unknown error'})`,
      lockPath,
    );
  }
  try {
    writeSync(fd, token);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Age of the lock file in ms, or undefined if it has gone. */
function lockAge(lockPath: string): number | undefined {
  try {
    return Date.now() - statSync(lockPath).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Breaks a stale lock without breaking a fresh one a faster process just took: the lock is
 * renamed away first (atomic, so only one breaker gets it); if what we took turns out to be
 * fresh, it is linked back (link fails rather than replace a newer lock).
 */
function breakStale(lockPath: string, staleMs: number): void {
  const aside = `${lockPath}.stale-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // someone else broke or released it
  }
  try {
    const age = Date.now() - statSync(aside).mtimeMs;
    if (age <= staleMs) {
      try {
        linkSync(aside, lockPath);
      } catch {
        // a newer lock is already in place; the one we moved is lost to its owner, who will
        // find its token gone on release and leave the newer lock alone
      }
    }
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      // already gone
    }
  }
}

function release(lockPath: string, token: string): void {
  try {
    const held = readSmallFileSync(lockPath, 4096, 'lock file');
    if (held.ok && held.value.toString('utf8') === token) unlinkSync(lockPath);
  } catch {
    // broken as stale by another process, or already removed
  }
}

/** Runs `fn` holding the lock file; throws an SdError (exit 2) if it cannot be had in time. */
export function withLock<T>(lockPath: string, fn: () => T, options: LockOptions = {}): T {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_LOCK_MS;
  const token = `${process.pid}@${hostname()} ${randomBytes(8).toString('hex')}\n`;
  const started = Date.now();
  while (!tryCreate(lockPath, token)) {
    const age = lockAge(lockPath);
    if (age !== undefined && age > staleMs) {
      breakStale(lockPath, staleMs);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw inputError(
        'store-locked',
        `${lockPath}: another sd-drill has held the store's lock for over ${Math.round(timeoutMs / 1000)} s; try again (if no sd-drill is running, delete this file)`,
        lockPath,
      );
    }
    sleepSync(5 + Math.floor(Math.random() * 20));
  }
  try {
    return fn();
  } finally {
    release(lockPath, token);
  }
}
