/**
 * Key files sd-drill writes are encrypted to resist a lost stick: PBES2 with PBKDF2-HMAC-
 * SHA256 at 600,000 iterations and AES-256-CBC — and still open in openssl, python
 * `cryptography` (what azure-cli uses) and sd-drill itself, with non-ASCII passphrases taken
 * as their UTF-8 bytes. Keys made before (Node's 2,048-iteration export) keep opening.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {fixturesDir} from '../helpers/paths.js';
import {runCli} from '../helpers/run-cli.js';
import {needsInstalled} from '../helpers/skips.js';
import {tempDir} from '../helpers/temp.js';

const dir = tempDir('keyenc');
const PASSES = ['Grüße-é', 'パスフレーズ-2', 'ñandú ünïcödé'];
const passFile = join(dir, 'pass.txt');
const key = (i: number) => join(dir, 'domain', 'sticks', `h${i}`, `h${i}.key`);

/**
 * A python3 with `cryptography`, or undefined: the test then skips, saying so (under CI, which
 * installs python3-cryptography, it fails instead).
 */
const python = ['/usr/bin/python3', 'python3'].find(
  (p) => spawnSync(p, ['-c', 'import cryptography'], {stdio: 'ignore'}).status === 0,
);

beforeAll(() => {
  writeFileSync(passFile, `${PASSES.join('\n')}\n`);
  const r = runCli([
    'init',
    '--out',
    join(dir, 'domain'),
    '--holders',
    '3',
    '--quorum',
    '2',
    '--holder-names',
    'h1,h2,h3',
    '--key-bits',
    '2048',
    '--keys',
    '2',
    '--passphrase-file',
    passFile,
  ]);
  expect(r.code, r.stderr).toBe(0);
});

describe('the key files sd-drill writes', () => {
  it('are PBES2: PBKDF2-HMAC-SHA256 at 600,000 iterations, AES-256-CBC', () => {
    const asn1 = execFileSync('openssl', ['asn1parse', '-in', key(1)], {encoding: 'utf8'});
    expect(asn1).toMatch(/OBJECT\s+:PBES2/);
    expect(asn1).toMatch(/OBJECT\s+:PBKDF2/);
    expect(asn1).toMatch(/OBJECT\s+:hmacWithSHA256/);
    expect(asn1).toMatch(/OBJECT\s+:aes-256-cbc/);
    const iterations = /INTEGER\s+:([0-9A-F]+)/.exec(asn1)?.[1];
    expect(parseInt(iterations ?? '0', 16)).toBeGreaterThanOrEqual(600_000);
  });

  it('open in openssl with the non-ASCII passphrase as UTF-8 bytes, and not with another', () => {
    const pass = join(dir, 'one.pass');
    writeFileSync(pass, PASSES[0] as string);
    const ok = spawnSync('openssl', ['pkey', '-in', key(1), '-passin', `file:${pass}`, '-noout']);
    expect(ok.status).toBe(0);
    writeFileSync(pass, 'Grusse-e');
    const wrong = spawnSync('openssl', [
      'pkey',
      '-in',
      key(1),
      '-passin',
      `file:${pass}`,
      '-noout',
    ]);
    expect(wrong.status).not.toBe(0);
  });

  it('open in python cryptography (what azure-cli uses)', (ctx) => {
    if (!python)
      needsInstalled(ctx, 'no python3 with cryptography', 'apt-get install python3-cryptography');
    const script =
      'import sys\nfrom cryptography.hazmat.primitives.serialization import load_pem_private_key\n' +
      'k = load_pem_private_key(open(sys.argv[1], "rb").read(), sys.argv[2].encode("utf-8"))\n' +
      'print(k.key_size)\n';
    const out = execFileSync(python as string, ['-c', script, key(2), PASSES[1] as string], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('2048');
  });

  it('open in sd-drill verify with the same passphrase file', () => {
    const r = runCli([
      'verify',
      '--sd',
      join(dir, 'domain', 'security-domain.json'),
      '--key',
      key(1),
      '--key',
      key(2),
      '--key',
      key(3),
      '--passphrase-file',
      passFile,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      matched: [{holder: 1}, {holder: 2}, {holder: 3}],
    });
  });

  it('keys made before (2,048 iterations) still open', () => {
    const legacy = join(fixturesDir, 'azure', 'holders', 'holder2.pem');
    const asn1 = execFileSync('openssl', ['asn1parse', '-in', legacy], {encoding: 'utf8'});
    expect(asn1).toMatch(/INTEGER\s+:0800/);
    const r = runCli([
      'verify',
      '--sd',
      join(fixturesDir, 'azure', 'security-domain.json'),
      '--key',
      join(fixturesDir, 'azure', 'holders', 'holder1.pem'),
      '--key',
      legacy,
      '--passphrase-file',
      join(fixturesDir, 'azure', 'passphrases.txt'),
    ]);
    expect(r.code, r.stderr).toBe(0);
  });
});
