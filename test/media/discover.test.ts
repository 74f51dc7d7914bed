import {mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {discoverSticks, makeDev, type MediaProbes} from '../../source/media/discover.js';
import {parseLsblk} from '../../source/media/lsblk.js';
import {fixturesDir} from '../helpers/paths.js';
import {mediaDir} from './sticks.js';

const linux = (name: string): string =>
  readFileSync(join(fixturesDir, 'media', 'linux', name), 'utf8');

/** Probes that answer from captured text: no lsblk, /sys or diskutil is run. */
function captured(mountinfo: string, lsblk?: string): Partial<MediaProbes> {
  return {
    readMountinfo: () => linux(mountinfo),
    lsblk: () => Promise.resolve(lsblk ? parseLsblk(linux(lsblk)) : undefined),
    sysBlock: () => undefined,
    diskutil: () => Promise.resolve(undefined),
  };
}

describe('discoverSticks on Linux (captured mount tables and lsblk)', () => {
  it('Ubuntu: the USB sticks are removable, the SATA disk mounted on /mnt is not', async () => {
    const sticks = await discoverSticks({
      platform: 'linux',
      probes: captured('ubuntu-2204.mountinfo', 'ubuntu-2204-lsblk-2.37.json'),
    });
    expect(
      sticks.map((s) => [s.path, s.label, s.device, s.deviceId, s.fsType, s.removable]),
    ).toEqual([
      ['/media/alice/KEY-ALICE', 'KEY-ALICE', '/dev/sdb1', '/dev/sdb', 'vfat', true],
      ['/media/alice/My Keys\\Old', 'My Keys\\Old', '/dev/sdc1', '/dev/sdc', 'exfat', true],
      ['/mnt/backup', 'backup', '/dev/sda1', '/dev/sda', 'ext4', false],
    ]);
    const alice = sticks[0];
    expect(alice).toMatchObject({source: 'mount', simulated: false, transport: 'usb'});
    expect(alice?.rootDev).toBe(makeDev(8, 17));
    expect(sticks[2]?.evidence).toMatch(/\/dev\/sda: fixed disk/);
  });

  it('Fedora: LUKS stick traced to its USB disk, FUSE mount matched by mount point', async () => {
    const sticks = await discoverSticks({
      platform: 'linux',
      probes: captured('fedora-39.mountinfo', 'fedora-39-lsblk-2.39.json'),
    });
    expect(sticks.map((s) => [s.label, s.deviceId, s.removable])).toEqual([
      ['BOB KEY', '/dev/sdb', true],
      ['CAROL', '/dev/sdd', true],
      ['vault', '/dev/sdc', true],
    ]);
  });

  it('older lsblk shapes: 2.34 `mountpoint` and 2.31 "1"/"0" strings', async () => {
    const u2004 = await discoverSticks({
      platform: 'linux',
      probes: captured('ubuntu-2004.mountinfo', 'ubuntu-2004-lsblk-2.34.json'),
    });
    expect(u2004.map((s) => [s.label, s.deviceId, s.removable])).toEqual([
      ['DAVE', '/dev/sdc', true],
      ['ERIN  2', '/dev/sdd', true],
    ]);
    const u1804 = await discoverSticks({
      platform: 'linux',
      probes: captured('ubuntu-1804.mountinfo', 'ubuntu-1804-lsblk-2.31.json'),
    });
    expect(u1804.map((s) => [s.label, s.deviceId, s.removable])).toEqual([
      ['FRANK', '/dev/sdb', true],
    ]);
  });

  it('without lsblk, /sys answers; without either, removable is unknown (null), not false', async () => {
    const viaSys = await discoverSticks({
      platform: 'linux',
      probes: {
        ...captured('ubuntu-1804.mountinfo'),
        sysBlock: (mm) =>
          mm === '8:17' ? {disk: '/dev/sdb', removable: true, usb: true} : undefined,
      },
    });
    expect(viaSys[0]).toMatchObject({label: 'FRANK', deviceId: '/dev/sdb', removable: true});
    const blind = await discoverSticks({
      platform: 'linux',
      probes: captured('ubuntu-1804.mountinfo'),
    });
    expect(blind[0]).toMatchObject({label: 'FRANK', deviceId: '/dev/sdb1', removable: null});
  });

  it('--mount-root replaces the defaults and takes a tmpfs, honestly not removable', async () => {
    const sticks = await discoverSticks({
      platform: 'linux',
      mountRoots: ['/mnt'],
      probes: captured('ubuntu-2204.mountinfo', 'ubuntu-2204-lsblk-2.37.json'),
    });
    expect(sticks.map((s) => s.path)).toEqual(['/mnt/backup', '/mnt/scratch']);
    expect(sticks[1]).toMatchObject({
      removable: false,
      deviceId: 'tmpfs@0:44',
      evidence: 'not a block device (tmpfs from tmpfs)',
    });
  });

  it('without a mount table and nothing under the roots, there are no sticks (no crash)', async () => {
    const sticks = await discoverSticks({
      platform: 'linux',
      mountRoots: ['/nonexistent-root'],
      probes: {readMountinfo: () => undefined},
    });
    expect(sticks).toEqual([]);
  });
});

describe('discoverSticks with --media folders', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true});
  });

  it('every subfolder is a simulated removable stick; files and hidden folders are not', async () => {
    const dir = mediaDir();
    dirs.push(dir);
    mkdirSync(join(dir, 'bob'));
    mkdirSync(join(dir, 'alice'));
    mkdirSync(join(dir, '.Trashes'));
    writeFileSync(join(dir, 'notes.txt'), 'x');
    symlinkSync(join(dir, 'alice'), join(dir, 'alias'));
    const sticks = await discoverSticks({mediaDirs: [dir]});
    expect(sticks.map((s) => s.label)).toEqual(['alias', 'alice', 'bob']);
    expect(sticks[1]).toMatchObject({
      path: join(dir, 'alice'),
      source: 'folder',
      removable: true,
      simulated: true,
      device: null,
      deviceId: `folder:${join(dir, 'alice')}`,
    });
  });

  it('--media alone does not look at mounted volumes', async () => {
    const dir = mediaDir();
    dirs.push(dir);
    let asked = false;
    const sticks = await discoverSticks({
      mediaDirs: [dir],
      platform: 'linux',
      probes: {
        readMountinfo: () => {
          asked = true;
          return linux('ubuntu-2204.mountinfo');
        },
      },
    });
    expect(sticks).toEqual([]);
    expect(asked).toBe(false);
  });

  it('a missing --media DIR gives no sticks rather than an exception', async () => {
    expect(await discoverSticks({mediaDirs: ['/nonexistent/media']})).toEqual([]);
  });
});
