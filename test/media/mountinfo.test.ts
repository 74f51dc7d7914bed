import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {
  isStrictlyUnder,
  mountContaining,
  parseMountinfo,
  unescapeMountField,
} from '../../source/media/mountinfo.js';
import {defaultMountRoots, mountCandidates} from '../../source/media/discover.js';
import {fixturesDir} from '../helpers/paths.js';

const text = (name: string): string =>
  readFileSync(join(fixturesDir, 'media', 'linux', name), 'utf8');

const points = (name: string, roots = defaultMountRoots('linux'), explicit = false): string[] =>
  mountCandidates(parseMountinfo(text(name)), roots, explicit).map((c) => c.path);

describe('parseMountinfo', () => {
  it('reads every field of a Debian/Ubuntu table, vfat USB stick under /media/<user>', () => {
    const entries = parseMountinfo(text('ubuntu-2204.mountinfo'));
    expect(entries).toHaveLength(14);
    const stick = entries.find((e) => e.mountPoint === '/media/alice/KEY-ALICE');
    expect(stick).toMatchObject({
      mountId: 688,
      parentId: 28,
      majorMinor: '8:17',
      major: 8,
      minor: 17,
      root: '/',
      fsType: 'vfat',
      source: '/dev/sdb1',
      optionalFields: ['shared:420'],
    });
    expect(stick?.superOptions).toContain('shortname=mixed');
  });

  it('turns \\040 and \\134 escapes back into a space and a backslash (exfat stick)', () => {
    const entries = parseMountinfo(text('ubuntu-2204.mountinfo'));
    const exfat = entries.find((e) => e.fsType === 'exfat');
    expect(exfat?.mountPoint).toBe('/media/alice/My Keys\\Old');
    expect(exfat?.source).toBe('/dev/sdc1');
  });

  it('keeps doubled spaces (Ubuntu 20.04 label "ERIN  2")', () => {
    const entries = parseMountinfo(text('ubuntu-2004.mountinfo'));
    expect(entries.map((e) => e.mountPoint)).toContain('/media/dave/ERIN  2');
  });

  it('reads Fedora /run/media/<user> mounts: two optional fields, none, btrfs subvolume roots', () => {
    const entries = parseMountinfo(text('fedora-39.mountinfo'));
    const bob = entries.find((e) => e.mountPoint === '/run/media/bob/BOB KEY');
    expect(bob?.optionalFields).toEqual(['shared:612', 'master:1']);
    expect(bob?.fsType).toBe('exfat');
    const carol = entries.find((e) => e.mountPoint === '/run/media/bob/CAROL');
    expect(carol).toMatchObject({optionalFields: [], fsType: 'fuseblk', source: '/dev/sdd1'});
    const root = entries.find((e) => e.mountPoint === '/');
    expect(root).toMatchObject({root: '/root', fsType: 'btrfs', majorMinor: '0:34'});
  });

  it('reads the tables captured on the build machine (tmpfs, ext4 on loop under /run/media)', () => {
    expect(parseMountinfo(text('this-vm.mountinfo')).length).toBeGreaterThan(10);
    const loop = parseMountinfo(text('this-vm-loop-ext4.mountinfo')).find(
      (e) => e.source === '/dev/loop0',
    );
    expect(loop?.mountPoint).toBe('/run/media/bob/BOB KEY');
    expect(loop?.optionalFields).toEqual([]);
  });

  it('skips malformed lines instead of failing the whole table', () => {
    const entries = parseMountinfo(
      [
        'garbage',
        '36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1',
        '36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue',
        '',
      ].join('\n'),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]?.source).toBe('/dev/root');
  });

  it('unescapes tab and newline too', () => {
    expect(unescapeMountField('a\\011b\\012c')).toBe('a\tb\nc');
  });
});

describe('which mounts are sticks', () => {
  it('Debian/Ubuntu: real devices under /media and /mnt, not a tmpfs on /mnt, not /boot/efi', () => {
    expect(points('ubuntu-2204.mountinfo')).toEqual([
      '/mnt/backup',
      '/media/alice/KEY-ALICE',
      '/media/alice/My Keys\\Old',
    ]);
  });

  it('Fedora: /run/media/<user> sticks, including LUKS and FUSE (ntfs-3g) mounts', () => {
    expect(points('fedora-39.mountinfo').sort()).toEqual([
      '/run/media/bob/BOB KEY',
      '/run/media/bob/CAROL',
      '/run/media/bob/vault',
    ]);
  });

  it('a root named with --mount-root takes whatever is mounted under it, tmpfs too', () => {
    expect(points('ubuntu-2204.mountinfo', ['/mnt'], true)).toEqual([
      '/mnt/backup',
      '/mnt/scratch',
    ]);
    // …but never the mount root itself, nor pseudo filesystems.
    expect(points('ubuntu-2204.mountinfo', ['/run'], true)).toEqual([
      '/run/lock',
      '/run/user/1000',
    ]);
    expect(points('this-vm.mountinfo', ['/sys/fs/cgroup'], true)).toEqual([]);
  });

  it('a stick re-mounted gets a new identity (the mount ID changes)', () => {
    const a = mountCandidates(parseMountinfo(text('ubuntu-1804.mountinfo')), ['/media'], false);
    const remounted = text('ubuntu-1804.mountinfo').replace(/^430 /m, '431 ');
    const b = mountCandidates(parseMountinfo(remounted), ['/media'], false);
    expect(a[0]?.path).toBe(b[0]?.path);
    expect(a[0]?.id).not.toBe(b[0]?.id);
  });
});

describe('mountContaining', () => {
  const entries = parseMountinfo(text('ubuntu-2204.mountinfo'));
  it('finds the deepest mount holding a path', () => {
    expect(mountContaining(entries, '/media/alice/KEY-ALICE/keys/a.key')?.source).toBe('/dev/sdb1');
    expect(mountContaining(entries, '/home/alice/a.key')?.source).toBe('/dev/nvme0n1p2');
    expect(mountContaining(entries, '/media/alice/KEY-ALICE2')?.source).toBe('/dev/nvme0n1p2');
  });
  it('path arithmetic is by components, not prefixes', () => {
    expect(isStrictlyUnder('/media/a', '/media')).toBe(true);
    expect(isStrictlyUnder('/media', '/media')).toBe(false);
    expect(isStrictlyUnder('/mediax/a', '/media')).toBe(false);
  });
});
