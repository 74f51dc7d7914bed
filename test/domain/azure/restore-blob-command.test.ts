/**
 * `sd-drill restore-blob` as users run it: the built bundle under plain node, on the
 * fixtures (and, where present, the shared azure-cli vectors).
 */
import {spawnSync} from 'node:child_process';
import {cpSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {azureVectorsDir, bundle, fixturesDir} from '../../helpers/paths.js';
import {keyArgs} from '../../helpers/run-cli.js';
import {splitPassphrases, writeNewFile} from '../../../source/commands/restore-blob.js';
import {loadUnencryptedKey} from '../../../source/domain/key-unlock.js';
import {openRestoreBlob} from '../../../source/domain/azure/restore-blob.js';
import {tempDir} from '../../helpers/temp.js';

interface FixtureExpected {
  blobs: Array<{tag: string; bytes: number; sha256: string}>;
  exchange: {x5t_256: string};
}

function fixtureCopy(): {dir: string; expected: FixtureExpected} {
  const dir = tempDir('restore-blob');
  cpSync(join(fixturesDir, 'azure'), dir, {recursive: true});
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as FixtureExpected;
  return {dir, expected};
}

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bundle, 'restore-blob', ...args], {cwd, encoding: 'utf8'});
  return {code: r.status, stdout: r.stdout, stderr: r.stderr};
}

const base = ['--sd', 'security-domain.json', '--exchange-key', 'exchange/exchange.pem'];

describe('sd-drill restore-blob', () => {
  it('writes a 0600 restore blob that opens with the exchange key, and says what matched', () => {
    const {dir, expected} = fixtureCopy();
    const r = run(
      [...base, ...keyArgs('holders/holder1.pem', 'holders/holder3.pem'), '--out', 'blob.json'],
      dir,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('holders/holder1.pem → holder 1');
    expect(r.stdout).toContain('matched by certificate holders/holder1.cer');
    expect(r.stdout).toContain('holders/holder3.pem → holder 3 (x5t_256 ');
    expect(r.stdout).toContain('matched by trial decryption (no certificate beside the key)');
    for (const b of expected.blobs) expect(r.stdout).toContain(`sha256 ${b.sha256}`);
    expect(r.stdout).toContain(`Restore blob written to ${join(dir, 'blob.json')}`);
    expect(statSync(join(dir, 'blob.json')).mode & 0o777).toBe(0o600);
    const key = loadUnencryptedKey(join(dir, 'exchange', 'exchange.key'));
    if (!key.ok) throw key.error;
    const opened = openRestoreBlob(readFileSync(join(dir, 'blob.json')), key.value.privateKey);
    expect(opened.ok && opened.value.digests).toEqual(expected.blobs);
    expect(opened.ok && opened.value.x5t256).toBe(expected.exchange.x5t_256);
  });

  it('matches passphrases to keys by line, an empty line meaning unencrypted; --json', () => {
    const {dir, expected} = fixtureCopy();
    const r = run(
      [
        ...['--sd', 'security-domain.json', '--exchange-key', 'exchange/transfer-key.json'],
        ...['--key', 'holders/holder1.pem', '--key', 'holders/holder2.pem'],
        ...['--passphrase-file', 'passphrases.txt', '--out', 'blob.json', '--json'],
      ],
      dir,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      keys: Array<{holder: number; by: string}>;
      blobs: unknown;
      exchangeKey: {x5t256: string};
      usedHolders: number[];
    };
    expect(report.keys.map((k) => [k.holder, k.by])).toEqual([
      [1, 'certificate'],
      [2, 'certificate'],
    ]);
    expect(report.blobs).toEqual(expected.blobs);
    expect(report.exchangeKey.x5t256).toBe(expected.exchange.x5t_256);
    expect(report.usedHolders).toEqual([1, 2]);
  });

  it('refuses to overwrite --out (exit 2) and leaves the file alone', () => {
    const {dir} = fixtureCopy();
    writeFileSync(join(dir, 'blob.json'), 'keep me');
    const r = run(
      [...base, ...keyArgs('holders/holder1.pem', 'holders/holder3.pem'), '--out', 'blob.json'],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `sd-drill: ${join(dir, 'blob.json')}: already exists; restore-blob never writes over a file — choose another --out\n`,
    );
    expect(readFileSync(join(dir, 'blob.json'), 'utf8')).toBe('keep me');
  });

  it('fails with one line and the right exit code for each kind of problem', () => {
    const {dir} = fixtureCopy();
    cpSync(join(dir, 'holders', 'holder1.pem'), join(dir, 'copy.pem'));
    writeFileSync(join(dir, 'wrong-pass.txt'), '\nnot-it\n');
    writeFileSync(join(dir, 'broken.json'), '{"EncData": {"data": []}, "SharedKeys": {}}');
    const cases: Array<[string[], number, RegExp]> = [
      [['--key', 'holders/holder1.pem'], 1, /2 wrapping keys are required .*; 1 given/],
      [
        ['--key', 'holders/holder1.pem', '--key', 'copy.pem'],
        1,
        /2 distinct shares are required .*; 1 was given \(copy\.pem: is the same wrapping key as holders\/holder1\.pem; one key is one holder, counted once\)/,
      ],
      [
        ['--key', 'holders/holder1.pem', '--key', 'holders/holder2.pem'],
        2,
        /holder2\.pem: is encrypted and needs its passphrase/,
      ],
      [
        [
          ...keyArgs('holders/holder1.pem', 'holders/holder2.pem'),
          '--passphrase-file',
          'wrong-pass.txt',
        ],
        2,
        /wrong passphrase for holders\/holder2\.pem/,
      ],
      [
        ['--key', 'holders/holder1.pem', '--key', 'exchange/exchange.key'],
        1,
        /exchange\/exchange\.key: this key is not one of this domain's 3 wrapping keys .* opens none of the shares/,
      ],
    ];
    for (const [keys, code, message] of cases) {
      const r = run([...base, ...keys, '--out', 'blob.json'], dir);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^sd-drill: /);
      expect(r.stderr).not.toMatch(/Error:|at .*\.js:\d+/);
    }
    const dup = run(
      [...base, '--key', 'holders/holder1.pem', '--key', 'copy.pem', '--out', 'b.json'],
      dir,
    );
    expect(dup.stderr).toContain(
      'sd-drill: warning: copy.pem: is the same wrapping key as holders/holder1.pem; one key is one holder, counted once',
    );
    const broken = run(
      [
        '--sd',
        'broken.json',
        '--exchange-key',
        'exchange/exchange.pem',
        ...keyArgs('a', 'b'),
        '--out',
        'c.json',
      ],
      dir,
    );
    expect(broken.code).toBe(2);
    expect(broken.stderr).toBe(
      'sd-drill: broken.json: is not a valid Azure security-domain file: EncData.data: Too small: expected array to have >=1 items\n',
    );
  });

  it('restores the real azure-cli SD with an encrypted key listed second', () => {
    const v = azureVectorsDir;
    const dir = tempDir('azure');
    writeFileSync(join(dir, 'pass.txt'), '\nPassw0rd!\n');
    const r = run(
      [
        ...['--sd', join(v, 'sdfile.json'), '--exchange-key', join(v, 'sdex.pem')],
        ...['--key', join(v, 'sd1.pem'), '--key', join(v, 'encrypted-keys', 'sd2.pem')],
        ...['--passphrase-file', 'pass.txt', '--out', 'blob.json'],
      ],
      dir,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'sha256 ca010d00e3cfef35c6a08af658b2adf86a3fc22aeb45058ad5de770f6f28515b',
    );
    expect(r.stdout).toContain('DgKyj72PBn91O7ObV4YqFth4JGVKEdUpTEDn3qrkGT8');
  });
});

describe('passphrase file and output helpers', () => {
  it('splits lines into Buffers: LF, CRLF, BOM, final newline, empty = unencrypted', () => {
    const lines = (s: string) => splitPassphrases(Buffer.from(s)).map((b) => b.toString());
    expect(lines('\nPassw0rd!\n')).toEqual(['', 'Passw0rd!']);
    expect(lines('a\r\nb \r\n')).toEqual(['a', 'b ']);
    expect(lines('\ufeffa\nb')).toEqual(['a', 'b']);
    expect(lines('a\n\n')).toEqual(['a', '']);
    expect(lines('')).toEqual(['']);
  });

  it('writes a new file only: never replaces one that appeared meanwhile', () => {
    const dir = tempDir('azure');
    writeNewFile(join(dir, 'a.json'), 'one');
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('one');
    expect(() => writeNewFile(join(dir, 'a.json'), 'two')).toThrow(/already exists/);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('one');
    expect(statSync(join(dir, 'a.json')).mode & 0o777).toBe(0o600);
  });
});
