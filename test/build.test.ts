/**
 * The JavaScript build is reproducible: two clean builds of one commit are byte-identical,
 * so anyone can rebuild what was copied to a ceremony laptop and compare its SHA-256.
 */
import {execFileSync} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {relative} from 'node:path';
import {describe, expect, it} from 'vitest';
import {filesUnder} from './helpers/files.js';
import {repoRoot} from './helpers/paths.js';
import {onceAcrossNodes} from './helpers/skips.js';
import {tempDir} from './helpers/temp.js';

describe('npm run build', () => {
  it('gives the same bytes twice, and no path of the machine that built it', (ctx) => {
    onceAcrossNodes(ctx, "esbuild's output does not depend on the Node that runs it");
    const dirs = [0, 1].map(() => tempDir('build'));
    try {
      const builds = dirs.map((dir) => {
        execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', dir], {
          cwd: repoRoot,
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        return new Map(filesUnder(dir).map((f) => [relative(dir, f), readFileSync(f)] as const));
      });
      const [first, second] = builds as [Map<string, Buffer>, Map<string, Buffer>];
      expect(first.has('sd-drill.js')).toBe(true);
      expect(first.size).toBeGreaterThan(10);
      expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
      for (const [file, bytes] of first) expect(second.get(file)?.equals(bytes), file).toBe(true);
      for (const [file, bytes] of first) {
        const text = bytes.toString('latin1');
        for (const path of [repoRoot.replace(/\/$/, ''), ...dirs])
          expect(text.includes(path), `${file} names ${path}`).toBe(false);
      }
    } finally {
      for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
    }
  });
});
