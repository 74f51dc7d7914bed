/**
 * Hostile key files and sticks. A key file that cannot be a holder's wrapping key is refused
 * by `verify` with exit 2 and one line naming it; the forms openssl and az tooling really
 * write (DER, PKCS#1, CRLF and a BOM from a Windows editor) are accepted. A stick is listed by
 * `media` without hanging, following a link off the stick or obeying escape codes in a file
 * name, and a stick pulled out mid-read is "gone", never a crash.
 */
import {execFileSync} from 'node:child_process';
import {createPrivateKey, createPublicKey, X509Certificate, type KeyObject} from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it, type TestContext} from 'vitest';
import {loadUnencryptedKey} from '../../source/domain/key-unlock.js';
import {openDomainFile} from '../../source/domain/open.js';
import {presentKeyFile} from '../../source/domain/present-key.js';
import {DrillSession} from '../../source/drill/session.js';
import {SdError} from '../../source/errors.js';
import {wipe} from '../../source/secret.js';
import {describeFolder} from '../../source/media/discover.js';
import {scanStick, type StickScan} from '../../source/media/scan.js';
import {openssl} from '../helpers/keys.js';
import {mountTmpfs, unmount} from '../helpers/mounts.js';
import {fixturesDir} from '../helpers/paths.js';
import {cleanErrorProblems, keyArgs, lines, type CliResult} from '../helpers/run-cli.js';
import {
  cli,
  DEMO_HOLDERS,
  demoKey,
  demoPassphrase,
  demoSd,
  isRoot,
  leaks,
  openToOthers,
  othersTempBase,
  tmpForOthers,
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
  const cert = new X509Certificate(
    readFileSync(join(fixturesDir, 'demo', 'sticks', 'alice', 'alice.cer')),
  );
  k('certificate.der', cert.raw);
  writeFileSync(at('keys', 'plain.pem'), pem);
  o(
    'pkcs12',
    '-export',
    '-inkey',
    'plain.pem',
    '-in',
    join(fixturesDir, 'demo', 'sticks', 'alice', 'alice.cer'),
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

/** A folder `nobody` can reach, for runAsUnprivileged; skips the test where there is none. */
function othersDir(ctx: TestContext, label: string): string {
  if (othersTempBase === undefined)
    ctx.skip('neither the temp dir nor /tmp lets other users through, so nobody cannot run');
  return tmpForOthers(label);
}

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
    for (const delay of [0, 2, 10, 30]) {
      const media = tmp('pulled');
      const path = stick(media, 'stick');
      fill(path, 1500);
      const scanning = scanStick(describeFolder(path, statSync(path).dev));
      await new Promise((r) => setTimeout(r, delay));
      // Renamed away then deleted: the path is gone at once, as when a stick is pulled.
      renameSync(path, `${path}.pulled`);
      rmSync(`${path}.pulled`, {recursive: true, force: true});
      const scan = await scanning;
      expectGoneOrWhole(scan);
      outcomes.push(scan.status);
    }
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
