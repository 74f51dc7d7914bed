/**
 * `lsblk -J` in the shapes util-linux has printed over the years:
 * - 2.37 and later: `mountpoints: ["/media/…"]` (an array, `[null]` when unmounted) and
 *   JSON booleans (`"rm": true`);
 * - 2.33–2.36: `mountpoint: "/media/…"` or null, booleans already true/false;
 * - before 2.33: every value a string, booleans as `"1"`/`"0"`, and no PATH column.
 * The tree nests partitions (and dm-crypt/LVM volumes) under their disk, which is how a
 * mounted partition is traced back to the physical stick.
 */
import {runTool, TOOL_TIMEOUT_MS} from './run-tool.js';

export interface BlockDevice {
  name: string;
  /** `/dev/sdb1`; from NAME when lsblk has no PATH column. */
  path: string;
  removable: boolean | null;
  hotplug: boolean | null;
  /** Transport: `usb`, `sata`, `nvme`, `mmc`…; lsblk fills it for disks only on older versions. */
  transport: string | null;
  label: string | null;
  mountpoints: string[];
  /** `disk`, `part`, `crypt`, `lvm`, `loop`, `rom`… */
  type: string | null;
  children: BlockDevice[];
}

type Raw = Record<string, unknown>;

function asBool(value: unknown): boolean | null {
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  return null;
}

function asText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  return v === '' ? null : v;
}

function normalise(raw: Raw): BlockDevice | undefined {
  const name = asText(raw.name);
  if (!name) return undefined;
  const mountpoints: string[] = [];
  if (Array.isArray(raw.mountpoints)) {
    for (const mp of raw.mountpoints) {
      const m = asText(mp);
      if (m) mountpoints.push(m);
    }
  }
  const single = asText(raw.mountpoint);
  if (single && !mountpoints.includes(single)) mountpoints.push(single);
  const children = Array.isArray(raw.children)
    ? raw.children.flatMap((c: unknown) =>
        c && typeof c === 'object' ? (normalise(c as Raw) ?? []) : [],
      )
    : [];
  const type = asText(raw.type);
  return {
    name,
    path:
      asText(raw.path) ??
      (type === 'crypt' || type === 'lvm' ? `/dev/mapper/${name}` : `/dev/${name}`),
    removable: asBool(raw.rm),
    hotplug: asBool(raw.hotplug),
    transport: asText(raw.tran),
    label: asText(raw.label),
    mountpoints,
    type,
    children,
  };
}

/** Parses `lsblk -J` output; undefined when it is not that. */
export function parseLsblk(text: string): BlockDevice[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const list = (doc as {blockdevices?: unknown} | null)?.blockdevices;
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((d: unknown) =>
    d && typeof d === 'object' ? (normalise(d as Raw) ?? []) : [],
  );
}

/** A device with the chain of devices it sits on, nearest first, ending at the disk. */
export interface BlockDeviceMatch {
  device: BlockDevice;
  /** Parents from nearest to the top-level disk (empty when the device is itself a disk). */
  ancestors: BlockDevice[];
}

function search(
  devices: BlockDevice[],
  test: (d: BlockDevice) => boolean,
  trail: BlockDevice[],
): BlockDeviceMatch | undefined {
  for (const d of devices) {
    if (test(d)) return {device: d, ancestors: [...trail].reverse()};
    const inner = search(d.children, test, [...trail, d]);
    if (inner) return inner;
  }
  return undefined;
}

/** The device mounted at `mountPoint`, or else the one whose path is `source` (`/dev/sdb1`). */
export function findBlockDevice(
  devices: BlockDevice[],
  mountPoint: string,
  source?: string,
): BlockDeviceMatch | undefined {
  return (
    search(devices, (d) => d.mountpoints.includes(mountPoint), []) ??
    (source ? search(devices, (d) => d.path === source, []) : undefined)
  );
}

/** What lsblk tells about the hardware under a mounted device. */
export interface LsblkFacts {
  label: string | null;
  /** The top-level disk: the physical device a partition or encrypted volume lives on. */
  disk: string;
  removable: boolean | null;
  hotplug: boolean | null;
  transport: string | null;
  /** The top-level device's type: `disk`, `loop` (a file posing as a disk), `rom`… */
  diskType: string | null;
}

export function factsFromMatch(match: BlockDeviceMatch): LsblkFacts {
  const chain = [match.device, ...match.ancestors];
  const top = chain[chain.length - 1] ?? match.device;
  const anyTrue = (pick: (d: BlockDevice) => boolean | null): boolean | null => {
    const values = chain.map(pick).filter((v): v is boolean => v !== null);
    return values.length === 0 ? null : values.some(Boolean);
  };
  return {
    label: match.device.label,
    disk: top.path,
    removable: anyTrue((d) => d.removable),
    hotplug: anyTrue((d) => d.hotplug),
    transport: chain.map((d) => d.transport).find((t) => t !== null) ?? null,
    diskType: top.type,
  };
}

const COLUMN_SETS = [
  'NAME,PATH,RM,TRAN,LABEL,MOUNTPOINTS,TYPE,HOTPLUG',
  // util-linux before 2.37 has no MOUNTPOINTS, before 2.33 no PATH.
  'NAME,PATH,RM,TRAN,LABEL,MOUNTPOINT,TYPE,HOTPLUG',
  'NAME,RM,TRAN,LABEL,MOUNTPOINT,TYPE,HOTPLUG',
];

/** Runs lsblk, trying older column sets when a column is unknown; undefined when unavailable. */
export async function runLsblk(timeoutMs = TOOL_TIMEOUT_MS): Promise<BlockDevice[] | undefined> {
  for (const columns of COLUMN_SETS) {
    const outcome = await runTool('lsblk', ['-J', '-o', columns], timeoutMs);
    if (outcome.ok) return parseLsblk(outcome.stdout);
    // Only an unknown column is worth another try; a missing or hung lsblk stays so.
    if (outcome.reason !== 'failed' || !/unknown column/i.test(outcome.detail)) return undefined;
  }
  return undefined;
}
