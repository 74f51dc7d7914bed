import {existsSync, mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/run-cli.js';

describe('keygen onto a stick', () => {
  it('refuses a fixed disk unless --allow-fixed-disk is given', () => {
    // /tmp on this machine sits on the system disk (or tmpfs); a key must not land there.
    const dir = mkdtempSync(join(tmpdir(), 'sd-keygen-'));
    const r = runCli([
      'keygen',
      '--out',
      dir,
      '--holder',
      'zoe',
      '--no-passphrase',
      '--bits',
      '2048',
    ]);
    if (r.code === 2) {
      expect(r.stderr).toMatch(/fixed disk/);
      expect(readdirSync(dir)).toEqual([]);
    } else {
      // Could not tell (tmpfs/overlay): it warns and writes.
      expect(r.stderr).toMatch(/could not tell whether/);
    }
    const ok = runCli([
      'keygen',
      '--out',
      dir,
      '--holder',
      'zoe',
      '--no-passphrase',
      '--bits',
      '2048',
      '--allow-fixed-disk',
    ]);
    expect(ok.code).toBe(0);
    expect(existsSync(join(dir, 'zoe.key'))).toBe(true);
    expect(ok.stdout).toMatch(/fingerprint \(SHA-256\): [0-9a-f]{64}/);
  });
});
