import {readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {describeLocation} from '../../source/media/location.js';
import {runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';

const keygen = (out: string): string[] => [
  'keygen',
  '--out',
  out,
  '--holder',
  'zoe',
  '--no-passphrase',
  '--bits',
  '2048',
];

describe('keygen onto a stick', () => {
  it('does what the removable check says of the temp dir; --allow-fixed-disk writes anyway', async () => {
    // The temp dir is on the system disk, a tmpfs or an overlay, depending on the machine:
    // whichever, keygen must act on what describeLocation says of it.
    const dir = tempDir('keygen');
    const where = await describeLocation(dir);
    const r = runCli(keygen(dir));
    if (where.kind === 'fixed') {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is on a fixed disk; write the key to the holder's USB stick/);
      expect(readdirSync(dir)).toEqual([]);
    } else {
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(['zoe.cer', 'zoe.key']);
      if (where.kind === 'removable' || where.kind === 'folder-stick')
        expect(r.stderr).not.toMatch(/could not tell/);
      else expect(r.stderr).toMatch(/could not tell whether .* is on removable media/);
    }

    const allowed = tempDir('keygen-allowed');
    const ok = runCli([...keygen(allowed), '--allow-fixed-disk']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(allowed).sort()).toEqual(['zoe.cer', 'zoe.key']);
    expect(ok.stdout).toMatch(/fingerprint \(SHA-256\): [0-9a-f]{64}/);
  });

  it('refuses before making anything when the key or certificate is already there', () => {
    const dir = tempDir('keygen-exists');
    const first = runCli([...keygen(dir), '--allow-fixed-disk']);
    expect(first.code, first.stderr).toBe(0);
    const again = runCli([...keygen(dir), '--allow-fixed-disk']);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      `sd-drill: ${join(dir, 'zoe.key')}: already exists; refusing to overwrite it (choose another --out or --holder)\n`,
    );
  });

  it('refuses a new passphrase under 12 characters, and a name with a space, saying what would do', () => {
    const dir = tempDir('keygen-rules');
    const short = join(dir, 'short.txt');
    writeFileSync(short, 'abc\n');
    const r = runCli([
      ...['keygen', '--out', dir, '--holder', 'zoe', '--bits', '2048', '--allow-fixed-disk'],
      ...['--passphrase-file', short],
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `sd-drill: ${short}: that passphrase has 3 characters; a new key's passphrase needs 12 or more; nothing was written\n`,
    );
    // é is one character, as the masked field counts it: 11 characters in 12 bytes is short.
    writeFileSync(short, 'ééééé-abcde\n');
    expect(
      runCli([
        ...['keygen', '--out', dir, '--holder', 'zoe', '--bits', '2048', '--allow-fixed-disk'],
        ...['--passphrase-file', short],
      ]).stderr,
    ).toMatch(/has 11 characters/);
    expect(readdirSync(dir)).toEqual(['short.txt']);
    const spaced = runCli([...keygen(dir), '--holder', 'Frank Moss', '--allow-fixed-disk']);
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toBe(
      'sd-drill: --holder "Frank Moss": may use letters, digits, ".", "_" and "-" only (no spaces), e.g. Frank-Moss\n',
    );
  });
});
