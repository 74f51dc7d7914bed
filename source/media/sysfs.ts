/**
 * The kernel's own view of a block device, read from /sys without running anything:
 * /sys/dev/block/MAJ:MIN links to the device's directory, whose path names the bus it hangs
 * on (…/usb2/2-1/… for USB); a partition's directory sits inside its disk's, and a
 * device-mapper volume (LUKS, LVM) lists what it is built on in `slaves/`.
 */
import {existsSync, readdirSync, realpathSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {readSmallFileSync} from '../fs/read-file.js';

export interface SysBlockFacts {
  /** `/dev/sdb` — the whole disk under the mounted device. */
  disk: string;
  /** The disk's `removable` attribute (set by the driver for removable media). */
  removable: boolean | null;
  /** True when the disk is attached through USB. */
  usb: boolean;
}

function readAttr(dir: string, name: string): string | undefined {
  const bytes = readSmallFileSync(join(dir, name), 4096, 'sysfs attribute');
  return bytes.ok ? bytes.value.toString('utf8').trim() : undefined;
}

function resolveDiskDir(deviceDir: string, depth: number): string | undefined {
  if (depth > 8) return undefined;
  // A device-mapper volume: follow what it is built on (the first underlying device).
  const slavesDir = join(deviceDir, 'slaves');
  if (existsSync(slavesDir)) {
    let slaves: string[] = [];
    try {
      slaves = readdirSync(slavesDir);
    } catch {
      slaves = [];
    }
    const first = slaves[0];
    if (first !== undefined) {
      try {
        return resolveDiskDir(realpathSync(join(slavesDir, first)), depth + 1);
      } catch {
        return undefined;
      }
    }
  }
  return existsSync(join(deviceDir, 'partition')) ? dirname(deviceDir) : deviceDir;
}

/** What /sys says about the device `major:minor`; undefined for non-block filesystems. */
export function sysBlockFacts(majorMinor: string, sysRoot = '/sys'): SysBlockFacts | undefined {
  let deviceDir: string;
  try {
    deviceDir = realpathSync(join(sysRoot, 'dev', 'block', majorMinor));
  } catch {
    return undefined;
  }
  const diskDir = resolveDiskDir(deviceDir, 0);
  if (!diskDir) return undefined;
  const removable = readAttr(diskDir, 'removable');
  return {
    disk: `/dev/${basename(diskDir)}`,
    removable: removable === '1' ? true : removable === '0' ? false : null,
    usb: /\/usb\d*\//.test(diskDir),
  };
}
