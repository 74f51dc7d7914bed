import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runLsblk} from '../../source/media/lsblk.js';
import {runTool} from '../../source/media/run-tool.js';

describe('runTool', () => {
  it('a missing tool, a hung tool and a failing tool are outcomes, not exceptions', async () => {
    expect(await runTool('sd-drill-no-such-tool', [])).toMatchObject({
      ok: false,
      reason: 'missing',
    });
    const started = Date.now();
    expect(await runTool('sleep', ['10'], 200)).toMatchObject({ok: false, reason: 'timeout'});
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await runTool('ls', ['/nonexistent-dir-for-test'])).toMatchObject({
      ok: false,
      reason: 'failed',
    });
    expect(await runTool('echo', ['hi'])).toEqual({ok: true, stdout: 'hi\n'});
  });
});

describe('runLsblk against fake lsblk programs', () => {
  const savedPath = process.env.PATH;
  const dirs: string[] = [];
  afterEach(() => {
    process.env.PATH = savedPath;
    for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true});
  });

  function fakeLsblk(script: string): void {
    const dir = mkdtempSync(join(tmpdir(), 'sd-drill-fake-lsblk-'));
    dirs.push(dir);
    const file = join(dir, 'lsblk');
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    process.env.PATH = `${dir}:${savedPath ?? ''}`;
  }

  it('falls back to MOUNTPOINT on an lsblk that does not know MOUNTPOINTS', async () => {
    fakeLsblk(
      [
        'case "$3" in',
        '  *MOUNTPOINTS*) echo "lsblk: unknown column: MOUNTPOINTS" >&2; exit 1;;',
        `  *) echo '{"blockdevices": [{"name": "sdb", "path": "/dev/sdb", "rm": true, "mountpoint": "/media/u/K", "type": "disk"}]}';;`,
        'esac',
      ].join('\n'),
    );
    const devices = await runLsblk();
    expect(devices?.[0]).toMatchObject({
      path: '/dev/sdb',
      removable: true,
      mountpoints: ['/media/u/K'],
    });
  });

  it('gives up quietly on an lsblk that hangs or prints garbage', async () => {
    fakeLsblk('sleep 10');
    expect(await runLsblk(200)).toBeUndefined();
    fakeLsblk('echo not json');
    expect(await runLsblk()).toBeUndefined();
  });
});
