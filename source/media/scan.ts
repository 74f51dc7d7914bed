/**
 * What is on a stick: private keys and certificates, recognised by content (sniff), not by
 * file name. The stick is treated as hostile input:
 *
 * - Only the top level and one folder down are looked at, and at most 5,000 directory entries
 *   (a stick full of photos or a crafted one with a million files must not stall a ceremony).
 * - Every entry is lstat'ed before anything else. Symbolic links are never followed: one that
 *   leads off the stick (by realpath) is refused as such, one that stays on it is listed as
 *   refused "not followed" — its target, if within the scanned depth, is scanned where it
 *   lies, and following would list the same key twice.
 * - FIFOs, devices and sockets are refused without being opened; files over 1 MiB are refused
 *   as too large without being opened.
 * - Other regular files are peeked at (first 4 KiB, opened O_NONBLOCK | O_NOFOLLOW); only
 *   those that can be key material (a PEM header, or a DER SEQUENCE) are read whole. A README
 *   or a photo is therefore read no further than 4 KiB and is not listed: it only adds to
 *   `ignored`.
 * - A stick pulled out mid-scan gives status `gone`, never an exception.
 *
 * Not defended: swapping a file for a symlink between the peek and the whole read
 * (readSmallFileSync re-checks the type on its open descriptor, but follows a final symlink).
 * That needs someone writing to the mounted stick during the scan, i.e. already on the machine.
 */
import {constants} from 'node:fs';
import {lstat, open, opendir, realpath, stat} from 'node:fs/promises';
import {join, relative, sep} from 'node:path';
import {printable} from '../errors.js';
import {errnoMessage, MAX_KEY_FILE_BYTES} from '../fs/read-file.js';
import {
  readMaterial,
  toCertificate,
  toKey,
  type FoundCertificate,
  type FoundKey,
  type Material,
} from './key-material.js';
import {isSameOrUnder} from './mountinfo.js';
import {CONTRIBUTION_HEAD} from '../remote/names.js';
import type {Stick} from './stick.js';

export type {FoundCertificate, FoundKey} from './key-material.js';

export const MAX_SCAN_ENTRIES = 5_000;
const PEEK_BYTES = 4096;

/** Folders that operating systems put on sticks; counted as entries but never entered. */
const SYSTEM_FOLDERS = new Set([
  '.Trashes',
  '.Spotlight-V100',
  '.fseventsd',
  '.TemporaryItems',
  '.DocumentRevisions-V100',
  'System Volume Information',
  '$RECYCLE.BIN',
  'lost+found',
]);

export type RefusalCode =
  | 'not-a-file'
  | 'too-large'
  | 'symlink-leaves-stick'
  | 'symlink'
  | 'unreadable'
  | 'entry-limit'
  | 'stick-gone';

/** Something that looked like it might matter and was not read, with the reason. */
export interface Refusal {
  file: string;
  name: string;
  code: RefusalCode;
  reason: string;
}

export interface StickScan {
  stick: Stick;
  /**
   * `complete`; `truncated` when the entry cap stopped the scan (see `refused`); `gone` when
   * the stick disappeared or stopped answering — treat it as a "stick left".
   */
  status: 'complete' | 'truncated' | 'gone';
  keys: FoundKey[];
  certificates: FoundCertificate[];
  refused: Refusal[];
  /** Remote holders' sealed contributions, recognised by how they begin (not read here). */
  contributions: string[];
  /** Regular files that are not key material (READMEs, photos, public keys). */
  ignored: number;
  /** Directory entries examined. */
  entries: number;
}

export interface ScanOptions {
  maxEntries?: number;
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
}

function describeNonFile(st: import('node:fs').Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Same first test as sniff(): only a PEM header or a DER SEQUENCE can be key material. */
function mayBeKeyMaterial(head: Buffer): boolean {
  if (head.toString('latin1').includes('-----BEGIN ')) return true;
  const len = head[1] ?? 0;
  return head.length > 4 && head[0] === 0x30 && len >= 0x80 && len <= 0x84;
}

type Peek = {ok: true; mayBeKey: boolean; contribution: boolean} | {ok: false; error: unknown};

/** Reads at most 4 KiB without following a symlink or blocking on a FIFO swapped in. */
async function peek(file: string): Promise<Peek> {
  let handle;
  try {
    handle = await open(
      file,
      constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0),
    );
    const st = await handle.stat();
    if (!st.isFile())
      return {ok: false, error: Object.assign(new Error(describeNonFile(st)), {code: 'ENOTREG'})};
    const buf = Buffer.alloc(Math.min(PEEK_BYTES, st.size));
    const {bytesRead} = await handle.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    const mayBeKey = mayBeKeyMaterial(head);
    const contribution = head.toString('latin1').startsWith(CONTRIBUTION_HEAD);
    buf.fill(0);
    return {ok: true, mayBeKey, contribution};
  } catch (error) {
    return {ok: false, error};
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

interface Walk {
  root: string;
  realRoot: string;
  maxEntries: number;
  entries: number;
  truncated: boolean;
  refused: Refusal[];
  candidates: {file: string; name: string}[];
  subfolders: string[];
  ignored: number;
}

function noteFailedPeek(w: Walk, file: string, error: unknown): void {
  const c = code(error);
  if (c === 'ENOTREG') {
    refuse(w, file, 'not-a-file', `not a regular file (${(error as Error).message}) — not read`);
  } else if (c === 'ELOOP') {
    refuse(w, file, 'symlink', 'became a symbolic link while scanning — not followed');
  } else {
    refuse(w, file, 'unreadable', errnoMessage(file, error));
  }
}

/** A file's name on the stick, for listings: its escapes and newlines shown, not obeyed. */
function displayName(w: Walk, file: string): string {
  return printable(relative(w.root, file)) || '.';
}

function refuse(w: Walk, file: string, codeName: RefusalCode, reason: string): void {
  w.refused.push({file, name: displayName(w, file), code: codeName, reason: printable(reason)});
}

async function classifyEntry(w: Walk, file: string, depth: number): Promise<void> {
  let st;
  try {
    st = await lstat(file);
  } catch (error) {
    refuse(w, file, 'unreadable', errnoMessage(file, error));
    return;
  }
  if (st.isSymbolicLink()) {
    let target: string;
    try {
      target = await realpath(file);
    } catch {
      refuse(w, file, 'symlink', 'broken symbolic link — not followed');
      return;
    }
    if (!isSameOrUnder(target, w.realRoot)) {
      refuse(
        w,
        file,
        'symlink-leaves-stick',
        `symbolic link to ${target} leaves the stick — not followed`,
      );
    } else {
      refuse(
        w,
        file,
        'symlink',
        'symbolic link — not followed (its target on the stick is scanned where it lies)',
      );
    }
    return;
  }
  if (st.isDirectory()) {
    const name = file.slice(file.lastIndexOf(sep) + 1);
    if (depth === 0 && !SYSTEM_FOLDERS.has(name)) w.subfolders.push(file);
    return;
  }
  if (!st.isFile()) {
    refuse(w, file, 'not-a-file', `not a regular file (${describeNonFile(st)}) — not opened`);
    return;
  }
  if (st.size > MAX_KEY_FILE_BYTES) {
    refuse(
      w,
      file,
      'too-large',
      `too large: ${st.size} bytes (key files are under ${MAX_KEY_FILE_BYTES} bytes) — not read`,
    );
    return;
  }
  if (st.size === 0) {
    w.ignored++;
    return;
  }
  w.candidates.push({file, name: displayName(w, file)});
}

/** Lists one directory, stopping at the entry cap; lstat runs in small parallel batches. */
async function walkDir(w: Walk, dir: string, depth: number): Promise<void> {
  const names: string[] = [];
  try {
    const handle = await opendir(dir);
    for await (const entry of handle) {
      if (w.entries >= w.maxEntries) {
        w.truncated = true;
        break; // leaving the loop closes the directory handle
      }
      w.entries++;
      names.push(entry.name);
    }
  } catch (error) {
    refuse(w, dir, 'unreadable', errnoMessage(dir, error));
  }
  names.sort();
  for (let i = 0; i < names.length; i += 32) {
    await Promise.all(names.slice(i, i + 32).map((n) => classifyEntry(w, join(dir, n), depth)));
  }
}

async function stillThere(stick: Stick): Promise<boolean> {
  try {
    const st = await stat(stick.path);
    return stick.rootDev === null || st.dev === stick.rootDev;
  } catch {
    return false;
  }
}

function goneScan(stick: Stick, entries: number): StickScan {
  return {
    stick,
    status: 'gone',
    keys: [],
    certificates: [],
    contributions: [],
    refused: [
      {
        file: stick.path,
        name: '.',
        code: 'stick-gone',
        reason: `${stick.label} is no longer readable at ${stick.path} — was it removed? Reinsert it and try again`,
      },
    ],
    ignored: 0,
    entries,
  };
}

const byName = <T extends {name: string}>(a: T, b: T): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** Scans one stick (see the top of this file for what is read and what is refused). */
export async function scanStick(stick: Stick, options: ScanOptions = {}): Promise<StickScan> {
  if (!(await stillThere(stick))) return goneScan(stick, 0);
  let realRoot: string;
  try {
    realRoot = await realpath(stick.path);
  } catch {
    return goneScan(stick, 0);
  }
  const w: Walk = {
    root: stick.path,
    realRoot,
    maxEntries: options.maxEntries ?? MAX_SCAN_ENTRIES,
    entries: 0,
    truncated: false,
    refused: [],
    candidates: [],
    subfolders: [],
    ignored: 0,
  };
  await walkDir(w, stick.path, 0);
  for (const dir of w.subfolders.sort()) {
    if (w.truncated) break;
    await walkDir(w, dir, 1);
  }
  const materials: Material[] = [];
  const contributions: string[] = [];
  // Peeks run in small parallel batches (each is open, fstat, read, close); whole reads
  // happen only for the few files that may be key material.
  const candidates = w.candidates.sort(byName);
  const peeks: Peek[] = [];
  for (let i = 0; i < candidates.length; i += 16) {
    peeks.push(...(await Promise.all(candidates.slice(i, i + 16).map((c) => peek(c.file)))));
  }
  for (const [i, c] of candidates.entries()) {
    const p = peeks[i];
    if (!p) continue;
    if (!p.ok) {
      noteFailedPeek(w, c.file, p.error);
      continue;
    }
    if (p.contribution) {
      contributions.push(c.file);
      continue;
    }
    if (!p.mayBeKey) {
      w.ignored++;
      continue;
    }
    const read = readMaterial(c.file, c.name);
    if (read.kind === 'material') materials.push(read.material);
    else if (read.kind === 'not-key-material') w.ignored++;
    else {
      refuse(w, c.file, read.code, read.reason);
    }
  }
  // Checked every time, not only after an error: a stick unmounted between the first check
  // and the listing leaves its empty mount point, which lists cleanly as nothing at all.
  if (!(await stillThere(stick))) return goneScan(stick, w.entries);
  const certs = materials.flatMap((m) => (m.certificate ? [m.certificate] : []));
  if (w.truncated) {
    refuse(
      w,
      stick.path,
      'entry-limit',
      `stopped after ${w.maxEntries} entries — the scan is incomplete; put key files at the top of the stick`,
    );
  }
  return {
    stick,
    status: w.truncated ? 'truncated' : 'complete',
    keys: materials
      .filter((m) => m.kind !== 'certificate')
      .map((m) => toKey(m, certs))
      .sort(byName),
    certificates: materials
      .filter((m) => m.kind === 'certificate')
      .map(toCertificate)
      .sort(byName),
    contributions,
    refused: w.refused.sort(byName),
    ignored: w.ignored,
    entries: w.entries,
  };
}
