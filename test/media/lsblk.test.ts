import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {factsFromMatch, findBlockDevice, parseLsblk} from '../../source/media/lsblk.js';
import {linuxHardware} from '../../source/media/discover.js';
import {fixturesDir} from '../helpers/paths.js';

const devices = (name: string) => {
  const parsed = parseLsblk(readFileSync(join(fixturesDir, 'media', 'linux', name), 'utf8'));
  if (!parsed) throw new Error(`${name} did not parse`);
  return parsed;
};

const factsAt = (name: string, mountPoint: string, source?: string) => {
  const match = findBlockDevice(devices(name), mountPoint, source);
  return match ? factsFromMatch(match) : undefined;
};

describe('parseLsblk', () => {
  it('newer util-linux: mountpoints arrays ([null] when unmounted) and JSON booleans', () => {
    const list = devices('ubuntu-2204-lsblk-2.37.json');
    const sdb = list.find((d) => d.name === 'sdb');
    expect(sdb).toMatchObject({removable: true, hotplug: true, transport: 'usb', mountpoints: []});
    expect(sdb?.children[0]).toMatchObject({
      path: '/dev/sdb1',
      label: 'KEY-ALICE',
      mountpoints: ['/media/alice/KEY-ALICE'],
      type: 'part',
    });
  });

  it('util-linux 2.34: a single mountpoint string', () => {
    const sdc1 = devices('ubuntu-2004-lsblk-2.34.json').find((d) => d.name === 'sdc')?.children[0];
    expect(sdc1?.mountpoints).toEqual(['/media/dave/DAVE']);
  });

  it('util-linux 2.31: "1"/"0" strings and no PATH column', () => {
    const sdb = devices('ubuntu-1804-lsblk-2.31.json').find((d) => d.name === 'sdb');
    expect(sdb).toMatchObject({removable: true, hotplug: true, path: '/dev/sdb'});
    expect(sdb?.children[0]).toMatchObject({path: '/dev/sdb1', removable: true, label: 'FRANK'});
    const sda = devices('ubuntu-1804-lsblk-2.31.json').find((d) => d.name === 'sda');
    expect(sda).toMatchObject({removable: false, hotplug: false});
  });

  it('the two shapes captured from one machine say the same', () => {
    const a = devices('this-vm-lsblk-2.38.json');
    const b = devices('this-vm-lsblk-2.38-mountpoint.json');
    expect(a).toEqual(b);
    expect(a.find((d) => d.name === 'vda')?.mountpoints).toEqual(['/']);
  });

  it('is undefined for anything that is not lsblk JSON', () => {
    expect(parseLsblk('lsblk: unknown column: MOUNTPOINTS')).toBeUndefined();
    expect(parseLsblk('{"other": []}')).toBeUndefined();
    expect(parseLsblk('null')).toBeUndefined();
  });
});

describe('from a mount to its disk', () => {
  it('a partition leads to its disk: /dev/sdb1 → /dev/sdb, removable USB', () => {
    expect(factsAt('ubuntu-2204-lsblk-2.37.json', '/media/alice/KEY-ALICE')).toEqual({
      label: 'KEY-ALICE',
      disk: '/dev/sdb',
      removable: true,
      hotplug: true,
      transport: 'usb',
      diskType: 'disk',
    });
  });

  it('a LUKS volume leads through its partition to the USB disk', () => {
    expect(factsAt('fedora-39-lsblk-2.39.json', '/run/media/bob/vault')).toMatchObject({
      label: 'vault',
      disk: '/dev/sdc',
      removable: true,
      transport: 'usb',
    });
  });

  it('a filesystem on the whole disk (no partition table) is its own disk', () => {
    expect(factsAt('ubuntu-2004-lsblk-2.34.json', '/media/dave/ERIN  2')).toMatchObject({
      disk: '/dev/sdd',
      label: 'ERIN  2',
    });
  });

  it('falls back to the mount source when the mount point is not listed', () => {
    expect(factsAt('ubuntu-1804-lsblk-2.31.json', '/elsewhere', '/dev/sdb1')?.disk).toBe(
      '/dev/sdb',
    );
    expect(factsAt('ubuntu-1804-lsblk-2.31.json', '/elsewhere', '/dev/nope')).toBeUndefined();
  });

  it('the internal disks are fixed', () => {
    const nvme = factsAt('fedora-39-lsblk-2.39.json', '/home');
    expect(nvme).toMatchObject({disk: '/dev/nvme0n1', removable: false, transport: 'nvme'});
    expect(linuxHardware(nvme, undefined).removable).toBe(false);
    const sata = factsAt('ubuntu-2204-lsblk-2.37.json', '/mnt/backup');
    expect(linuxHardware(sata, undefined)).toMatchObject({removable: false, disk: '/dev/sda'});
  });
});

describe('linuxHardware', () => {
  const base = {label: null, disk: '/dev/sdx', removable: false, hotplug: false, transport: null};
  const facts = (over: object) => ({...base, diskType: 'disk', ...over});

  it('a USB SSD without the removable-media flag is still removable (USB, hot-pluggable)', () => {
    const hw = linuxHardware(facts({transport: 'usb', hotplug: true}), undefined);
    expect(hw.removable).toBe(true);
    expect(hw.evidence).toMatch(/removable \(transport usb, not removable media, hot-pluggable\)/);
  });

  it('a SATA disk on a hot-plug-capable port is a fixed disk', () => {
    expect(linuxHardware(facts({transport: 'sata', hotplug: true}), undefined).removable).toBe(
      false,
    );
  });

  it('/sys alone decides when lsblk is missing', () => {
    expect(linuxHardware(undefined, {disk: '/dev/sdb', removable: true, usb: true})).toMatchObject({
      removable: true,
      disk: '/dev/sdb',
      transport: 'usb',
    });
    expect(
      linuxHardware(undefined, {disk: '/dev/vda', removable: false, usb: false}).removable,
    ).toBe(false);
  });

  it('nothing known is null, not false', () => {
    const hw = linuxHardware(undefined, undefined);
    expect(hw.removable).toBeNull();
    expect(hw.evidence).toMatch(/said nothing/);
  });

  it('names a loop device', () => {
    expect(linuxHardware(facts({diskType: 'loop'}), undefined).evidence).toMatch(/loop device/);
  });
});
