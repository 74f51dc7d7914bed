/**
 * Nothing left behind: the folders the suite's helpers make are gone when their test is, pass
 * or fail, mounts and all. Counted in a private temp dir (TMPDIR pointed at it for this file),
 * so other test runs on the machine cannot change the count.
 */
import {existsSync, readdirSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tmp as hardeningTmp} from '../hardening/kit.js';
import {mediaDir} from '../media/sticks.js';
import {mountStickImage} from './mounts.js';
import {skipBecause} from './skips.js';
import {tempDir} from './temp.js';

const entries = (dir: string): string[] =>
  readdirSync(dir).filter((n) => n.startsWith('sd-drill-'));

describe('temporary folders from the suite’s helpers', () => {
  let root = '';
  const saved = process.env.TMPDIR;
  let made: string[] = [];
  beforeAll(() => {
    root = tempDir('temp-check');
    process.env.TMPDIR = root;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  });

  it('are made in the temp dir, named sd-drill-*', () => {
    expect(entries(root)).toEqual([]);
    made = [tempDir('a'), hardeningTmp('b'), mediaDir()];
    expect(entries(root).sort()).toEqual(made.map((d) => d.slice(root.length + 1)).sort());
  });

  it.fails('are removed when their test fails, too (this one fails on purpose)', () => {
    made.push(tempDir('failing'));
    throw new Error('failing on purpose');
  });

  it('are gone once their tests are over: the count of sd-drill-* entries is back to 0', () => {
    expect(made).toHaveLength(4);
    expect(made.filter((d) => existsSync(d))).toEqual([]);
    expect(entries(root)).toEqual([]);
  });

  let mountedAt = '';
  it('a FAT32 stick image mounted for a test…', (ctx) => {
    mountedAt = mountStickImage(ctx, 'fat32').dir;
    expect(readdirSync(mountedAt)).toEqual([]);
  });

  it('…is unmounted and removed with its image when the test ends', (ctx) => {
    if (mountedAt === '')
      skipBecause(ctx, 'the FAT32 image could not be mounted here (the test before says why)');
    expect(existsSync(mountedAt)).toBe(false);
    expect(entries(root)).toEqual([]);
  });
});
