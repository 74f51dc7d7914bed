import {chmodSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runLsblk} from '../../source/media/lsblk.js';
import {runTool} from '../../source/media/run-tool.js';
import {tempDir} from '../helpers/temp.js';

describe('runTool', () => {
  it('a missing tool, a failing tool and a working one are outcomes, not exceptions', async () => {
    expect(await runTool('sd-drill-no-such-tool', [])).toMatchObject({
      ok: false,
      reason: 'missing',
    });
    expect(await runTool('ls', ['/nonexistent-dir-for-test'])).toMatchObject({
      ok: false,
      reason: 'failed',
    });
    expect(await runTool('echo', ['hi'])).toEqual({ok: true, stdout: 'hi\n'});
  });

  it('kills a tool that hangs and says so: the process is gone when runTool answers', async () => {
    // A tool that never ends by itself: had runTool waited for it, the test would outlast its
    // own timeout and fail. 'timeout' means it was killed (SIGKILL) by runTool's timer.
    const pidFile = join(tempDir('hung-tool'), 'pid');
    const r = await runTool('sh', ['-c', `echo $$ > '${pidFile}'; exec sleep 600`], 200);
    expect(r).toMatchObject({ok: false, reason: 'timeout'});
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({code: 'ESRCH'}));
  });
});

describe('runLsblk against fake lsblk programs', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  function fakeLsblk(script: string): void {
    const dir = tempDir('fake-lsblk');
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
