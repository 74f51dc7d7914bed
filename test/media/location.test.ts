import {mkdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {describeLocation, isOnFixedDisk} from '../../source/media/location.js';
import {parseDiskutilInfo} from '../../source/media/diskutil.js';
import {parseLsblk} from '../../source/media/lsblk.js';
import type {MediaProbes} from '../../source/media/discover.js';
import {fixturesDir} from '../helpers/paths.js';
import {mediaDir} from './sticks.js';

const fixture = (...parts: string[]): string =>
  readFileSync(join(fixturesDir, 'media', ...parts), 'utf8');

const ubuntu: Partial<MediaProbes> = {
  readMountinfo: () => fixture('linux', 'ubuntu-2204.mountinfo'),
  lsblk: () => Promise.resolve(parseLsblk(fixture('linux', 'ubuntu-2204-lsblk-2.37.json'))),
  sysBlock: () => undefined,
};

describe('isOnFixedDisk (captured Ubuntu machine)', () => {
  const opts = {platform: 'linux' as const, probes: ubuntu};

  it('a path on the USB stick, even one not made yet, is not on a fixed disk', async () => {
    expect(await isOnFixedDisk('/media/alice/KEY-ALICE/keys/new.key', opts)).toBe(false);
    const where = await describeLocation('/media/alice/KEY-ALICE/keys/new.key', opts);
    expect(where).toMatchObject({kind: 'removable', mountPoint: '/media/alice/KEY-ALICE'});
  });

  it('the home directory on the NVMe root disk is a fixed disk', async () => {
    expect(await isOnFixedDisk('/home/alice/wrapping.key', opts)).toBe(true);
    const where = await describeLocation('/home/alice/wrapping.key', opts);
    expect(where.evidence).toMatch(/nvme0n1: fixed disk/);
  });

  it('a SATA disk mounted under /mnt is a fixed disk, a tmpfs is not a disk (undefined)', async () => {
    expect(await isOnFixedDisk('/mnt/backup/k.key', opts)).toBe(true);
    expect(await isOnFixedDisk('/mnt/scratch/k.key', opts)).toBeUndefined();
    expect((await describeLocation('/mnt/scratch/k.key', opts)).kind).toBe('not-a-disk');
  });

  it('unknown when neither lsblk nor /sys can tell', async () => {
    const blind = {
      platform: 'linux' as const,
      probes: {...ubuntu, lsblk: () => Promise.resolve(undefined)},
    };
    expect(await isOnFixedDisk('/home/alice/k.key', blind)).toBeUndefined();
  });
});

describe('isOnFixedDisk on macOS (captured diskutil output)', () => {
  const opts = {
    platform: 'darwin' as const,
    probes: {
      diskutil: (mountPoint: string) =>
        Promise.resolve(
          parseDiskutilInfo(
            fixture(
              'macos',
              mountPoint === '/Volumes/KEY-ALICE'
                ? 'diskutil-usb-stick.plist'
                : 'diskutil-internal-apfs.plist',
            ),
          ),
        ),
    },
  };

  it('/Volumes/KEY-ALICE is a stick, the home folder is on the internal disk', async () => {
    expect(await isOnFixedDisk('/Volumes/KEY-ALICE/alice.key', opts)).toBe(false);
    expect(await isOnFixedDisk('/Users/alice/alice.key', opts)).toBe(true);
  });
});

describe('isOnFixedDisk for --media folders and on this machine', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true});
  });

  it('a folder under --media DIR counts as a stick; DIR itself does not', async () => {
    const dir = mediaDir();
    dirs.push(dir);
    mkdirSync(join(dir, 'alice'));
    const opts = {mediaDirs: [dir], platform: 'linux' as const, probes: ubuntu};
    expect(await isOnFixedDisk(join(dir, 'alice', 'new', 'alice.key'), opts)).toBe(false);
    const where = await describeLocation(join(dir, 'alice', 'alice.key'), opts);
    expect(where).toMatchObject({kind: 'folder-stick'});
    expect(where.mountPoint?.endsWith('/alice')).toBe(true);
    expect((await describeLocation(join(dir, 'loose.key'), opts)).kind).not.toBe('folder-stick');
  });

  it.skipIf(process.platform !== 'linux')('answers for a real path without throwing', async () => {
    const where = await describeLocation(join(tmpdir(), 'nothing-here', 'x.key'));
    expect(where.mountPoint).not.toBeNull();
    expect(['removable', 'fixed', 'not-a-disk', 'unknown']).toContain(where.kind);
    console.log(`${tmpdir()} is on ${where.mountPoint}: ${where.kind} (${where.evidence})`);
  });
});
