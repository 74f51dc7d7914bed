/**
 * writeFileAtomic where sd-drill's outputs land: a folder on the computer's disk (hard links)
 * and real FAT32 and exFAT file systems mounted in user space (no hard links: USB sticks as
 * holders own them). On each: a new file written whole, an existing one never replaced, nothing
 * left behind by a failure, writers racing for one name never overwriting each other, and a
 * reader never seeing part of the file under its name.
 */
import {spawn} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it, type TestContext} from 'vitest';
import {writeFileAtomic} from '../../source/fs/atomic-write.js';
import {mountStickImage, STICK_MIB, type StickFs} from '../helpers/mounts.js';
import {appModule, bundleModule} from '../helpers/bundle.js';
import {tempDir} from '../helpers/temp.js';

type Place = 'disk' | StickFs;
const PLACES: Array<[string, Place]> = [
  ['a folder in the temp dir (hard links)', 'disk'],
  ['a FAT32 stick (fusefat)', 'fat32'],
  ['an exFAT stick (exfat-fuse)', 'exfat'],
];

function folder(ctx: TestContext, place: Place): string {
  return place === 'disk' ? tempDir('atomic') : mountStickImage(ctx, place).dir;
}

/** A child process that writes one file with writeFileAtomic and prints the outcome. */
let writer = '';
beforeAll(async () => {
  const dir = tempDir('atomic-writer');
  writer = join(dir, 'writer.mjs');
  await bundleModule(writer, [
    `import {writeFileAtomic} from ${appModule('source/fs/atomic-write.ts')};`,
    'const [out, fill, size, start] = process.argv.slice(2);',
    // Line up with the other writers: each starts when the start time comes.
    'while (Date.now() < Number(start));',
    'const r = writeFileAtomic(out, Buffer.alloc(Number(size), fill));',
    "process.stdout.write(r.ok ? 'written' : r.error.reason);",
  ]);
}, 60_000);

function runWriter(
  out: string,
  fill: string,
  size: number,
  start: number,
): {done: Promise<string>; exited: () => boolean} {
  const child = spawn(process.execPath, [writer, out, fill, String(size), String(start)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let said = '';
  let over = false;
  child.stdout.setEncoding('utf8').on('data', (c: string) => (said += c));
  const done = new Promise<string>((resolve) =>
    child.on('close', () => {
      over = true;
      resolve(said);
    }),
  );
  return {done, exited: () => over};
}

describe.each(PLACES)('writeFileAtomic on %s', (_name, place) => {
  it('writes a new file whole, with nothing else left in the folder', (ctx) => {
    const dir = folder(ctx, place);
    const file = join(dir, 'alice.key');
    const r = writeFileAtomic(file, 'KEY\n'.repeat(1000), {mode: 0o600});
    expect(r).toEqual({ok: true, value: undefined});
    expect(readFileSync(file, 'utf8')).toBe('KEY\n'.repeat(1000));
    expect(readdirSync(dir)).toEqual(['alice.key']);
    // FAT and exFAT keep no permissions; where the file system does, the key is 0600.
    if (place === 'disk') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses an existing file and leaves it as it was, nothing else left', (ctx) => {
    const dir = folder(ctx, place);
    const file = join(dir, 'report.json');
    writeFileSync(file, 'an earlier report\n');
    const r = writeFileAtomic(file, 'a new one\n');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.reason).toBe('exists');
      expect(r.error.message).toBe(
        `${file}: already exists; refusing to overwrite it (choose another path or use --force)`,
      );
    }
    expect(readFileSync(file, 'utf8')).toBe('an earlier report\n');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('replaces an existing file only when asked (--force), atomically', (ctx) => {
    const dir = folder(ctx, place);
    const file = join(dir, 'state.json');
    writeFileSync(file, 'old\n');
    expect(writeFileAtomic(file, 'new\n', {overwrite: true}).ok).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('leaves nothing behind when it fails: a folder that does not exist', (ctx) => {
    const dir = folder(ctx, place);
    const r = writeFileAtomic(join(dir, 'missing', 'x.json'), '{}');
    expect(r.ok || r.error.reason).toBe('no-dir');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('two to four writers racing for one name: exactly one wins, whole, the rest refused', async (ctx) => {
    const dir = folder(ctx, place);
    const file = join(dir, 'restore-blob.json');
    const size = 1024 * 1024;
    const start = Date.now() + 1_000;
    const fills = ['a', 'b', 'c', 'd'];
    const said = await Promise.all(fills.map((f) => runWriter(file, f, size, start).done));
    expect(said.filter((s) => s === 'written')).toHaveLength(1);
    expect(said.filter((s) => s === 'exists')).toHaveLength(fills.length - 1);
    const winner = fills[said.indexOf('written')] ?? '';
    expect(readFileSync(file).equals(Buffer.alloc(size, winner))).toBe(true);
    expect(readdirSync(dir)).toEqual(['restore-blob.json']);
  }, 60_000);

  it('a reader looking while it writes sees no file, an empty one or the whole, never a part', async (ctx) => {
    const dir = folder(ctx, place);
    const file = join(dir, 'drill-1.json');
    const size = 4 * 1024 * 1024;
    const w = runWriter(file, 'r', size, 0);
    const seen = new Set<number>();
    while (!w.exited()) {
      if (existsSync(file)) {
        try {
          seen.add(statSync(file).size);
        } catch {
          // renamed between the two calls: look again
        }
      }
      await new Promise((r) => setImmediate(r));
    }
    expect(await w.done).toBe('written');
    seen.add(statSync(file).size);
    expect([...seen].filter((s) => s !== 0 && s !== size)).toEqual([]);
    expect(readdirSync(dir)).toEqual(['drill-1.json']);
  }, 60_000);
});

const STICKS: Array<[string, StickFs]> = [
  ['a FAT32 stick (fusefat)', 'fat32'],
  ['an exFAT stick (exfat-fuse)', 'exfat'],
];

describe.each(STICKS)('writeFileAtomic on %s, where FAT differs', (_name, fs) => {
  it('on a full stick: says the stick is full, and neither the file nor a .tmp is left', (ctx) => {
    const dir = mountStickImage(ctx, fs).dir;
    const file = join(dir, 'big.bin');
    const r = writeFileAtomic(file, Buffer.alloc((STICK_MIB[fs] + 1) * 1024 * 1024, 1));
    // exfat-fuse says ENOSPC; fusefat says EPERM, which on a write (not an open) means the same.
    expect(r.ok || [r.error.reason, r.error.message]).toEqual([
      'no-space',
      fs === 'exfat'
        ? `${file}: the disk is full`
        : `${file}: could not be written (EPERM) — is the stick full?`,
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('compares names without case: ALICE.KEY there means alice.key is refused', (ctx) => {
    const dir = mountStickImage(ctx, fs).dir;
    writeFileSync(join(dir, 'ALICE.KEY'), 'the key already on the stick\n');
    const r = writeFileAtomic(join(dir, 'alice.key'), 'another key\n');
    expect(r.ok || r.error.reason).toBe('exists');
    expect(readFileSync(join(dir, 'ALICE.KEY'), 'utf8')).toBe('the key already on the stick\n');
    expect(readdirSync(dir)).toEqual(['ALICE.KEY']);
  });
});
