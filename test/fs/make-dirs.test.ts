import {existsSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeDirs} from '../../source/fs/make-dirs.js';
import {cleanErrorProblems, runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';
import {skipBecause} from '../helpers/skips.js';

describe('makeDirs (mkdir -p one level at a time)', () => {
  it('makes every missing level with the mode asked for, and accepts what exists', () => {
    const deep = join(tempDir('make-dirs'), 'a', 'b', 'c');
    makeDirs(deep, 0o700);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(statSync(deep).mode & 0o777).toBe(0o700);
    expect(() => makeDirs(deep)).not.toThrow();
  });

  it('refuses a file where a folder should be', () => {
    const file = join(tempDir('make-dirs'), 'f');
    writeFileSync(file, 'x');
    expect(() => makeDirs(file)).toThrow(/ENOTDIR/);
    expect(() => makeDirs(join(file, 'below'))).toThrow(/ENOTDIR/);
  });

  it('answers at once under /proc, where Node’s recursive mkdirSync never returns', (ctx) => {
    if (!existsSync('/proc/self')) skipBecause(ctx, 'no /proc on this system (not Linux)');
    expect(() => makeDirs('/proc/sd-drill-no/such')).toThrow(/ENOENT/);
    const r = runCli(['history'], {env: {SD_DRILL_CONFIG_DIR: '/proc/sd-drill-no/such'}});
    expect(r.code).toBe(2);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/cannot create the sd-drill store folder \(ENOENT\)/);
  });
});
