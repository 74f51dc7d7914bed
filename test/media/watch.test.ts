import {mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {discoverSticks} from '../../source/media/discover.js';
import {parseDiskutilInfo} from '../../source/media/diskutil.js';
import {scanStick} from '../../source/media/scan.js';
import {watchSticks, type StickEvent, type StickWatcher} from '../../source/media/watch.js';
import {mountTmpfs, unmount} from '../helpers/mounts.js';
import {fixturesDir} from '../helpers/paths.js';
import {mediaDir, spkiSha256, testKey} from './sticks.js';
import {tempDir} from '../helpers/temp.js';

/**
 * Collects events; `next` waits for one that matches. It sets no time limit of its own (the
 * project measures latency in bench/, not in tests): an event that never comes fails the test
 * by the test's timeout, naming what it waited for.
 */
function recorder() {
  const events: StickEvent[] = [];
  let wake: (() => void) | undefined;
  return {
    events,
    onEvent: (event: StickEvent) => {
      events.push(event);
      wake?.();
    },
    async next(what: string, match: (e: StickEvent) => boolean, from = 0): Promise<StickEvent> {
      for (;;) {
        const found = events.slice(from).find(match);
        if (found) return found;
        waiting = what;
        await new Promise<void>((resolve) => (wake = resolve));
        waiting = undefined;
      }
    },
  };
}

/** What a test is waiting for, said if it times out. */
let waiting: string | undefined;

const watchers: StickWatcher[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  // Set only while a test waits: it ended (timed out) before the event came.
  if (waiting !== undefined) console.log(`the test ended still waiting for "${waiting}"`);
  waiting = undefined;
  for (const w of watchers.splice(0)) w.stop();
  for (const c of cleanups.splice(0).reverse()) c();
});

describe('watchSticks with --media folders', () => {
  it('reports present folders, then arrivals and departures, and nothing after stop', async () => {
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
    );
    expect(bob).toMatchObject({initial: false, stick: {source: 'folder', simulated: true}});
    expect(watcher.current().map((s) => s.label)).toEqual(['alice', 'bob']);

    rmSync(join(dir, 'alice'), {recursive: true});
    await rec.next('alice left', (e) => e.type === 'left' && e.stick.label === 'alice');
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

describe('watchSticks on a real mount (tmpfs under a temporary --mount-root)', () => {
  it('sees the tmpfs arrive and leave and lists the key on it (needs mounting)', async (ctx) => {
    const root = realpathSync(tempDir('mnt'));
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
    const arrived = await rec.next('tmpfs arrived', (e) => e.type === 'arrived');
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
    expect(scan.keys.map((k) => [k.name, k.encrypted, k.fingerprint, k.fingerprintKind])).toEqual([
      ['holder.key', false, spkiSha256(key), 'spki'],
    ]);

    const from = rec.events.length;
    unmount(point);
    const unmountedAt = Date.now();
    const left = await rec.next('tmpfs left', (e) => e.type === 'left', from);
    console.log(`departure seen ${left.at - unmountedAt} ms after umount`);
    expect(left.stick.id).toBe(arrived.stick.id);
    expect(watcher.current()).toEqual([]);

    // Scanning a stick that was pulled: a "gone" result, not a crash, and not the empty
    // directory left behind.
    expect((await scanStick(arrived.stick)).status).toBe('gone');
  });

  it('the macOS path (/Volumes-style roots + diskutil) on a real mount, with captured diskutil output', async (ctx) => {
    const root = realpathSync(tempDir('vol'));
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
  });
});
