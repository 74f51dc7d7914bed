import {mkdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {sysBlockFacts} from '../../source/media/sysfs.js';
import {mountContaining, parseMountinfo, readMountinfoText} from '../../source/media/mountinfo.js';
import {tempDir} from '../helpers/temp.js';
import {skipBecause} from '../helpers/skips.js';

/** A miniature /sys laid out as the kernel does for a USB stick, a LUKS volume and an NVMe disk. */
const sys = tempDir('sys');
afterAll(() => rmSync(sys, {recursive: true, force: true}));

function device(path: string, attrs: Record<string, string>): string {
  const dir = join(sys, 'devices', path);
  mkdirSync(dir, {recursive: true});
  for (const [name, value] of Object.entries(attrs)) writeFileSync(join(dir, name), `${value}\n`);
  return dir;
}

function link(majorMinor: string, target: string): void {
  mkdirSync(join(sys, 'dev', 'block'), {recursive: true});
  symlinkSync(target, join(sys, 'dev', 'block', majorMinor));
}

const usbDisk = 'pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb';
device(usbDisk, {removable: '1'});
const sdb1 = device(`${usbDisk}/sdb1`, {partition: '1'});
link('8:17', sdb1);

const usbSsd = 'pci0000:00/0000:00:14.0/usb2/2-2/2-2:1.0/host7/target7:0:0/7:0:0:0/block/sdc';
device(usbSsd, {removable: '0'});
const sdc1 = device(`${usbSsd}/sdc1`, {partition: '1'});
const dm0 = device('virtual/block/dm-0', {});
mkdirSync(join(dm0, 'slaves'));
symlinkSync(sdc1, join(dm0, 'slaves', 'sdc1'));
link('253:0', dm0);

const nvme = device('pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/nvme0n1', {removable: '0'});
link(
  '259:2',
  device('pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/nvme0n1/nvme0n1p2', {partition: '2'}),
);

describe('sysBlockFacts', () => {
  it('a USB stick partition: its disk, removable, on USB', () => {
    expect(sysBlockFacts('8:17', sys)).toEqual({disk: '/dev/sdb', removable: true, usb: true});
  });

  it('a LUKS volume: followed through slaves/ to the USB disk under it', () => {
    expect(sysBlockFacts('253:0', sys)).toEqual({disk: '/dev/sdc', removable: false, usb: true});
  });

  it('an NVMe partition: fixed, not USB', () => {
    expect(nvme).toBeTruthy();
    expect(sysBlockFacts('259:2', sys)).toEqual({
      disk: '/dev/nvme0n1',
      removable: false,
      usb: false,
    });
  });

  it('a filesystem with no block device (tmpfs 0:45) has no facts', () => {
    expect(sysBlockFacts('0:45', sys)).toBeUndefined();
  });

  it('reads the real /sys for the disk under / (where / is on a block device)', (ctx) => {
    const root = mountContaining(parseMountinfo(readMountinfoText() ?? ''), '/');
    if (!root || root.major === 0) {
      skipBecause(ctx, '/ is not on a block device here');
      return;
    }
    const facts = sysBlockFacts(root.majorMinor);
    expect(facts?.disk).toMatch(/^\/dev\//);
    expect(typeof facts?.removable).toBe('boolean');
    console.log(`/ is on ${root.source} (${root.majorMinor}): ${JSON.stringify(facts)}`);
  });
});
