/**
 * Real file systems for tests: a tmpfs (as a stick arriving and leaving), and FAT32 and exFAT
 * images mounted in user space — what holders' USB sticks really are. Each mount is undone and
 * its image removed when the test ends, pass or fail (tempDir's removal, beforeRemoval).
 *
 * A test skips, saying why, only where this machine cannot: not Linux, the tools missing
 * (dosfstools + fusefat, exfatprogs + exfat-fuse, fusermount, losetup), no /dev/fuse, or the
 * mount refused (a container without the privilege). Being root or not is not the question;
 * mounting is. Under CI, which installs the tools and must test real sticks, all but the first
 * fail instead (skips.ts). A tmpfs mount (root only) still just skips.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, realpathSync, truncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {TestContext} from 'vitest';
import {needsInstalled, skipBecause} from './skips.js';
import {beforeRemoval, tempDir} from './temp.js';
import {sleepSync} from './time.js';

function run(cmd: string, args: readonly string[]): {ok: boolean; out: string} {
  const r = spawnSync(cmd, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
  if (r.error) return {ok: false, out: `${cmd}: ${r.error.message}`};
  const out = `${r.stdout}${r.stderr}`.trim().split('\n').slice(-3).join(' ');
  return {ok: r.status === 0, out};
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], {stdio: 'ignore'}).status === 0;
}

function isMounted(point: string): boolean {
  return run('mountpoint', ['-q', point]).ok;
}

/** Unmounts (FUSE or not), lazily as a last resort so nothing stays busy. */
export function unmount(point: string): void {
  if (!isMounted(point)) return;
  for (const [cmd, args] of [
    ['fusermount', ['-u', point]],
    ['umount', [point]],
    ['umount', ['-l', point]],
  ] as const) {
    if (onPath(cmd) && run(cmd, args).ok && !isMounted(point)) return;
  }
  if (isMounted(point)) throw new Error(`${point}: could not be unmounted`);
}

/**
 * Mounts a tmpfs at `point` (unmounted when the test ends, if the test has not); skips the
 * test, saying why, where mounting is not allowed.
 */
export function mountTmpfs(
  ctx: TestContext,
  point: string,
  options: {source?: string; sizeMiB?: number} = {},
): void {
  if (process.platform !== 'linux') skipBecause(ctx, 'tmpfs mounts are a Linux test');
  const source = options.source ?? 'sd-drill-test';
  const size = `size=${options.sizeMiB ?? 4}m`;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', size, source, point], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) {
    const why = `${r.stderr ?? ''}${r.error?.message ?? ''}`.trim();
    if (/permission denied|not permitted|must be superuser|EPERM|only root|ENOENT/i.test(why))
      skipBecause(ctx, `mounting a tmpfs is not permitted here: ${why}`);
    throw new Error(`mount tmpfs at ${point}: ${why}`);
  }
  beforeRemoval(() => unmount(point));
}

/** What a FUSE mount says when this machine will not let it happen (as against a bug). */
const REFUSED =
  /permission denied|not permitted|fuse device not found|fuse: device not found|\/dev\/fuse|must be superuser|only root/i;

export type StickFs = 'fat32' | 'exfat';

export interface MountedStick {
  /** Where the file system is mounted. */
  dir: string;
  fs: StickFs;
}

const TOOLS: Record<StickFs, string[]> = {
  fat32: ['mkfs.vfat', 'fusefat', 'fusermount'],
  exfat: ['mkfs.exfat', 'mount.exfat-fuse', 'fusermount', 'losetup'],
};

/**
 * The smallest of each a test can fill quickly: FAT32 needs 65,525 clusters (34 MiB with
 * 512-byte clusters); exFAT has no such floor.
 */
export const STICK_MIB: Record<StickFs, number> = {fat32: 34, exfat: 16};

/**
 * A fresh FAT32 or exFAT file system (STICK_MIB), mounted in user space under a temporary folder
 * (the image beside it), unmounted and removed when the test ends.
 *
 * fusefat takes the image file itself (`fusefat -o rw+ IMAGE DIR`). exfat-fuse, run as root,
 * always asks FUSE for a block device (its built-in `blkdev` option: "fuse: mount failed:
 * Block device required" on a plain file), so the image is first attached to a loop device
 * (`losetup -f --show`), detached again when the test ends.
 */
export function mountStickImage(ctx: TestContext, fs: StickFs): MountedStick {
  if (process.platform !== 'linux') skipBecause(ctx, `${fs} FUSE mounts are a Linux test`);
  const missing = TOOLS[fs].filter((t) => !onPath(t));
  if (missing.length > 0)
    needsInstalled(
      ctx,
      `${missing.join(', ')} not installed`,
      'apt-get install fusefat exfat-fuse dosfstools exfatprogs fuse mount',
    );
  if (!existsSync('/dev/fuse'))
    needsInstalled(ctx, 'no /dev/fuse: FUSE is not available here', 'a machine with FUSE');
  const root = tempDir(`${fs}-stick`);
  const image = join(root, `${fs}.img`);
  const dir = join(root, 'mnt');
  mkdirSync(dir);
  writeFileSync(image, '');
  truncateSync(image, STICK_MIB[fs] * 1024 * 1024);
  // No volume label: fusefat would list it as an entry of the root folder.
  const made =
    fs === 'fat32' ? run('mkfs.vfat', ['-F', '32', '-s', '1', image]) : run('mkfs.exfat', [image]);
  if (!made.ok) throw new Error(`making the ${fs} image failed: ${made.out}`);
  let source = image;
  if (fs === 'exfat') {
    // Test files mounting at the same time can pick the same free device; the loser is told
    // it is busy and takes the next one.
    let loop = run('losetup', ['-f', '--show', image]);
    for (let i = 0; i < 5 && !loop.ok && /busy/i.test(loop.out); i++) {
      sleepSync(100 * (i + 1));
      loop = run('losetup', ['-f', '--show', image]);
    }
    if (!loop.ok)
      needsInstalled(
        ctx,
        `no loop device may be attached here (losetup: ${loop.out})`,
        'a machine that lets root attach loop devices',
      );
    source = loop.out.trim();
    beforeRemoval(() => {
      if (!run('losetup', ['-d', source]).ok) throw new Error(`${source}: could not be detached`);
    });
  }
  const mounted =
    fs === 'fat32'
      ? run('fusefat', ['-o', 'rw+', image, dir])
      : run('mount.exfat-fuse', [source, dir]);
  // Registered now: a half-made mount is undone too.
  beforeRemoval(() => unmount(dir));
  if (!mounted.ok || !isMounted(dir)) {
    if (REFUSED.test(mounted.out))
      needsInstalled(
        ctx,
        `mounting ${fs} was refused here: ${mounted.out}`,
        'a machine that allows FUSE mounts',
      );
    throw new Error(`mounting the ${fs} image failed: ${mounted.out}`);
  }
  return {dir: realpathSync(dir), fs};
}
