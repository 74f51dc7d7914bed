/**
 * Finding sticks. Listing is cheap and done on every watch tick (one read of
 * /proc/self/mountinfo, one readdir per --media DIR); describing a new stick asks lsblk,
 * /sys or diskutil about its hardware and is done once per arrival.
 */
import {readdir, stat, lstat, realpath} from 'node:fs/promises';
import {basename, join, resolve} from 'node:path';
import {
  findBlockDevice,
  factsFromMatch,
  runLsblk,
  type BlockDevice,
  type LsblkFacts,
} from './lsblk.js';
import {diskutilRemovable, runDiskutilInfo, type DiskutilInfo} from './diskutil.js';
import {isStrictlyUnder, parseMountinfo, readMountinfoText, type MountEntry} from './mountinfo.js';
import {sysBlockFacts, type SysBlockFacts} from './sysfs.js';
import type {Stick} from './stick.js';
import {defaultMountRoots} from './mount-roots.js';
import {printable} from '../errors.js';

export interface DiscoveryOptions {
  /** `--media DIR`: every subfolder is a (simulated) stick. */
  mediaDirs?: string[];
  /**
   * `--mount-root DIR`: replaces the default roots. When --media is given and this is not,
   * mounted volumes are not looked for at all, so a demo or test sees only its folders.
   */
  mountRoots?: string[];
  platform?: NodeJS.Platform;
  /** Replaces the system probes, for tests on captured output. */
  probes?: Partial<MediaProbes>;
}

/** The system calls discovery makes; each returns undefined when it learns nothing. */
export interface MediaProbes {
  readMountinfo(): string | undefined;
  lsblk(): Promise<BlockDevice[] | undefined>;
  sysBlock(majorMinor: string): SysBlockFacts | undefined;
  diskutil(mountPoint: string): Promise<DiskutilInfo | undefined>;
}

export const systemProbes: MediaProbes = {
  readMountinfo: () => readMountinfoText(),
  lsblk: () => runLsblk(),
  sysBlock: (majorMinor) => sysBlockFacts(majorMinor),
  diskutil: (mountPoint) => runDiskutilInfo(mountPoint),
};

export {defaultMountRoots};

/** Filesystems that are never a stick, whatever directory they are mounted on. */
// prettier-ignore
const PSEUDO_FS = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'autofs', 'securityfs',
  'debugfs', 'tracefs', 'fusectl', 'binfmt_misc', 'nsfs', 'bpf', 'mqueue', 'hugetlbfs',
  'pstore', 'configfs', 'efivarfs', 'rpc_pipefs', 'nfsd', 'selinuxfs',
]);

/** A stick seen by the cheap listing, before its hardware is described. */
export type StickCandidate =
  | {kind: 'linux-mount'; id: string; path: string; entry: MountEntry}
  | {kind: 'volume'; id: string; path: string; dev: number | null}
  | {kind: 'folder'; id: string; path: string; dev: number};

interface Plan {
  mediaDirs: string[];
  mountRoots: string[];
  /** Roots named by the user: every mount under them counts, not only /dev/ devices. */
  explicitRoots: boolean;
  platform: NodeJS.Platform;
  probes: MediaProbes;
}

export function planDiscovery(options: DiscoveryOptions = {}): Plan {
  const platform = options.platform ?? process.platform;
  const mediaDirs = (options.mediaDirs ?? []).map((d) => resolve(d));
  const explicitRoots = (options.mountRoots?.length ?? 0) > 0;
  const mountRoots = explicitRoots
    ? (options.mountRoots ?? []).map((d) => resolve(d))
    : mediaDirs.length > 0
      ? []
      : defaultMountRoots(platform);
  return {
    mediaDirs,
    mountRoots,
    explicitRoots,
    platform,
    probes: {...systemProbes, ...options.probes},
  };
}

async function realOrSelf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/** Mounts under the roots, from the mount table; the top-most mount wins a mount point. */
export function mountCandidates(
  entries: MountEntry[],
  roots: string[],
  explicitRoots: boolean,
): StickCandidate[] {
  const byPoint = new Map<string, MountEntry>();
  for (const entry of entries) {
    if (PSEUDO_FS.has(entry.fsType)) continue;
    if (!roots.some((root) => isStrictlyUnder(entry.mountPoint, root))) continue;
    // Under the default roots only real devices count (a tmpfs on /mnt is not a stick); a
    // root the user named takes whatever is mounted there (the tmpfs test relies on it).
    if (!explicitRoots && !entry.source.startsWith('/dev/')) continue;
    byPoint.set(entry.mountPoint, entry);
  }
  return [...byPoint.values()].map((entry) => ({
    kind: 'linux-mount',
    id: `mount:${entry.mountId}:${entry.mountPoint}`,
    path: entry.mountPoint,
    entry,
  }));
}

async function subfolders(dir: string): Promise<{path: string; dev: number; ino: number}[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: {path: string; dev: number; ino: number}[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    try {
      const st = await stat(path);
      if (st.isDirectory()) out.push({path, dev: st.dev, ino: st.ino});
    } catch {
      // Vanished between readdir and stat, or unreadable: not a stick this time round.
    }
  }
  return out;
}

/** Volumes under a root like /Volumes: subdirectories on another filesystem than the root. */
async function volumeCandidates(roots: string[]): Promise<StickCandidate[]> {
  const out: StickCandidate[] = [];
  for (const root of roots) {
    let rootDev: number;
    let names: string[];
    try {
      rootDev = (await stat(root)).dev;
      names = await readdir(root);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      const path = join(root, name);
      try {
        // macOS links the boot volume into /Volumes; a symlink is never a stick.
        if ((await lstat(path)).isSymbolicLink()) continue;
        const st = await stat(path);
        if (st.isDirectory() && st.dev !== rootDev) {
          out.push({kind: 'volume', id: `volume:${path}:${st.dev}`, path, dev: st.dev});
        }
      } catch {
        continue;
      }
    }
  }
  return out;
}

/** The cheap part of discovery: what is there now, without asking about hardware. */
export async function listCandidates(plan: Plan): Promise<StickCandidate[]> {
  const out: StickCandidate[] = [];
  for (const dir of plan.mediaDirs) {
    for (const f of await subfolders(dir)) {
      out.push({
        kind: 'folder',
        id: `folder:${f.path}:${f.dev}:${f.ino}`,
        path: f.path,
        dev: f.dev,
      });
    }
  }
  if (plan.mountRoots.length > 0) {
    const text = plan.platform === 'linux' ? plan.probes.readMountinfo() : undefined;
    if (text !== undefined) {
      const roots = await Promise.all(plan.mountRoots.map(realOrSelf));
      out.push(...mountCandidates(parseMountinfo(text), roots, plan.explicitRoots));
    } else {
      out.push(...(await volumeCandidates(plan.mountRoots)));
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** glibc's makedev: the `stat().dev` of a filesystem with this major:minor. */
export function makeDev(major: number, minor: number): number {
  return (
    (major & 0xfff) * 0x100 +
    (minor & 0xff) +
    (minor & 0xfffff00) * 0x1000 +
    (major & 0xfffff000) * 0x100000000
  );
}

const INTERNAL_TRANSPORTS = new Set(['sata', 'ata', 'nvme', 'sas', 'scsi', 'virtio']);

/** True if any says true, false if some say false and none true, null if none says. */
function anyTrue(values: (boolean | null | undefined)[]): boolean | null {
  if (values.includes(true)) return true;
  return values.includes(false) ? false : null;
}

/** Weighs what lsblk and /sys said about a Linux block device. */
export function linuxHardware(
  lsblk: LsblkFacts | undefined,
  sys: SysBlockFacts | undefined,
): {removable: boolean | null; transport: string | null; disk: string | null; evidence: string} {
  const transport = lsblk?.transport ?? (sys?.usb ? 'usb' : null);
  const disk = lsblk?.disk ?? sys?.disk ?? null;
  const rmFlag = anyTrue([lsblk?.removable, sys?.removable]);
  const usb = transport === 'usb' || sys?.usb === true;
  const hotplug = lsblk?.hotplug ?? null;
  // Hot-pluggable covers USB SSDs and card readers whose media flag is 0; a SATA or NVMe
  // port that merely supports hot-plug is still a computer's own disk.
  const hotExternal = hotplug === true && !INTERNAL_TRANSPORTS.has(transport ?? '');
  const facts: string[] = [];
  if (lsblk?.diskType === 'loop') facts.push('a loop device: a file posing as a disk');
  if (transport) facts.push(`transport ${transport}`);
  if (rmFlag !== null) facts.push(rmFlag ? 'removable media' : 'not removable media');
  if (hotplug !== null) facts.push(hotplug ? 'hot-pluggable' : 'not hot-pluggable');
  const where = disk ?? 'the device';
  if (!lsblk && !sys) {
    return {removable: null, transport, disk, evidence: `${where}: lsblk and /sys said nothing`};
  }
  const removable =
    rmFlag === true || usb || hotExternal
      ? true
      : rmFlag === false || hotplug === false
        ? false
        : null;
  const verdict = removable === true ? 'removable' : removable === false ? 'fixed disk' : 'unknown';
  return {
    removable,
    transport,
    disk,
    evidence: `${where}: ${verdict} (${facts.join(', ') || 'no facts'})`,
  };
}

async function describeLinuxMount(
  entry: MountEntry,
  id: string,
  probes: MediaProbes,
  lsblk: () => Promise<BlockDevice[] | undefined>,
): Promise<Stick> {
  const base = {
    id,
    path: entry.mountPoint,
    source: 'mount' as const,
    device: entry.source,
    fsType: entry.fsType,
    simulated: false,
    rootDev: makeDev(entry.major, entry.minor),
  };
  const blockBacked = entry.source.startsWith('/dev/');
  if (!blockBacked && entry.major === 0) {
    return {
      ...base,
      label: printable(basename(entry.mountPoint)),
      deviceId: `${entry.fsType}@${entry.majorMinor}`,
      removable: false,
      transport: null,
      evidence: `not a block device (${entry.fsType} from ${entry.source})`,
    };
  }
  const devices = await lsblk();
  const match = devices ? findBlockDevice(devices, entry.mountPoint, entry.source) : undefined;
  const facts = match ? factsFromMatch(match) : undefined;
  // FUSE mounts (exfat-fuse, ntfs-3g) have an anonymous 0:N number; /sys knows nothing there.
  const sys = entry.major !== 0 ? probes.sysBlock(entry.majorMinor) : undefined;
  const hw = linuxHardware(facts, sys);
  return {
    ...base,
    label: printable(facts?.label ?? basename(entry.mountPoint)),
    deviceId: hw.disk ?? (blockBacked ? entry.source : `${entry.fsType}@${entry.majorMinor}`),
    removable: hw.removable,
    transport: hw.transport,
    evidence: hw.evidence,
  };
}

async function describeVolume(
  path: string,
  dev: number | null,
  id: string,
  probes: MediaProbes,
): Promise<Stick> {
  const info = await probes.diskutil(path);
  const removable = info ? diskutilRemovable(info) : null;
  const facts: string[] = [];
  if (info?.busProtocol) facts.push(`bus ${info.busProtocol}`);
  if (info?.internal !== null && info?.internal !== undefined)
    facts.push(info.internal ? 'internal' : 'external');
  if (info?.removable) facts.push('removable media');
  if (info?.ejectable) facts.push('ejectable');
  const where = info?.wholeDisk ?? info?.deviceNode ?? path;
  const verdict = removable === true ? 'removable' : removable === false ? 'fixed disk' : 'unknown';
  return {
    id,
    path,
    label: printable(info?.volumeName ?? basename(path)),
    source: 'mount',
    device: info?.deviceNode ?? null,
    deviceId: info?.wholeDisk ?? info?.deviceNode ?? `volume:${path}`,
    fsType: info?.fsType ?? null,
    removable,
    simulated: false,
    transport: info?.busProtocol ?? null,
    evidence: info
      ? `${where}: ${verdict} (${facts.join(', ') || 'no facts'})`
      : `${path}: diskutil said nothing`,
    rootDev: dev,
  };
}

export function describeFolder(path: string, dev: number | null, id = `folder:${path}`): Stick {
  return {
    id,
    path,
    label: printable(basename(path)),
    source: 'folder',
    device: null,
    deviceId: `folder:${path}`,
    fsType: null,
    removable: true,
    simulated: true,
    transport: null,
    evidence: 'simulated stick: a folder under --media',
    rootDev: dev,
  };
}

/** The expensive part: asks about each candidate's hardware (lsblk runs at most once). */
export async function describeCandidates(
  candidates: StickCandidate[],
  probes: MediaProbes,
): Promise<Stick[]> {
  let lsblkRun: Promise<BlockDevice[] | undefined> | undefined;
  const lsblk = (): Promise<BlockDevice[] | undefined> => (lsblkRun ??= probes.lsblk());
  return Promise.all(
    candidates.map((c) => {
      switch (c.kind) {
        case 'folder':
          return describeFolder(c.path, c.dev, c.id);
        case 'volume':
          return describeVolume(c.path, c.dev, c.id, probes);
        case 'linux-mount':
          return describeLinuxMount(c.entry, c.id, probes, lsblk);
      }
    }),
  );
}

/** Every stick present now, described. */
export async function discoverSticks(options: DiscoveryOptions = {}): Promise<Stick[]> {
  const plan = planDiscovery(options);
  return describeCandidates(await listCandidates(plan), plan.probes);
}
