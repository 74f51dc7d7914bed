import {spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it, type TestContext} from 'vitest';
import {describeLocation, isOnFixedDisk, type LocationKind} from '../../source/media/location.js';
import {parseDiskutilInfo} from '../../source/media/diskutil.js';
import {parseLsblk} from '../../source/media/lsblk.js';
import type {MediaProbes} from '../../source/media/discover.js';
import {fixturesDir} from '../helpers/paths.js';
import {skipBecause} from '../helpers/skips.js';
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
});

/** What util-linux says holds `path`: its mount (findmnt) and, for a block device, lsblk's RM. */
function whatHolds(path: string): {target: string; kind: LocationKind} | undefined {
  const mount = spawnSync('findmnt', ['-n', '-o', 'SOURCE,TARGET', '-T', path], {
    encoding: 'utf8',
  });
  const first = mount.status === 0 ? mount.stdout.split('\n')[0]?.trim() : undefined;
  if (!first) return undefined;
  const [source = '', target = ''] = first.split(/\s+/);
  if (!source.startsWith('/dev/')) return {target, kind: 'not-a-disk'};
  // -s walks from the device down to its disk (a partition, LUKS or LVM on top of it).
  const rm = spawnSync('lsblk', ['-n', '-o', 'RM', '-s', source], {encoding: 'utf8'});
  const disk = rm.status === 0 ? rm.stdout.trim().split('\n').pop()?.trim() : undefined;
  if (disk !== '0' && disk !== '1') return undefined;
  return {target, kind: disk === '1' ? 'removable' : 'fixed'};
}

describe('describeLocation on this machine, against what findmnt and lsblk say', () => {
  const check = async (ctx: TestContext, dir: string): Promise<void> => {
    if (process.platform !== 'linux') skipBecause(ctx, "reads a Linux machine's mount table");
    const expected = whatHolds(dir);
    if (!expected) skipBecause(ctx, `findmnt and lsblk (util-linux) cannot say what holds ${dir}`);
    const where = await describeLocation(join(dir, 'not-made-yet', 'x.key'));
    expect({mountPoint: where.mountPoint, kind: where.kind}, where.evidence).toEqual({
      mountPoint: expected.target,
      kind: expected.kind,
    });
  };

  it('the temp dir: its mount, and whether it is a disk, removable or fixed', (ctx) =>
    check(ctx, tmpdir()));

  it('/dev/shm, a tmpfs: not a disk', async (ctx) => {
    const fs = spawnSync('findmnt', ['-n', '-o', 'FSTYPE', '-T', '/dev/shm'], {encoding: 'utf8'});
    if (fs.stdout?.split('\n')[0]?.trim() !== 'tmpfs')
      skipBecause(ctx, '/dev/shm is not a tmpfs here');
    await check(ctx, '/dev/shm');
  });
});
