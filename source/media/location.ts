/**
 * Where a path lives — on a stick or on the computer's own disk. keygen uses it to refuse
 * writing a private key to a fixed disk unless told --allow-fixed-disk.
 */
import {realpath, stat} from 'node:fs/promises';
import {basename, dirname, join, resolve} from 'node:path';
import {describeCandidates, planDiscovery, type DiscoveryOptions} from './discover.js';
import {isStrictlyUnder, mountContaining, parseMountinfo} from './mountinfo.js';
import type {Stick} from './stick.js';

export type LocationKind =
  /** On removable hardware (USB, card, ejectable). */
  | 'removable'
  /** On a disk that is part of the computer. */
  | 'fixed'
  /** Inside a subfolder of a --media DIR: a simulated stick. */
  | 'folder-stick'
  /** On something that is not a disk at all: tmpfs, overlay, a network share. */
  | 'not-a-disk'
  /** Nothing could tell (no mount table, lsblk/diskutil missing and /sys silent). */
  | 'unknown';

export interface MediaLocation {
  /** The path asked about, absolute and with symlinks in its existing part resolved. */
  path: string;
  kind: LocationKind;
  /** The mount (or --media subfolder) that holds the path. */
  mountPoint: string | null;
  /** The stick-shaped description of that mount, when there is one. */
  stick: Stick | null;
  evidence: string;
}

/** Resolves symlinks in the longest existing prefix; the rest may not exist yet. */
async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function resolveExisting(path: string): Promise<string> {
  let head = resolve(path);
  const tail: string[] = [];
  for (;;) {
    try {
      return join(await realpath(head), ...tail);
    } catch {
      const up = dirname(head);
      if (up === head) return resolve(path);
      tail.unshift(basename(head));
      head = up;
    }
  }
}

function kindOf(stick: Stick, notADisk: boolean): LocationKind {
  if (notADisk) return 'not-a-disk';
  if (stick.removable === true) return 'removable';
  return stick.removable === false ? 'fixed' : 'unknown';
}

/** Says what holds `path` (which need not exist yet: its nearest existing parent decides). */
export async function describeLocation(
  path: string,
  options: Pick<DiscoveryOptions, 'mediaDirs' | 'platform' | 'probes'> = {},
): Promise<MediaLocation> {
  const real = await resolveExisting(path);
  for (const dir of options.mediaDirs ?? []) {
    const realDir = await resolveExisting(dir);
    if (!isStrictlyUnder(real, realDir)) continue;
    const parts = real.slice(realDir.length + 1).split('/');
    const stickDir = join(realDir, parts[0] ?? '');
    // Inside a subfolder, or the subfolder itself; a loose file in DIR is on no stick, and
    // hidden folders are not sticks (discovery skips them too).
    if (parts[0]?.startsWith('.')) continue;
    if (parts.length >= 2 || (await isDirectory(stickDir))) {
      return {
        path: real,
        kind: 'folder-stick',
        mountPoint: stickDir,
        stick: null,
        evidence: `${stickDir} is a simulated stick (a folder under --media ${dir})`,
      };
    }
  }
  // A plan with an explicit root only to get the probes and platform; roots are not used.
  const plan = planDiscovery({...options, mediaDirs: [], mountRoots: ['/']});
  let stick: Stick | undefined;
  let notADisk = false;
  if (plan.platform === 'linux') {
    const text = plan.probes.readMountinfo();
    const entry = text === undefined ? undefined : mountContaining(parseMountinfo(text), real);
    if (entry) {
      notADisk = entry.major === 0 && !entry.source.startsWith('/dev/');
      const id = `mount:${entry.mountId}:${entry.mountPoint}`;
      [stick] = await describeCandidates(
        [{kind: 'linux-mount', id, path: entry.mountPoint, entry}],
        plan.probes,
      );
    }
  } else if (plan.platform === 'darwin') {
    const parts = real.split('/');
    const mountPoint = parts[1] === 'Volumes' && parts[2] ? `/Volumes/${parts[2]}` : '/';
    [stick] = await describeCandidates(
      [{kind: 'volume', id: `volume:${mountPoint}`, path: mountPoint, dev: null}],
      plan.probes,
    );
  }
  if (!stick) {
    return {path: real, kind: 'unknown', mountPoint: null, stick: null, evidence: 'no mount table'};
  }
  return {
    path: real,
    kind: kindOf(stick, notADisk),
    mountPoint: stick.path,
    stick,
    evidence: stick.evidence,
  };
}

/**
 * True when `path` is on a computer's own disk, false when on a stick (removable hardware or a
 * --media subfolder), undefined when that cannot be told or the path is on no disk at all
 * (tmpfs, network share): the caller decides what unknown means for it.
 */
export async function isOnFixedDisk(
  path: string,
  options: Pick<DiscoveryOptions, 'mediaDirs' | 'platform' | 'probes'> = {},
): Promise<boolean | undefined> {
  const location = await describeLocation(path, options);
  if (location.kind === 'fixed') return true;
  if (location.kind === 'removable' || location.kind === 'folder-stick') return false;
  return undefined;
}
