/**
 * /proc/self/mountinfo, as proc(5) describes it:
 *
 *   36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   (1)(2)(3)   (4)   (5)         (6)       (7)      (8) (9)  (10)      (11)
 *
 * mount ID, parent ID, major:minor, root, mount point, mount options, zero or more optional
 * fields, a lone "-", filesystem type, mount source, super options. The kernel writes space,
 * tab, newline and backslash in paths as three-digit octal escapes (\040, \011, \012, \134).
 */
import {readSmallFileSync} from '../fs/read-file.js';

export interface MountEntry {
  mountId: number;
  parentId: number;
  /** `major:minor` of the filesystem; `0:N` for filesystems without a block device. */
  majorMinor: string;
  major: number;
  minor: number;
  /** The directory of the filesystem that is mounted here (not `/` for bind mounts). */
  root: string;
  mountPoint: string;
  mountOptions: string;
  optionalFields: string[];
  fsType: string;
  /** What was mounted: `/dev/sdb1`, `tmpfs`, `server:/export`… */
  source: string;
  superOptions: string;
}

/** Turns the kernel's `\ooo` escapes back into characters. */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}

function parseLine(line: string): MountEntry | undefined {
  // Fields are separated by single spaces; spaces inside paths are always escaped.
  const fields = line.split(' ');
  const sep = fields.indexOf('-', 6);
  if (fields.length < 10 || sep < 0 || fields.length < sep + 3) return undefined;
  const [id, parent, majmin, root, mountPoint, options] = fields;
  const mountId = Number(id);
  const parentId = Number(parent);
  const m = /^(\d+):(\d+)$/.exec(majmin ?? '');
  if (!Number.isInteger(mountId) || !Number.isInteger(parentId) || !m) return undefined;
  if (root === undefined || mountPoint === undefined || options === undefined) return undefined;
  return {
    mountId,
    parentId,
    majorMinor: `${m[1]}:${m[2]}`,
    major: Number(m[1]),
    minor: Number(m[2]),
    root: unescapeMountField(root),
    mountPoint: unescapeMountField(mountPoint),
    mountOptions: options,
    optionalFields: fields.slice(6, sep),
    fsType: unescapeMountField(fields[sep + 1] ?? ''),
    source: unescapeMountField(fields[sep + 2] ?? ''),
    superOptions: unescapeMountField(fields.slice(sep + 3).join(' ')),
  };
}

/** Parses the whole table; malformed lines are skipped rather than failing the lot. */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseLine(line);
    if (entry) entries.push(entry);
  }
  return entries;
}

export const MOUNTINFO_PATH = '/proc/self/mountinfo';
/** About 150 bytes a mount: room for tens of thousands (a busy container host has thousands). */
const MAX_MOUNTINFO_BYTES = 16 * 1024 * 1024;

/** The raw table, or undefined where there is none (not Linux, /proc not mounted). */
export function readMountinfoText(file = MOUNTINFO_PATH): string | undefined {
  const bytes = readSmallFileSync(file, MAX_MOUNTINFO_BYTES, 'mount table');
  return bytes.ok ? bytes.value.toString('utf8') : undefined;
}

/**
 * The mount that holds `path` (an absolute, symlink-resolved path): the entry with the longest
 * mount point that is `path` or one of its ancestors; the last one wins when a directory was
 * mounted over (mountinfo lists mounts in the order they were made).
 */
export function mountContaining(entries: MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const entry of entries) {
    if (!isSameOrUnder(path, entry.mountPoint)) continue;
    if (!best || entry.mountPoint.length >= best.mountPoint.length) best = entry;
  }
  return best;
}

/** True when `path` is `dir` or inside it (plain string paths, already normalised). */
export function isSameOrUnder(path: string, dir: string): boolean {
  if (dir === '/') return path.startsWith('/');
  const d = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  return path === d || path.startsWith(`${d}/`);
}

/** True when `path` is strictly inside `dir`. */
export function isStrictlyUnder(path: string, dir: string): boolean {
  return isSameOrUnder(path, dir) && path.replace(/\/+$/, '') !== dir.replace(/\/+$/, '');
}
