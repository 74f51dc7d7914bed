/**
 * The run's safety net for temporary folders (global-setup.ts): whatever tempDir made and is
 * still there when the run ends — a worker that crashed, a file whose failing afterAll made
 * vitest skip the rest — is unmounted, its loop devices detached, and removed.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {isSameOrUnder, parseMountinfo, readMountinfoText} from '../../source/media/mountinfo.js';
import {unmount} from './mounts.js';
import {removeTree} from './temp.js';

function loopDevicesUnder(dir: string): string[] {
  const r = spawnSync('losetup', ['-a'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']});
  if (r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => /^(\/dev\/loop\d+): .*\((.*)\)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && isSameOrUnder(m[2] ?? '', dir))
    .map((m) => m[1] ?? '');
}

/** Sweeps the folders listed in `ledger`; returns those it had to remove. */
export function sweepLedger(ledger: string): string[] {
  if (!existsSync(ledger)) return [];
  const left = readFileSync(ledger, 'utf8')
    .split('\n')
    .filter((d) => d !== '' && existsSync(d));
  for (const dir of left) {
    const mounts = parseMountinfo(readMountinfoText() ?? '')
      .map((m) => m.mountPoint)
      .filter((p) => isSameOrUnder(p, dir))
      .sort((a, b) => b.length - a.length);
    for (const point of mounts) unmount(point);
    for (const loop of loopDevicesUnder(dir)) spawnSync('losetup', ['-d', loop]);
    removeTree(dir);
  }
  return left;
}
