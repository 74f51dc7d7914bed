/**
 * Hostile sticks. A stick is listed by `media` without hanging, following a link off the stick
 * or obeying escape codes in a file name, and a stick pulled out mid-read is "gone", never a
 * crash. (Hostile key files: keys.test.ts.)
 */
import {execFileSync} from 'node:child_process';
import {createPrivateKey, type KeyObject} from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DrillSession} from '../../source/drill/session.js';
import {describeFolder} from '../../source/media/discover.js';
import {scanStick, type StickScan} from '../../source/media/scan.js';
import {mountTmpfs, unmount} from '../helpers/mounts.js';
import {lines, type CliResult} from '../helpers/run-cli.js';
import {
  cli,
  DEMO_HOLDERS,
  demoKey,
  demoPassphrase,
  demoSd,
  isRoot,
  leaks,
  openToOthers,
  othersDir,
  runAsUnprivileged,
  secret,
  tmp,
} from './kit.js';

let store = '';
const outputs: CliResult[] = [];
let alice: KeyObject;

async function run(args: string[], options: {input?: string} = {}): Promise<CliResult> {
  const r = await cli(args, {store, timeout: 30_000, ...options});
  outputs.push(r);
  return r;
}

beforeAll(() => {
  store = tmp('sticks-store');
  alice = createPrivateKey({
    key: readFileSync(demoKey('alice')),
    passphrase: demoPassphrase('alice'),
  });
});

afterAll(() => {
  expect(outputs.length).toBeGreaterThan(3);
  const passphrases = DEMO_HOLDERS.map((h) => secret(`${h}'s passphrase`, demoPassphrase(h)));
  expect(outputs.flatMap((o) => leaks(o.stdout + o.stderr, passphrases))).toEqual([]);
});

/** A folder acting as one stick under a --media dir. */
function stick(media: string, name: string): string {
  const s = join(media, name);
  mkdirSync(s, {recursive: true});
  return s;
}

interface MediaJson {
  sticks: Array<{
    label: string;
    path: string;
    status: string;
    keys: Array<{name: string; file: string}>;
    refused: Array<{name: string; code: string; reason: string}>;
    ignored: number;
    entries: number;
  }>;
}

// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('a hostile stick, listed by `sd-drill media`', () => {
  let media = '';
  let hostile = '';
  const evilName = 'evil\n\u001b[2J\u001b]0;owned\u0007\u009b31m.key';

  beforeAll(() => {
    media = tmp('media');
    hostile = stick(media, 'hostile');
    const other = stick(media, 'other');
    writeFileSync(join(other, 'bob.key'), readFileSync(demoKey('bob')));
    writeFileSync(join(hostile, 'alice.key'), alice.export({type: 'pkcs8', format: 'pem'}));
    writeFileSync(join(hostile, evilName), alice.export({type: 'pkcs8', format: 'pem'}));
    execFileSync('mkfifo', [join(hostile, 'fifo.key')]);
    writeFileSync(join(hostile, 'huge.key'), Buffer.alloc(3 * 1024 * 1024, 0x41));
    symlinkSync('/etc/passwd', join(hostile, 'passwd.key'));
    symlinkSync(join(other, 'bob.key'), join(hostile, 'bob-elsewhere.key'));
    symlinkSync(join(hostile, 'alice.key'), join(hostile, 'alice-again.key'));
    mkdirSync(join(hostile, 'deeper', 'deepest'), {recursive: true});
    writeFileSync(join(hostile, 'deeper', 'deepest', 'hidden.key'), readFileSync(demoKey('carol')));
    if (isRoot) execFileSync('mknod', [join(hostile, 'null.key'), 'c', '1', '3']);
  });

  it('--json: refusals with reasons, nothing followed off the stick, nothing blocked on', async () => {
    const r = await run(['media', '--media', media, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as MediaJson;
    const s = json.sticks.find((x) => x.label === 'hostile');
    expect(s?.status).toBe('complete');
    const refused = Object.fromEntries((s?.refused ?? []).map((x) => [x.name, x.code]));
    expect(refused).toMatchObject({
      'fifo.key': 'not-a-file',
      'huge.key': 'too-large',
      'passwd.key': 'symlink-leaves-stick',
      'bob-elsewhere.key': 'symlink-leaves-stick',
      'alice-again.key': 'symlink',
      ...(isRoot ? {'null.key': 'not-a-file'} : {}),
    });
    const keys = (s?.keys ?? []).map((k) => k.name);
    expect(keys).toContain('alice.key');
    // The name is shown escaped; the file is still the file.
    expect(keys).toContain('evil\\u000a\\u001b[2J\\u001b]0;owned\\u0007\\u009b31m.key');
    expect(s?.keys.find((k) => k.name.startsWith('evil'))?.file).toBe(join(hostile, evilName));
    // Two folders down is not looked at.
    expect(keys.some((k) => k.includes('hidden'))).toBe(false);
    expect(r.stdout).not.toContain('root:');
  });

  it('as text: one line per file, escape codes shown, never obeyed', async () => {
    const r = await run(['media', '--media', media]);
    expect(r.code, r.stderr).toBe(0);
    expect(TERMINAL_CONTROLS.test(r.stdout)).toBe(false);
    const hostileLines = lines(r.stdout).filter((l) => /evil|fifo|huge|passwd|alice/.test(l));
    expect(hostileLines.find((l) => l.includes('evil'))).toMatch(
      /private key {2}evil\\u000a\\u001b\[2J.*\.key +plain/,
    );
    expect(hostileLines.find((l) => l.includes('passwd.key'))).toMatch(
      /refused +passwd\.key +symbolic link to \/etc\/passwd leaves the stick/,
    );
  });

  it(`stops at ${5000} entries on a stick of 6,000 files, and says so`, async () => {
    const crowded = tmp('crowded');
    const s = stick(crowded, 'crowded');
    writeFileSync(join(s, 'a.key'), alice.export({type: 'pkcs8', format: 'pem'}));
    for (let i = 0; i < 6000; i++) writeFileSync(join(s, `photo-${i}.jpg`), 'not a key');
    const r = await run(['media', '--media', crowded, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const only = (JSON.parse(r.stdout) as MediaJson).sticks[0];
    expect(only).toMatchObject({status: 'truncated', entries: 5000});
    expect(only?.refused.map((x) => x.code)).toEqual(['entry-limit']);
    expect(only?.keys.map((k) => k.name)).toEqual(['a.key']);
  }, 60_000);

  it(`an unreadable file or folder on a stick is refused, the rest listed${isRoot ? ' (run as nobody)' : ''}`, (ctx) => {
    const m = othersDir(ctx, 'media-unreadable');
    const s = stick(m, 'stick');
    writeFileSync(join(s, 'alice.key'), alice.export({type: 'pkcs8', format: 'pem'}));
    writeFileSync(join(s, 'locked.key'), alice.export({type: 'pkcs8', format: 'pem'}));
    mkdirSync(join(s, 'locked-folder'));
    openToOthers(m);
    chmodSync(join(s, 'locked.key'), 0o000);
    chmodSync(join(s, 'locked-folder'), 0o000);
    const r = runAsUnprivileged(['media', '--media', m, '--json'], m);
    outputs.push(r);
    expect(r.code, r.stderr).toBe(0);
    const only = (JSON.parse(r.stdout) as MediaJson).sticks[0];
    expect(only?.status).toBe('complete');
    expect(only?.keys.map((k) => k.name)).toEqual(['alice.key']);
    expect(only?.refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'locked.key',
          code: 'unreadable',
          reason: expect.stringMatching(/permission denied/),
        }),
        expect.objectContaining({
          name: 'locked-folder',
          code: 'unreadable',
          reason: expect.stringMatching(/permission denied/),
        }),
      ]),
    );
  });
});

/** A stick full of files (so a scan takes a while) with alice's key on top. */
function fill(path: string, files: number): void {
  writeFileSync(join(path, 'alice.key'), alice.export({type: 'pkcs8', format: 'pem'}));
  mkdirSync(join(path, 'photos'));
  for (let i = 0; i < files; i++)
    writeFileSync(join(path, i % 2 ? 'photos' : '.', `p${i}.jpg`), '-----BEGIN nothing');
}

function expectGoneOrWhole(scan: StickScan): void {
  if (scan.status === 'gone') {
    expect(scan.keys).toEqual([]);
    expect(scan.refused).toEqual([
      expect.objectContaining({
        code: 'stick-gone',
        reason: expect.stringMatching(/no longer readable .* was it removed\? Reinsert it/),
      }),
    ]);
  } else {
    // Finished before the stick went: a whole, honest listing.
    expect(scan.status).toBe('complete');
    expect(scan.keys.map((k) => k.name)).toEqual(['alice.key']);
  }
}

describe('a stick pulled out while it is being read', () => {
  it('(a folder stick deleted mid-scan) is "gone" or whole, never an exception', async () => {
    const outcomes: string[] = [];
    const pullAfter = async (delay: number): Promise<void> => {
      const media = tmp('pulled');
      const path = stick(media, 'stick');
      fill(path, 500);
      const scanning = scanStick(describeFolder(path, statSync(path).dev));
      await new Promise((r) => setTimeout(r, delay));
      // Renamed away then deleted: the path is gone at once, as when a stick is pulled.
      renameSync(path, `${path}.pulled`);
      rmSync(`${path}.pulled`, {recursive: true, force: true});
      const scan = await scanning;
      expectGoneOrWhole(scan);
      outcomes.push(scan.status);
    };
    for (const delay of [0, 2, 10, 30]) await pullAfter(delay);
    // However fast this machine scans, pulled at once it is caught mid-scan.
    for (let i = 0; i < 6 && !outcomes.includes('gone'); i++) await pullAfter(0);
    expect(outcomes).toContain('gone');
  }, 60_000);

  it('(a tmpfs stick unmounted mid-scan) is "gone" or whole, never an exception', async (ctx) => {
    const outcomes: string[] = [];
    for (const delay of [0, 2, 10, 40]) {
      const media = tmp('unmounted');
      const path = stick(media, 'stick');
      mountTmpfs(ctx, path, {source: 'tmpfs', sizeMiB: 32});
      try {
        fill(path, 3000);
        const scanning = scanStick(describeFolder(path, statSync(path).dev));
        await new Promise((r) => setTimeout(r, delay));
        execFileSync('umount', ['-l', path]);
        const scan = await scanning;
        expectGoneOrWhole(scan);
        outcomes.push(scan.status);
      } finally {
        unmount(path);
      }
    }
    expect(outcomes).toContain('gone');
  }, 60_000);

  it('`sd-drill media` on a stick unmounted while it lists: exit 0, the stick gone or whole', async (ctx) => {
    for (const delay of [150, 300, 450]) {
      const media = tmp('unmounted-cli');
      const path = stick(media, 'stick');
      mountTmpfs(ctx, path, {source: 'tmpfs', sizeMiB: 32});
      try {
        fill(path, 3000);
        const listing = run(['media', '--media', media, '--json']);
        await new Promise((r) => setTimeout(r, delay));
        execFileSync('umount', ['-l', path]);
        const r = await listing;
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toBe('');
        const sticks = (JSON.parse(r.stdout) as MediaJson).sticks;
        for (const s of sticks) {
          if (s.status === 'gone') expect(s.refused.map((x) => x.code)).toEqual(['stick-gone']);
          // Whole, or (unmounted before it was found) the empty folder the stick left behind.
          else expect([['alice.key'], []]).toContainEqual(s.keys.map((k) => k.name));
        }
      } finally {
        unmount(path);
      }
    }
  }, 60_000);

  it('inserted into a drill and gone before it is read: the drill sees the stick leave', async () => {
    const media = tmp('session-pulled');
    const path = stick(media, 'alice');
    fill(path, 10);
    const session = new DrillSession({idleLimitMs: 60_000});
    session.chooseMode('rehearsal');
    expect(session.loadDomain(demoSd)).toBe(true);
    session.inspected();
    session.simulateDisaster('purged');
    await session.bringUpRecoveryHsm();
    const described = describeFolder(path, statSync(path).dev);
    rmSync(path, {recursive: true, force: true});
    await session.stickInserted(described);
    const s = session.getState();
    expect(s.step).toBe('collect');
    expect(s.presenting).toBeUndefined();
    expect(s.holders.every((h) => h.state === 'waiting')).toBe(true);
    session.abort('test over');
  });
});
