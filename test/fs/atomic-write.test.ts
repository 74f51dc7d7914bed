/**
 * writeFileAtomic where sd-drill's outputs land: a folder on the computer's disk (hard links)
 * and real FAT32 and exFAT file systems mounted in user space (no hard links: USB sticks as
 * holders own them). On each: a new file written whole, an existing one never replaced, nothing
 * left behind by a failure, writers racing for one name never overwriting each other, and a
 * reader never seeing part of the file under its name.
 */
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it, type TestContext} from 'vitest';
import {writeFileAtomic} from '../../source/fs/atomic-write.js';
import {mountStickImage, STICK_MIB, type StickFs} from '../helpers/mounts.js';
import {appModule, bundleModule} from '../helpers/bundle.js';
import {GATE_SOURCE, startHeld, type HeldChild} from '../helpers/held-child.js';
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

/**
 * A child process that writes one file with writeFileAtomic, stopping at the steps a test names
 * ("gates") until the test lets it go: `publish` just before the finished temporary file is
 * given the final name (the first call naming it), `rename` just before the temporary file is
 * renamed over the reservation (FAT and exFAT only). So several writers can be held at the
 * moment that decides who wins, and a reader can look at each step.
 */
let writerScript = '';
beforeAll(async () => {
  const dir = tempDir('atomic-writer');
  writerScript = join(dir, 'writer.mjs');
  await bundleModule(writerScript, [
    "import fs from 'node:fs';",
    "import {syncBuiltinESMExports} from 'node:module';",
    `import {writeFileAtomic} from ${appModule('source/fs/atomic-write.ts')};`,
    ...GATE_SOURCE,
    'const [out, fill, size, gates] = process.argv.slice(2);',
    "const holds = new Set((gates ?? '').split(',').filter(Boolean));",
    'const at = (name) => holds.delete(name) && gate(name);',
    'const {linkSync, renameSync, openSync} = fs;',
    "fs.linkSync = (from, to) => (to === out && at('publish'), linkSync(from, to));",
    "fs.openSync = (path, ...rest) => (path === out && at('publish'), openSync(path, ...rest));",
    "fs.renameSync = (from, to) => (to === out && at('rename'), renameSync(from, to));",
    'syncBuiltinESMExports();',
    'const r = writeFileAtomic(out, Buffer.alloc(Number(size), fill));',
    "fs.writeSync(1, `result ${r.ok ? 'written' : r.error.reason}\\n`);",
  ]);
}, 60_000);

/** A writer of `size` bytes of `fill` to `out`, held at the gates named. */
const startWriter = (out: string, fill: string, size: number, gates: string[] = []): HeldChild =>
  startHeld(writerScript, [out, fill, String(size), gates.join(',')]);

/** What a reader finds under `file`: nothing, an empty file, the whole `size` bytes, or a part. */
function look(file: string, size: number): string {
  try {
    const bytes = statSync(file).size;
    return bytes === 0 ? 'empty' : bytes === size ? 'whole' : `a part (${bytes} bytes)`;
  } catch {
    return 'nothing';
  }
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

  it('four writers racing for one name: exactly one wins, whole, the rest refused', async (ctx) => {
    const dir = folder(ctx, place);
    const file = join(dir, 'restore-blob.json');
    const size = 1024 * 1024;
    const fills = ['a', 'b', 'c', 'd'];
    const writers = fills.map((f) => startWriter(file, f, size, ['publish']));
    // All four held at the step that takes the name, each with its bytes written and synced
    // to a temporary file of its own: the race is real, not four writes one after another.
    expect(await Promise.all(writers.map((w) => w.next()))).toEqual(fills.map(() => 'at publish'));
    const during = readdirSync(dir);
    expect(during.filter((n) => n.endsWith('.tmp'))).toHaveLength(fills.length);
    expect(during).not.toContain('restore-blob.json');
    for (const w of writers) w.go();
    const said = await Promise.all(writers.map((w) => w.next()));
    expect(said.filter((s) => s === 'result written')).toHaveLength(1);
    expect(said.filter((s) => s === 'result exists')).toHaveLength(fills.length - 1);
    const winner = fills[said.indexOf('result written')] ?? '';
    expect(readFileSync(file).equals(Buffer.alloc(size, winner))).toBe(true);
    expect(readdirSync(dir)).toEqual(['restore-blob.json']);
  }, 60_000);

  it('a reader looking at each step sees no file, then (FAT) an empty one, then the whole, never a part', async (ctx) => {
    const dir = folder(ctx, place);
    const file = join(dir, 'drill-1.json');
    const size = 4 * 1024 * 1024;
    const w = startWriter(file, 'r', size, ['publish', 'rename']);
    const seen: string[] = [];
    // The bytes are all written (to the temporary file) and about to be published.
    expect(await w.next()).toBe('at publish');
    seen.push(look(file, size));
    w.go();
    let line = await w.next();
    // FAT and exFAT: the name is reserved (empty) and the whole file is about to replace it.
    const renamed = line === 'at rename';
    if (renamed) {
      seen.push(look(file, size));
      w.go();
      line = await w.next();
    }
    expect(line).toBe('result written');
    seen.push(look(file, size));
    expect(renamed).toBe(place !== 'disk');
    expect(seen).toEqual(renamed ? ['nothing', 'empty', 'whole'] : ['nothing', 'whole']);
    expect(readFileSync(file).equals(Buffer.alloc(size, 'r'))).toBe(true);
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
