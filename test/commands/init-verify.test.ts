/**
 * The headless commands on the built bundle, run as a script runs them: `init` provisions a
 * domain (generated keys, or holders' own openssl certificates), `verify` says whether some
 * keys reconstruct it, `keygen` makes a holder's key pair. Exit codes, one-line errors, and
 * no passphrase ever printed or written anywhere but inside an encrypted key.
 *
 * The tests in this file run in order and share the domains made in beforeAll; the last one
 * scans everything the others printed and wrote.
 */
import {createHash, randomBytes, X509Certificate} from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import {constants, publicEncrypt} from 'node:crypto';
import secrets from 'secrets.js-grempe';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {oaepLabel} from '../../source/domain/native/crypto.js';
import type {NativeDomainFile} from '../../source/domain/native/schema.js';
import {openssl} from '../helpers/keys.js';
import {demoDir, demoKey, demoSd, fixturesDir, repoRoot} from '../helpers/paths.js';
import {
  cleanErrorProblems,
  keyArgs,
  runCli,
  runCliAsync,
  type CliResult,
} from '../helpers/run-cli.js';
import {filesUnder} from '../helpers/files.js';
import {tempDir} from '../helpers/temp.js';

let dir = '';
const at = (...p: string[]): string => join(dir, ...p);

/** Every run's output, for the leak scan at the end. */
const outputs: Array<{args: string[]; result: CliResult}> = [];
function cli(...args: string[]): CliResult {
  const result = runCli(args);
  outputs.push({args, result});
  return result;
}

/** Every passphrase used anywhere in this file. */
const passphrases: string[] = [];
function passphrase(label: string): string {
  const p = `${label}-${randomBytes(6).toString('hex')} pass`;
  passphrases.push(p);
  return p;
}

let fileCount = 0;
function passphraseFile(lines: string[]): string {
  const file = at('pass', `p${++fileCount}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

// The generated domain: 5 holders, quorum 3, keys encrypted with these passphrases.
const GEN_PASS: string[] = [];
const genSd = (): string => at('gen', 'security-domain.json');
const genKey = (i: number): string => at('gen', 'sticks', `holder-${i}`, `holder-${i}.key`);

// The holders' own keys, made by openssl; their certificates go to `init --cert`.
let P8 = '';
let PT = '';
const own = (name: string): string => at('own', name);
const certSd = (): string => at('certs', 'security-domain.json');

const DEMO_PASS = readFileSync(join(demoDir, 'passphrases.txt'), 'utf8').trim().split('\n');

beforeAll(async () => {
  dir = tempDir('cli');
  mkdirSync(at('pass'));
  mkdirSync(at('own'));
  for (let i = 1; i <= 5; i++) GEN_PASS.push(passphrase(`holder-${i}`));
  const generating = runCliAsync([
    'init',
    '--out',
    at('gen'),
    '--holders',
    '5',
    '--quorum',
    '3',
    '--passphrase-file',
    passphraseFile(GEN_PASS),
    '--key-bits',
    '2048',
  ]);

  P8 = passphrase('pkcs8');
  PT = passphrase('traditional');
  const o = (...args: string[]): Buffer => openssl(args, at('own'));
  o('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'plain.key');
  o('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'tmp.key');
  o(
    'pkcs8',
    '-topk8',
    '-v2',
    'aes-256-cbc',
    '-v2prf',
    'hmacWithSHA256',
    '-in',
    'tmp.key',
    '-passout',
    `pass:${P8}`,
    '-out',
    'enc8.key',
  );
  rmSync(own('tmp.key'));
  o('genrsa', '-traditional', '-aes256', '-passout', `pass:${PT}`, '-out', 'trad.key', '2048');
  const req = (key: string, pass?: string): void => {
    const passin = pass === undefined ? [] : ['-passin', `pass:${pass}`];
    const cer = key.replace(/\.key$/, '.cer');
    o('req', '-new', '-x509', '-key', key, ...passin, '-subj', '/CN=x', '-days', '30', '-out', cer);
  };
  req('plain.key');
  req('enc8.key', P8);
  req('trad.key', PT);

  const gen = await generating;
  outputs.push({args: ['init', '--out', at('gen')], result: gen});
  if (gen.code !== 0) throw new Error(`init --holders failed: ${gen.stderr}`);
  const fromCerts = cli(
    'init',
    '--out',
    at('certs'),
    '--cert',
    own('plain.cer'),
    '--cert',
    own('enc8.cer'),
    '--cert',
    own('trad.cer'),
    '--quorum',
    '2',
  );
  if (fromCerts.code !== 0) throw new Error(`init --cert failed: ${fromCerts.stderr}`);
});

afterAll(() => {
  if (dir) rmSync(dir, {recursive: true, force: true});
});

function verifyJson(...args: string[]): {result: CliResult; json: Record<string, unknown>} {
  const result = cli('verify', '--json', ...args);
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`verify --json printed no JSON: ${result.stdout}${result.stderr}`);
  }
  return {result, json};
}

describe('the command line', () => {
  it('--help lists init, keygen and verify', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['init', 'keygen', 'verify'])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const r = cli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});

describe('init with generated keys, then verify', () => {
  it('writes the domain, the HSM state and one stick per holder with an encrypted key', () => {
    expect(existsSync(genSd())).toBe(true);
    expect(existsSync(at('gen', 'hsm', 'state.json'))).toBe(true);
    for (let i = 1; i <= 5; i++) {
      const key = genKey(i);
      expect(readFileSync(key, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      expect(statSync(key).mode & 0o077).toBe(0);
      // openssl opens it with the holder's passphrase: the stick is usable without sd-drill.
      expect(() =>
        openssl(['pkey', '-in', key, '-passin', `pass:${GEN_PASS[i - 1]}`, '-noout']),
      ).not.toThrow();
      expect(existsSync(key.replace(/\.key$/, '.cer'))).toBe(true);
    }
  });

  it('3 of 5 keys verify: exit 0, {ok: true, format: "native"}', () => {
    const {result, json} = verifyJson(
      '--sd',
      genSd(),
      ...keyArgs(genKey(1), genKey(3), genKey(5)),
      '--passphrase-file',
      passphraseFile([GEN_PASS[0]!, GEN_PASS[2]!, GEN_PASS[4]!]),
    );
    expect(result.code).toBe(0);
    expect(json).toMatchObject({ok: true, format: 'native', required: 3, total: 5});
    expect((json.matched as unknown[]).length).toBe(3);
  });

  it('the human-readable result says it reconstructs', () => {
    const r = cli(
      'verify',
      '--sd',
      genSd(),
      ...keyArgs(genKey(2), genKey(3), genKey(4)),
      '--passphrase-file',
      passphraseFile(GEN_PASS.slice(1, 4)),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/quorum 3 of 5/);
    expect(r.stdout).toMatch(/reconstructs from 3 of 3 required shares and authenticates/);
  });

  it('2 keys: exit 1, saying 3 are required', () => {
    const r = cli(
      'verify',
      '--sd',
      genSd(),
      ...keyArgs(genKey(1), genKey(2)),
      '--passphrase-file',
      passphraseFile(GEN_PASS.slice(0, 2)),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 of 3 required/);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
  });

  it('2 keys and a stranger’s: exit 1, naming the stranger’s file', () => {
    const stranger = join(fixturesDir, 'bad', 'stranger.key');
    const r = cli(
      'verify',
      '--sd',
      genSd(),
      ...keyArgs(genKey(1), genKey(2), stranger),
      '--passphrase-file',
      passphraseFile([GEN_PASS[0]!, GEN_PASS[1]!, '']),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(stranger);
    expect(r.stderr).toMatch(/not one of this domain's 5 wrapping keys/);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
  });

  it('encrypted keys and no passphrase file, with no terminal: exit 2, asks for the file', () => {
    const r = cli('verify', '--sd', genSd(), ...keyArgs(genKey(1), genKey(2), genKey(3)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--passphrase-file/);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
  });

  it('a truncated domain file: exit 2, one clean line naming it', () => {
    const cut = at('truncated.json');
    const sd = readFileSync(genSd());
    writeFileSync(cut, sd.subarray(0, Math.floor(sd.length * 0.6)));
    const r = cli(
      'verify',
      '--sd',
      cut,
      '--key',
      genKey(1),
      '--passphrase-file',
      passphraseFile([GEN_PASS[0]!]),
    );
    expect(r.code).toBe(2);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toContain(cut);
    expect(r.stderr).toMatch(/truncated/);
  });

  it('an unknown field in the domain file: exit 2, one clean line', () => {
    const doc = JSON.parse(readFileSync(genSd(), 'utf8')) as Record<string, unknown>;
    (doc.quorum as Record<string, unknown>).override = 1;
    const file = at('extra-field.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = cli(
      'verify',
      '--sd',
      file,
      '--key',
      genKey(1),
      '--passphrase-file',
      passphraseFile([GEN_PASS[0]!]),
    );
    expect(r.code).toBe(2);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/quorum.*override/);
  });

  it('a forged share is named with 4 holders present (exit 0); with exactly 3 nobody is blamed (exit 1)', () => {
    const doc = JSON.parse(readFileSync(genSd(), 'utf8')) as NativeDomainFile;
    const victim = doc.holders[1]!; // holder-2
    const fake = secrets.share(randomBytes(32).toString('hex'), 5, 3)[1]!;
    doc.shares[1]!.ciphertext = publicEncrypt(
      {
        key: new X509Certificate(Buffer.from(victim.certificate, 'base64')).publicKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        oaepLabel: oaepLabel(doc.domain.id, victim.index),
      },
      Buffer.from(fake, 'latin1'),
    ).toString('base64');
    const forged = at('forged.json');
    writeFileSync(forged, JSON.stringify(doc, null, 1));

    const four = verifyJson(
      '--sd',
      forged,
      ...[1, 2, 3, 4].flatMap((i) => ['--key', genKey(i)]),
      '--passphrase-file',
      passphraseFile(GEN_PASS.slice(0, 4)),
    );
    expect(four.result.code).toBe(0);
    const bad = four.json.badShares as Array<{holderIndex: number; holderName: string}>;
    expect(bad.map((b) => [b.holderIndex, b.holderName])).toEqual([[2, 'holder-2']]);

    const three = cli(
      'verify',
      '--sd',
      forged,
      ...[1, 2, 3].flatMap((i) => ['--key', genKey(i)]),
      '--passphrase-file',
      passphraseFile(GEN_PASS.slice(0, 3)),
    );
    expect(three.code).toBe(1);
    expect(cleanErrorProblems(three.stderr)).toEqual([]);
    // No 3 of these open the domain, so nothing authenticated says which share is forged:
    // it names the disagreement, blames nobody, and asks for more holders.
    expect(three.stderr).toMatch(/cannot tell which/);
    expect(three.stderr).toMatch(/bring more holders/);
    expect(three.stderr).not.toMatch(/bad share/);
    const threeJson = verifyJson(
      '--sd',
      forged,
      ...[1, 2, 3].flatMap((i) => ['--key', genKey(i)]),
      '--passphrase-file',
      passphraseFile(GEN_PASS.slice(0, 3)),
    );
    expect(threeJson.json.badShares).toEqual([]);
  });
});

describe('init from holders’ own openssl certificates, then verify', () => {
  it('the two encrypted keys (PKCS#8 and traditional PEM) verify with a passphrase file', () => {
    const {result, json} = verifyJson(
      '--sd',
      certSd(),
      ...keyArgs(own('enc8.key'), own('trad.key')),
      '--passphrase-file',
      passphraseFile([P8, PT]),
    );
    expect(result.code).toBe(0);
    expect(json).toMatchObject({ok: true, format: 'native', required: 2, total: 3});
    const matched = json.matched as Array<{holder: number; by: string}>;
    expect(matched.map((m) => [m.holder, m.by])).toEqual([
      [2, 'certificate'],
      [3, 'certificate'],
    ]);
  });

  it('a wrong passphrase: exit 2, a message about the passphrase, the passphrase never shown', () => {
    const wrong = passphrase('wrong');
    const r = cli(
      'verify',
      '--sd',
      certSd(),
      ...keyArgs(own('enc8.key'), own('trad.key')),
      '--passphrase-file',
      passphraseFile([P8, wrong]),
    );
    expect(r.code).toBe(2);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toContain(`wrong passphrase for ${own('trad.key')}`);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });

  it('a wrong passphrase on the PKCS#8 key says the same', () => {
    const r = cli(
      'verify',
      '--sd',
      certSd(),
      ...keyArgs(own('enc8.key'), own('trad.key')),
      '--passphrase-file',
      passphraseFile([PT, PT]),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`wrong passphrase for ${own('enc8.key')}`);
  });

  it('an empty first line for the unencrypted key, then the encrypted key’s passphrase', () => {
    const pf = at('pass', 'empty-first.txt');
    writeFileSync(pf, `\n${P8}\n`);
    const {result, json} = verifyJson(
      '--sd',
      certSd(),
      ...keyArgs(own('plain.key'), own('enc8.key')),
      '--passphrase-file',
      pf,
    );
    expect(result.code).toBe(0);
    expect(json.ok).toBe(true);
  });

  it('the same key file given twice counts once, and says so', () => {
    const twice = cli(
      'verify',
      '--sd',
      certSd(),
      ...keyArgs(own('plain.key'), own('plain.key')),
      '--passphrase-file',
      passphraseFile(['', '']),
    );
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/1 of 2 required/);
    expect(twice.stderr).toMatch(/given twice; counted once/);
    expect(cleanErrorProblems(twice.stderr)).toEqual([]);

    const withThird = cli(
      'verify',
      '--sd',
      certSd(),
      ...keyArgs(own('plain.key'), own('plain.key'), own('enc8.key')),
      '--passphrase-file',
      passphraseFile(['', '', P8]),
    );
    expect(withThird.code).toBe(0);
    expect(withThird.stdout).toMatch(/counted once/);
  });

  it('the same key in another file (a DER copy) counts once, and says so', () => {
    openssl([
      'pkcs8',
      '-topk8',
      '-nocrypt',
      '-in',
      own('plain.key'),
      '-outform',
      'DER',
      '-out',
      at('plain-copy.der'),
    ]);
    const r = cli(
      'verify',
      '--sd',
      certSd(),
      ...keyArgs(own('plain.key'), at('plain-copy.der')),
      '--passphrase-file',
      passphraseFile(['', '']),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/same wrapping key as .*plain\.key.*one key is one holder/);
  });
});

describe('init never overwrites a domain unless asked', () => {
  it('refuses an existing domain (exit 2, file untouched); --force replaces it', () => {
    const args = [
      'init',
      '--out',
      at('again'),
      '--cert',
      own('plain.cer'),
      '--cert',
      own('enc8.cer'),
      '--cert',
      own('trad.cer'),
      '--quorum',
      '2',
      '--keys',
      '0',
    ];
    expect(cli(...args).code).toBe(0);
    const sd = at('again', 'security-domain.json');
    const before = readFileSync(sd);
    const again = cli(...args);
    expect(again.code).toBe(2);
    expect(cleanErrorProblems(again.stderr)).toEqual([]);
    expect(again.stderr).toMatch(/already exists/);
    expect(readFileSync(sd).equals(before)).toBe(true);
    const forced = cli(...args, '--force');
    expect(forced.code).toBe(0);
    const after = JSON.parse(readFileSync(sd, 'utf8')) as NativeDomainFile;
    expect(after.domain.id).not.toBe((JSON.parse(before.toString()) as NativeDomainFile).domain.id);
    // No temporary files left behind by the atomic writes.
    expect(readdirSync(at('again')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses the same certificate for two holders', () => {
    const r = cli(
      'init',
      '--out',
      at('dup'),
      '--cert',
      own('plain.cer'),
      '--cert',
      own('plain.cer'),
      '--cert',
      own('trad.cer'),
      '--quorum',
      '2',
      '--keys',
      '0',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/same key as another --cert/);
    expect(existsSync(at('dup', 'security-domain.json'))).toBe(false);
  });
});

describe('keygen', () => {
  it('writes x.key and x.cer and prints the certificate fingerprint', () => {
    const out = at('stick-x');
    const r = cli(
      'keygen',
      '--out',
      out,
      '--holder',
      'x',
      '--no-passphrase',
      '--bits',
      '2048',
      '--allow-fixed-disk',
    );
    expect(r.code).toBe(0);
    const key = join(out, 'x.key');
    const cer = join(out, 'x.cer');
    const der = openssl(['x509', '-in', cer, '-outform', 'DER']);
    const fp = createHash('sha256').update(der).digest('hex');
    expect(r.stdout).toContain(fp);
    // The key and the certificate are one pair, as openssl sees them.
    const keyPub = openssl(['pkey', '-in', key, '-pubout']).toString();
    const certPub = openssl(['x509', '-in', cer, '-noout', '-pubkey']).toString();
    expect(keyPub).toBe(certPub);
    expect(statSync(key).mode & 0o077).toBe(0);

    const again = cli(
      'keygen',
      '--out',
      out,
      '--holder',
      'x',
      '--no-passphrase',
      '--bits',
      '2048',
      '--allow-fixed-disk',
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(openssl(['pkey', '-in', key, '-pubout']).toString()).toBe(keyPub);
  });

  it('with a passphrase file writes a key openssl opens with that passphrase', () => {
    const pass = passphrase('keygen');
    const out = at('stick-y');
    const r = cli(
      'keygen',
      '--out',
      out,
      '--holder',
      'y',
      '--passphrase-file',
      passphraseFile([pass]),
      '--bits',
      '2048',
      '--allow-fixed-disk',
    );
    expect(r.code).toBe(0);
    const key = join(out, 'y.key');
    expect(readFileSync(key, 'utf8')).toMatch(/ENCRYPTED PRIVATE KEY/);
    expect(() => openssl(['pkey', '-in', key, '-passin', `pass:${pass}`, '-noout'])).not.toThrow();
    expect(() => openssl(['pkey', '-in', key, '-passin', 'pass:not-it', '-noout'])).toThrow();
  });
});

describe('the bad fixtures', () => {
  const demoArgs = [
    ...keyArgs(demoKey('alice'), demoKey('bob'), demoKey('carol')),
    '--passphrase-file',
    join(demoDir, 'passphrases.txt'),
  ];

  it('each bad file as the domain: exit 2 (1 for the tampered payload), one clean line', () => {
    const files = readdirSync(join(fixturesDir, 'bad'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const name of files) {
      const file = join(fixturesDir, 'bad', name);
      const r = cli('verify', '--sd', file, ...demoArgs);
      const expected = name === 'tampered-payload-sd.json' ? 1 : 2;
      expect(r.code, `${name}: ${r.stderr}`).toBe(expected);
      expect(cleanErrorProblems(r.stderr), name).toEqual([]);
      expect(r.stderr, name).toContain(file);
    }
  });

  it('each bad key beside two good ones: exit 2 naming it (1 for a stranger’s key)', () => {
    const keys = [
      'ec-p256.key',
      'rsa-1024.key',
      'certificate-as-key.key',
      'not-a-key.key',
      'stranger.key',
    ];
    for (const name of keys) {
      const file = join(fixturesDir, 'bad', name);
      const r = cli(
        'verify',
        '--sd',
        demoSd,
        ...keyArgs(demoKey('alice'), demoKey('bob'), file),
        '--passphrase-file',
        passphraseFile([DEMO_PASS[0]!, DEMO_PASS[1]!, '']),
      );
      expect(r.code, `${name}: ${r.stderr}`).toBe(name === 'stranger.key' ? 1 : 2);
      expect(cleanErrorProblems(r.stderr), name).toEqual([]);
      expect(r.stderr, name).toContain(file);
    }
  });

  it('the demo domain itself verifies with three demo keys', () => {
    const {result, json} = verifyJson('--sd', demoSd, ...demoArgs);
    expect(result.code).toBe(0);
    expect(json.ok).toBe(true);
  });
});

describe('a stick copied elsewhere', () => {
  it('still verifies from the copy (the key is matched by its public key without a .cer)', () => {
    mkdirSync(at('copied'));
    const copy = at('copied', 'holder-4.key');
    copyFileSync(genKey(4), copy);
    const {result, json} = verifyJson(
      '--sd',
      genSd(),
      ...keyArgs(genKey(1), genKey(2), copy),
      '--passphrase-file',
      passphraseFile([GEN_PASS[0]!, GEN_PASS[1]!, GEN_PASS[3]!]),
    );
    expect(result.code).toBe(0);
    const matched = json.matched as Array<{file: string; by: string; certMissing: boolean}>;
    expect(matched.find((m) => m.file === copy)).toMatchObject({
      by: 'public-key',
      certMissing: true,
    });
  });
});

describe('no secret leaks', () => {
  // Runs last: it scans what every test above printed and wrote.
  const forms = (p: string): string[] => [
    p,
    Buffer.from(p).toString('base64'),
    Buffer.from(p).toString('hex'),
  ];

  it('no passphrase in any output, nor in any file init wrote other than the keys', () => {
    const all = [...passphrases, ...DEMO_PASS];
    expect(outputs.length).toBeGreaterThan(20);
    for (const {args, result} of outputs) {
      for (const p of all)
        for (const form of forms(p)) {
          expect(result.stdout, `stdout of ${args.join(' ')}`).not.toContain(form);
          expect(result.stderr, `stderr of ${args.join(' ')}`).not.toContain(form);
        }
    }
    const written = ['gen', 'certs', 'again', 'stick-x', 'stick-y']
      .flatMap((d) => filesUnder(at(d)))
      .filter((f) => !f.endsWith('.key'));
    expect(written.length).toBeGreaterThan(8);
    for (const file of written) {
      const text = readFileSync(file, 'latin1');
      for (const p of all) for (const form of forms(p)) expect(text, file).not.toContain(form);
    }
  });

  it('the generated keys are the only copies of private keys in the output folder', () => {
    const files = filesUnder(at('gen'));
    const withKeys = files.filter((f) => /PRIVATE KEY/.test(readFileSync(f, 'latin1')));
    expect(withKeys.sort()).toEqual([1, 2, 3, 4, 5].map(genKey).sort());
  });
});
