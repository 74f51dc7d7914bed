import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it, type TestContext} from 'vitest';
import {discoverSticks} from '../../source/media/discover.js';
import {parseDiskutilInfo} from '../../source/media/diskutil.js';
import {scanStick} from '../../source/media/scan.js';
import {watchSticks, type StickEvent, type StickWatcher} from '../../source/media/watch.js';
import {fixturesDir} from '../helpers/paths.js';
import {mediaDir, spkiSha256, testKey} from './sticks.js';

/** Collects events; `next` waits for one that matches, failing after `ms`. */
function recorder() {
  const events: StickEvent[] = [];
  let wake: (() => void) | undefined;
  return {
    events,
    onEvent: (event: StickEvent) => {
      events.push(event);
      wake?.();
    },
    async next(
      what: string,
      match: (e: StickEvent) => boolean,
      ms: number,
      from = 0,
    ): Promise<StickEvent> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events.slice(from).find(match);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no "${what}" event within ${ms} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    },
  };
}

const watchers: StickWatcher[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const w of watchers.splice(0)) w.stop();
  for (const c of cleanups.splice(0).reverse()) c();
});

describe('watchSticks with --media folders', () => {
  it('reports present folders, then arrivals and departures within 1 s, and nothing after stop', async () => {
    const dir = mediaDir();
    cleanups.push(() => rmSync(dir, {recursive: true, force: true}));
    mkdirSync(join(dir, 'alice'));
    const rec = recorder();
    const watcher = watchSticks({mediaDirs: [dir]}, rec.onEvent);
    watchers.push(watcher);
    await watcher.ready;
    expect(
      rec.events.map((e) => [e.type, e.stick.label, e.type === 'arrived' && e.initial]),
    ).toEqual([['arrived', 'alice', true]]);

    mkdirSync(join(dir, 'bob'));
    const bob = await rec.next(
      'bob arrived',
      (e) => e.type === 'arrived' && e.stick.label === 'bob',
      1000,
    );
    expect(bob).toMatchObject({initial: false, stick: {source: 'folder', simulated: true}});
    expect(watcher.current().map((s) => s.label)).toEqual(['alice', 'bob']);

    rmSync(join(dir, 'alice'), {recursive: true});
    await rec.next('alice left', (e) => e.type === 'left' && e.stick.label === 'alice', 1000);
    expect(watcher.current().map((s) => s.label)).toEqual(['bob']);

    watcher.stop();
    const count = rec.events.length;
    mkdirSync(join(dir, 'carol'));
    await new Promise((r) => setTimeout(r, 600));
    expect(rec.events.length).toBe(count);
  });

  it('refresh() polls at once: a removed folder is reported without waiting for the timer', async () => {
    const dir = mediaDir();
    cleanups.push(() => rmSync(dir, {recursive: true, force: true}));
    mkdirSync(join(dir, 'alice'));
    const rec = recorder();
    const watcher = watchSticks({mediaDirs: [dir], intervalMs: 60_000}, rec.onEvent);
    watchers.push(watcher);
    await watcher.ready;
    rmSync(join(dir, 'alice'), {recursive: true});
    await watcher.refresh();
    expect(rec.events.map((e) => e.type)).toEqual(['arrived', 'left']);
  });
});

/** Mounts a tmpfs at `point`; skips the test where mounting is not allowed. */
function mountTmpfs(ctx: TestContext, point: string): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'sd-drill-test', point], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = String((error as {stderr?: unknown}).stderr ?? '');
    if (/permission denied|not permitted|must be superuser|EPERM|only root/i.test(stderr)) {
      ctx.skip(`mounting a tmpfs is not permitted here: ${stderr.trim()}`);
    }
    throw error;
  }
}

function unmount(point: string): void {
  try {
    execFileSync('umount', [point], {stdio: 'ignore'});
  } catch {
    // not mounted (any more)
  }
}

const isRoot = process.getuid?.() === 0;

describe('watchSticks on a real mount (tmpfs under a temporary --mount-root)', () => {
  it.skipIf(!isRoot || process.platform !== 'linux')(
    'sees the tmpfs arrive and leave within 1 s and lists the key on it (needs root)',
    async (ctx) => {
      const root = realpathSync(mkdtempSync(join(tmpdir(), 'sd-drill-mnt-')));
      const point = join(root, 'KEY ONE'); // a space: mountinfo writes it as \040
      mkdirSync(point);
      cleanups.push(() => rmSync(root, {recursive: true, force: true}));
      cleanups.push(() => unmount(point));
      // Can we mount here at all? (Containers often say no, even to root.)
      mountTmpfs(ctx, point);
      unmount(point);

      const rec = recorder();
      const watcher = watchSticks({mountRoots: [root]}, rec.onEvent);
      watchers.push(watcher);
      await watcher.ready;
      expect(watcher.current()).toEqual([]);

      mountTmpfs(ctx, point);
      const mountedAt = Date.now();
      const arrived = await rec.next('tmpfs arrived', (e) => e.type === 'arrived', 1000);
      console.log(`arrival seen ${arrived.at - mountedAt} ms after mount`);
      expect(arrived.stick).toMatchObject({
        path: point,
        label: 'KEY ONE',
        source: 'mount',
        device: 'sd-drill-test',
        fsType: 'tmpfs',
        removable: false, // a tmpfs is not removable hardware, and says so
        simulated: false,
      });

      const key = testKey(0);
      writeFileSync(join(point, 'holder.key'), key.pem, {mode: 0o600});
      writeFileSync(join(point, 'notes.txt'), 'not a key');
      const scan = await scanStick(arrived.stick);
      expect(scan.status).toBe('complete');
      expect(scan.keys.map((k) => [k.name, k.encrypted, k.fingerprint, k.fingerprintKind])).toEqual(
        [['holder.key', false, spkiSha256(key), 'spki']],
      );

      const from = rec.events.length;
      unmount(point);
      const unmountedAt = Date.now();
      const left = await rec.next('tmpfs left', (e) => e.type === 'left', 1000, from);
      console.log(`departure seen ${left.at - unmountedAt} ms after umount`);
      expect(left.stick.id).toBe(arrived.stick.id);
      expect(watcher.current()).toEqual([]);

      // Scanning a stick that was pulled: a "gone" result, not a crash, and not the empty
      // directory left behind.
      expect((await scanStick(arrived.stick)).status).toBe('gone');
    },
  );

  it.skipIf(!isRoot || process.platform !== 'linux')(
    'the macOS path (/Volumes-style roots + diskutil) on a real mount, with captured diskutil output',
    async (ctx) => {
      const root = realpathSync(mkdtempSync(join(tmpdir(), 'sd-drill-vol-')));
      const point = join(root, 'KEY-ALICE');
      mkdirSync(point);
      mkdirSync(join(root, 'not-a-volume'));
      cleanups.push(() => rmSync(root, {recursive: true, force: true}));
      cleanups.push(() => unmount(point));
      mountTmpfs(ctx, point);
      const plist = readFileSync(
        join(fixturesDir, 'media', 'macos', 'diskutil-usb-stick.plist'),
        'utf8',
      );
      const asked: string[] = [];
      const sticks = await discoverSticks({
        platform: 'darwin',
        mountRoots: [root],
        probes: {
          diskutil: (p) => {
            asked.push(p);
            return Promise.resolve(parseDiskutilInfo(plist));
          },
        },
      });
      expect(asked).toEqual([point]);
      expect(sticks).toEqual([
        expect.objectContaining({
          path: point,
          label: 'KEY-ALICE',
          device: '/dev/disk4s1',
          deviceId: '/dev/disk4',
          fsType: 'msdos',
          removable: true,
          transport: 'USB',
        }),
      ]);
    },
  );
});
