/**
 * Hostile key files. A key file that cannot be a holder's wrapping key is refused by `verify`
 * with exit 2 and one line naming it; the forms openssl and az tooling really write (DER,
 * PKCS#1, CRLF and a BOM from a Windows editor) are accepted. (Hostile sticks:
 * hostile-sticks.test.ts.)
 */
import {execFileSync} from 'node:child_process';
import {createPrivateKey, createPublicKey, X509Certificate, type KeyObject} from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadUnencryptedKey} from '../../source/domain/key-unlock.js';
import {openDomainFile} from '../../source/domain/open.js';
import {presentKeyFile} from '../../source/domain/present-key.js';
import {SdError} from '../../source/errors.js';
import {wipe} from '../../source/secret.js';
import {openssl} from '../helpers/keys.js';
import {demoSticks, fixturesDir} from '../helpers/paths.js';
import {cleanErrorProblems, keyArgs, type CliResult} from '../helpers/run-cli.js';
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
  refusalProblems,
  runAsUnprivileged,
  secret,
  tmp,
} from './kit.js';

let dir = '';
let store = '';
const at = (...p: string[]): string => join(dir, ...p);
const outputs: CliResult[] = [];
const PASSPHRASE = 'hardening-key-passphrase-7f3a';
const WRONG = 'not-the-passphrase-c41d';
const secrets = [
  ...DEMO_HOLDERS.map((h) => secret(`${h}'s passphrase`, demoPassphrase(h))),
  secret('the test passphrase', PASSPHRASE),
  secret('the wrong passphrase', WRONG),
];

let alice: KeyObject;

async function run(args: string[], options: {input?: string} = {}): Promise<CliResult> {
  const r = await cli(args, {store, timeout: 30_000, ...options});
  outputs.push(r);
  return r;
}

/** `verify` with bob and carol (good) and one more key: the quorum of 3 rests on that one. */
function verifyWith(key: string, passphrase = ''): Promise<CliResult> {
  const pass = at('pass', `${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(pass, `${demoPassphrase('bob')}\n${demoPassphrase('carol')}\n${passphrase}\n`);
  return run([
    'verify',
    '--sd',
    demoSd,
    ...keyArgs(demoKey('bob'), demoKey('carol'), key),
    '--passphrase-file',
    pass,
  ]);
}

beforeAll(() => {
  dir = tmp('keys');
  store = tmp('keys-store');
  mkdirSync(at('keys'));
  mkdirSync(at('pass'));
  alice = createPrivateKey({
    key: readFileSync(demoKey('alice')),
    passphrase: demoPassphrase('alice'),
  });
  const k = (name: string, data: string | Buffer): void => writeFileSync(at('keys', name), data);
  const o = (...args: string[]): Buffer => openssl(args, at('keys'));

  // Accepted forms of alice's key.
  k('pkcs8.der', alice.export({type: 'pkcs8', format: 'der'}));
  k('pkcs1.der', alice.export({type: 'pkcs1', format: 'der'}));
  const pem = alice.export({type: 'pkcs8', format: 'pem'}).toString();
  k('crlf-bom.pem', `\ufeff${pem.replace(/\n/g, '\r\n')}`);
  k('trailing-spaces.pem', pem.replace(/\n/g, '  \n'));
  k(
    'encrypted.der',
    alice.export({type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: PASSPHRASE}),
  );
  const traditional = alice
    .export({type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE})
    .toString();
  k('traditional-crlf-bom.pem', `\ufeff${traditional.replace(/\n/g, '\r\n')}`);

  // Refused: not RSA, too small, not a private key, not a file.
  o('genpkey', '-algorithm', 'ed25519', '-out', 'ed25519.key');
  o('genpkey', '-algorithm', 'x25519', '-out', 'x25519.key');
  o('genpkey', '-algorithm', 'ed448', '-out', 'ed448.key');
  o('dsaparam', '-genkey', '-out', 'dsa.key', '1024');
  o('genrsa', '-out', 'rsa-512.key', '512');
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'rsa',
    '-b',
    '2048',
    '-N',
    '',
    '-f',
    at('keys', 'openssh.key'),
  ]);
  k('public.pem', createPublicKey(alice).export({type: 'spki', format: 'pem'}));
  const cert = new X509Certificate(readFileSync(join(demoSticks, 'alice', 'alice.cer')));
  k('certificate.der', cert.raw);
  writeFileSync(at('keys', 'plain.pem'), pem);
  o(
    'pkcs12',
    '-export',
    '-inkey',
    'plain.pem',
    '-in',
    join(demoSticks, 'alice', 'alice.cer'),
    '-passout',
    `pass:${PASSPHRASE}`,
    '-out',
    'bundle.p12',
  );
  k('truncated.pem', pem.slice(0, Math.floor(pem.length / 2)) + '\n-----END PRIVATE KEY-----\n');
  k('random.key', Buffer.from(Array.from({length: 2048}, (_, i) => (i * 7919) % 256)));
  k(
    'der-garbage.key',
    Buffer.concat([Buffer.from([0x30, 0x82, 0x04, 0xa0]), Buffer.alloc(1184, 7)]),
  );
  k('empty.key', '');
  k('huge.key', Buffer.alloc(2 * 1024 * 1024, 0x41));
  mkdirSync(at('keys', 'directory.key'));
  execFileSync('mkfifo', [at('keys', 'fifo.key')]);
  symlinkSync(at('keys', 'gone.key'), at('keys', 'broken-link.key'));
});

afterAll(() => {
  expect(outputs.length).toBeGreaterThan(15);
  expect(outputs.flatMap((o) => leaks(o.stdout + o.stderr, secrets))).toEqual([]);
});

const accepted: Array<[string, string]> = [
  ['PKCS#8 DER', 'pkcs8.der'],
  ['PKCS#1 DER', 'pkcs1.der'],
  ['PEM with CRLF line ends and a BOM', 'crlf-bom.pem'],
  ['PEM with trailing spaces', 'trailing-spaces.pem'],
  ['encrypted PKCS#8 DER', 'encrypted.der'],
  ['traditional encrypted PEM with CRLF and a BOM', 'traditional-crlf-bom.pem'],
];
const encryptedForm = (name: string): boolean => /^(encrypted|traditional)/.test(name);

const refused: Array<[string, string, RegExp]> = [
  ['an EC key', join(fixturesDir, 'bad', 'ec-p256.key'), /is an EC key; wrapping keys must be RSA/],
  ['an Ed25519 key', 'ed25519.key', /is an ED25519 key; wrapping keys must be RSA/],
  ['an X25519 key', 'x25519.key', /is an X25519 key/],
  ['an Ed448 key', 'ed448.key', /is an ED448 key/],
  ['a DSA key', 'dsa.key', /is a DSA key/],
  ['an RSA-1024 key', join(fixturesDir, 'bad', 'rsa-1024.key'), /RSA 1024-bit key is too small/],
  ['an RSA-512 key', 'rsa-512.key', /RSA 512-bit key is too small/],
  [
    'a PEM certificate named .key',
    join(fixturesDir, 'bad', 'certificate-as-key.key'),
    /is a certificate, not a private key/,
  ],
  ['a DER certificate', 'certificate.der', /is a certificate, not a private key/],
  ['a public key', 'public.pem', /is a public key, not a private key/],
  ['an OpenSSH key', 'openssh.key', /OpenSSH key; convert it/],
  ['a PKCS#12 bundle', 'bundle.p12', /is not a private key/],
  ['a truncated key', 'truncated.pem', /damaged or truncated/],
  ['random bytes', 'random.key', /is not a private key/],
  ['a DER header over garbage', 'der-garbage.key', /is not a private key/],
  ['an empty file', 'empty.key', /is not a private key/],
  ['a text file', join(fixturesDir, 'bad', 'not-a-key.key'), /is not a private key/],
  ['a 2 MB file', 'huge.key', /too large for a key file/],
  ['a directory', 'directory.key', /is a directory, not a key file/],
  ['a FIFO (read without blocking)', 'fifo.key', /is a FIFO/],
  ['a device', '/dev/zero', /is a device/],
  ['a missing path', 'missing.key', /no such file/],
  ['a broken symbolic link', 'broken-link.key', /no such file/],
];
const keyPath = (name: string): string => (name.startsWith('/') ? name : at('keys', name));

/** One of each kind also runs end to end; the rest take the same path in process. */
const END_TO_END = new Set([
  'PKCS#8 DER',
  'PEM with CRLF line ends and a BOM',
  'traditional encrypted PEM with CRLF and a BOM',
  'an Ed25519 key',
  'an RSA-512 key',
  'a DER certificate',
  'an OpenSSH key',
  'a truncated key',
  'a 2 MB file',
  'a directory',
  'a FIFO (read without blocking)',
  'a missing path',
]);

describe('the forms openssl and az tooling write open their holder’s share', () => {
  it.each(accepted)('%s', async (_what, name) => {
    const opened = openDomainFile(demoSd);
    if (!opened.ok) throw opened.error;
    const passphrase = encryptedForm(name) ? Buffer.from(PASSPHRASE) : undefined;
    const r = await presentKeyFile(opened.value.domain, at('keys', name), passphrase);
    expect(r.ok && r.value.opened.holder.index).toBe(1);
    if (r.ok) wipe(r.value.opened.secret);
  });
});

describe('a key file that cannot be a wrapping key is refused: exit 2, one line naming it', () => {
  it.each(refused)('%s', (_what, name, says) => {
    const file = keyPath(name);
    const r = loadUnencryptedKey(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(SdError);
    expect(r.error.exitCode).toBe(2);
    expect(cleanErrorProblems(`sd-drill: ${r.error.message}\n`)).toEqual([]);
    expect(r.error.message).toContain(file);
    expect(r.error.message).toMatch(says);
  });
});

describe.concurrent('the same through `sd-drill verify`', () => {
  it.each(accepted.filter(([what]) => END_TO_END.has(what)))(
    '%s: exit 0, the key opens its share',
    async (_what, name) => {
      const r = await verifyWith(at('keys', name), encryptedForm(name) ? PASSPHRASE : '');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`✓ ${at('keys', name)} → holder 1 (alice)`);
    },
  );

  it.each(refused.filter(([what]) => END_TO_END.has(what)))(
    '%s: exit 2, one line naming it',
    async (_what, name, says) => {
      const file = keyPath(name);
      const r = await verifyWith(file);
      expect(refusalProblems(r, {code: 2, names: file, says})).toEqual([]);
    },
  );

  it('an encrypted key with a wrong passphrase', async () => {
    const file = at('keys', 'encrypted.der');
    const r = await verifyWith(file, WRONG);
    expect(refusalProblems(r, {code: 2, names: file, says: /wrong passphrase for/})).toEqual([]);
  });

  it('an encrypted key with an empty passphrase line', async () => {
    const file = demoKey('alice');
    const r = await verifyWith(file, '');
    expect(
      refusalProblems(r, {code: 2, names: file, says: /is encrypted and needs its passphrase/}),
    ).toEqual([]);
  });

  it('an encrypted key, no passphrase file and no terminal: asks for the file, never waits', async () => {
    const file = demoKey('alice');
    // stdin is a pipe (not a terminal) holding a passphrase that must not be read as one.
    const r = await run(['verify', '--sd', demoSd, '--key', file], {input: `${PASSPHRASE}\n`});
    expect(
      refusalProblems(r, {
        code: 2,
        names: file,
        says: /no terminal to ask on — give --passphrase-file/,
      }),
    ).toEqual([]);
  });
});

describe('a key file nobody may read', () => {
  it(`is refused as such (exit 2)${isRoot ? ' — run as nobody, since root reads a chmod 000 file' : ''}`, (ctx) => {
    const d = othersDir(ctx, 'unreadable');
    const key = join(d, 'alice.key');
    writeFileSync(key, alice.export({type: 'pkcs8', format: 'pem'}));
    copyFileSync(demoSd, join(d, 'sd.json'));
    writeFileSync(join(d, 'pass.txt'), '\n');
    openToOthers(d);
    chmodSync(key, 0o000);
    const r = runAsUnprivileged(
      [
        'verify',
        '--sd',
        join(d, 'sd.json'),
        '--key',
        key,
        '--passphrase-file',
        join(d, 'pass.txt'),
      ],
      d,
    );
    outputs.push(r);
    expect(refusalProblems(r, {code: 2, names: key, says: /permission denied/})).toEqual([]);
  });
});

describe('refusal lines stay clean whatever the key file is called', () => {
  it('a key named with a newline and escape codes: one line, the codes shown, not obeyed', async () => {
    const file = at('keys', 'bad\n\u001b[31mname\u009b.key');
    writeFileSync(file, 'not a key at all');
    const r = await verifyWith(file);
    expect(r.code).toBe(2);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toContain('bad\\u000a\\u001b[31mname\\u009b.key: is not a private key');
  });
});
