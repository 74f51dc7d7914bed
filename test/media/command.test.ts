import {spawnSync} from 'node:child_process';
import {rmSync, symlinkSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bundle, repoRoot} from '../helpers/paths.js';
import {
  certificatePem,
  certSha256,
  encryptedPkcs8Pem,
  makeStick,
  mediaDir,
  testKey,
} from './sticks.js';

/** Runs the built bundle as a user would: plain node, no terminal, no colour. */
function sdDrill(args: string[]): {code: number | null; stdout: string; stderr: string} {
  const r = spawnSync(process.execPath, [bundle, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1', FORCE_COLOR: '0'},
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  return {code: r.status, stdout: r.stdout, stderr: r.stderr};
}

interface JsonStick {
  path: string;
  label: string;
  source: string;
  removable: boolean | null;
  device: string | null;
  keys: {
    file: string;
    kind: string;
    encrypted: boolean;
    fingerprint: string | null;
    note: string | null;
  }[];
  refused: {file: string; reason: string}[];
}

describe('sd-drill media (built bundle)', () => {
  const dir = mediaDir();
  let certA = '';
  beforeAll(() => {
    const a = testKey(0);
    certA = certificatePem(a, 'alice');
    makeStick(dir, 'stick-a', {'alice.key': a.pem, 'alice.cer': certA});
    const b = makeStick(dir, 'stick-b', {
      'bob.key': encryptedPkcs8Pem(testKey(1), 'correct horse battery staple'),
      'README.txt': 'This stick belongs to Bob.\n',
    });
    symlinkSync('/etc/passwd', join(b, 'passwd'));
  });
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  it('--json lists both sticks, their keys, encryption, fingerprints and the refused symlink', () => {
    const r = sdDrill(['media', '--media', dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {sticks: JsonStick[]};
    expect(doc.sticks.map((s) => [s.label, s.source, s.removable, s.device])).toEqual([
      ['stick-a', 'folder', true, null],
      ['stick-b', 'folder', true, null],
    ]);
    const [a, b] = doc.sticks;
    expect(a?.keys).toEqual([
      expect.objectContaining({
        file: join(dir, 'stick-a', 'alice.key'),
        kind: 'private-key',
        encrypted: false,
        fingerprint: certSha256(certA),
      }),
      expect.objectContaining({
        file: join(dir, 'stick-a', 'alice.cer'),
        kind: 'certificate',
        encrypted: false,
        fingerprint: certSha256(certA),
      }),
    ]);
    expect(a?.refused).toEqual([]);
    expect(b?.keys).toEqual([
      expect.objectContaining({
        file: join(dir, 'stick-b', 'bob.key'),
        kind: 'private-key',
        encrypted: true,
        fingerprint: null,
        note: expect.stringMatching(/passphrase/),
      }),
    ]);
    expect(b?.keys.some((k) => k.file.endsWith('passwd') || k.file.endsWith('README.txt'))).toBe(
      false,
    );
    expect(b?.refused).toEqual([
      expect.objectContaining({
        file: join(dir, 'stick-b', 'passwd'),
        reason: expect.stringMatching(/symbolic link to \/etc\/passwd leaves the stick/),
      }),
    ]);
  });

  it('prints a readable table without --json', () => {
    const r = sdDrill(['media', '--media', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 sticks$/m);
    expect(r.stdout).toMatch(/^stick-a {2}folder under --media \(simulated removable\)/m);
    expect(r.stdout).toMatch(/private key {2}alice\.key {2}plain {6}cert [0-9a-f]{8}…[0-9a-f]{4}/);
    expect(r.stdout).toMatch(/private key {2}bob\.key +encrypted +- +encrypted and no certificate/);
    expect(r.stdout).toMatch(/refused {6}passwd +symbolic link to \/etc\/passwd leaves the stick/);
    expect(r.stdout).toMatch(/1 other file ignored/);
  });

  it('a --media DIR that does not exist is one line on stderr and exit 2', () => {
    const r = sdDrill(['media', '--media', join(dir, 'nope'), '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`sd-drill: --media ${join(dir, 'nope')}: no such directory\n`);
  });

  it('an empty --media DIR: no sticks, said plainly', () => {
    const empty = mediaDir();
    try {
      expect(JSON.parse(sdDrill(['media', '--media', empty, '--json']).stdout)).toEqual({
        sticks: [],
      });
      expect(sdDrill(['media', '--media', empty]).stdout).toMatch(/^No sticks found/);
    } finally {
      rmSync(empty, {recursive: true, force: true});
    }
  });
});
