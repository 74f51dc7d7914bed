import {existsSync, statSync} from 'node:fs';
import {describe, expect, it, type TestContext} from 'vitest';
import {readSmallFileSync} from '../../source/fs/read-file.js';
import {readMountinfoText} from '../../source/media/mountinfo.js';
import {skipBecause} from '../helpers/skips.js';

const STATUS = '/proc/self/status';
const needProc = (ctx: TestContext): void => {
  if (!existsSync(STATUS)) skipBecause(ctx, 'no /proc on this system (not Linux)');
};

describe('readSmallFileSync, the one bounded reader, on files whose size says nothing', () => {
  it('reads a /proc file whole, though stat says it holds 0 bytes', (ctx) => {
    needProc(ctx);
    expect(statSync(STATUS).size).toBe(0);
    const r = readSmallFileSync(STATUS, 64 * 1024, 'status file');
    const text = r.ok ? r.value.toString('utf8') : r.error.message;
    expect(text).toMatch(/^Name:\t/);
    expect(text).toContain(`\nPid:\t${process.pid}\n`);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('gives the whole mount table, the root mount in it and its last line complete', (ctx) => {
    needProc(ctx);
    const text = readMountinfoText() ?? '';
    expect(text.split('\n').some((l) => / \/ \/ /.test(l))).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('stops at the limit even where the size said less', (ctx) => {
    needProc(ctx);
    const r = readSmallFileSync(STATUS, 16, 'status file');
    expect(r.ok || r.error.message).toBe(`${STATUS}: too large for a status file`);
  });
});
