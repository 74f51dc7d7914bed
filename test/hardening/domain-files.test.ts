/**
 * Hostile security-domain files, both formats: every one is answered with exit 2 (unreadable
 * or malformed) or 1 (it opened but a check failed), one clean line naming the file and what
 * is wrong, and no passphrase in any output. Each case is the committed demo (native) or Azure
 * fixture with one edit. Every case is opened in process (the SdError the CLI prints as it
 * is); those that fail only once keys are tried, and one of each other kind, also run through
 * `sd-drill verify` on the built bundle.
 */
import {randomBytes} from 'node:crypto';
import {execFileSync} from 'node:child_process';
import {closeSync, mkdirSync, openSync, readFileSync, ftruncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openDomainFile} from '../../source/domain/open.js';
import {SdError} from '../../source/errors.js';
import {cleanErrorProblems, type CliResult} from '../helpers/run-cli.js';
import {
  AZURE_PASSPHRASE,
  azureSd,
  AZURE_KEY_ARGS,
  azurePassphraseFile,
  cli,
  DEMO_HOLDERS,
  demoKey,
  demoPassphrase,
  demoSd,
  leaks,
  refusalProblems,
  secret,
  tmp,
} from './kit.js';

type Json = Record<string, unknown>;
// Edits reach deep into documents of two shapes; a loose type keeps each edit on one line.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Format = 'native' | 'azure';

interface Case {
  name: string;
  format: Format;
  /** The file's bytes. */
  content: string | Buffer;
  /** Or a path made to be used as it is (a directory, a FIFO, a missing file). */
  path?: () => string;
  code: 1 | 2;
  says: RegExp;
  /** Opens, and fails only once keys are tried (so only the CLI can show it). */
  viaKeys?: boolean;
}

const native = (): Json => JSON.parse(readFileSync(demoSd, 'utf8')) as Json;
const azure = (): Json => JSON.parse(readFileSync(azureSd, 'utf8')) as Json;

/** Edits a parsed document in place and returns its JSON text. */
function edited(doc: Json, edit: (d: Loose) => void): string {
  edit(doc);
  return JSON.stringify(doc);
}

const flipBase64 = (b64: string, at = 5): string => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ 0x01;
  return bytes.toString('base64');
};

/** Compact JWE segments: header, encrypted key, IV, ciphertext, tag. */
function jweEdit(jwe: string, segment: number, change: (bytes: Buffer) => Buffer): string {
  const parts = jwe.split('.');
  parts[segment] = change(Buffer.from(parts[segment] ?? '', 'base64url')).toString('base64url');
  return parts.join('.');
}
const flip = (b: Buffer): Buffer => {
  const c = Buffer.from(b);
  c[c.length >> 1] = (c[c.length >> 1] ?? 0) ^ 0x80;
  return c;
};
const header =
  (json: string): (() => Buffer) =>
  () =>
    Buffer.from(json);
const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);

const cases: Case[] = [];
const add = (format: Format, name: string, content: Case['content'], code: 1 | 2, says: RegExp) =>
  cases.push({name, format, content, code, says});

// Not a domain file at all (either format's keys would do; the demo's are used).
add('native', 'empty', '', 2, /is empty/);
add('native', 'whitespace only', ' \n\t\n', 2, /not JSON/);
add('native', 'binary', randomBytes(4096), 2, /not JSON/);
// Binary that happens to open like JSON (one random file in 256 does) is still not JSON.
add(
  'native',
  'binary opening with {',
  Buffer.concat([Buffer.from('{"'), randomBytes(4096)]),
  2,
  /not JSON/,
);
add('native', 'a byte-order mark alone', '\ufeff', 2, /not JSON/);
add(
  'native',
  'UTF-16 JSON',
  Buffer.from(`\ufeff${JSON.stringify(native())}`, 'utf16le'),
  2,
  /not JSON/,
);
add('native', 'a JSON array', '[1, 2, 3]', 2, /expected an object/);
add('native', 'a JSON string', '"security-domain"', 2, /expected an object/);
add('native', 'JSON null', 'null', 2, /expected an object/);
add(
  'native',
  'another JSON shape',
  '{"hello": "world", "keys": []}',
  2,
  /neither an sd-drill nor an Azure/,
);
add('native', 'an array nested 200,000 deep', deep(200_000), 2, /expected an object/);
add(
  'native',
  'an object nested 100,000 deep',
  `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`,
  2,
  /neither an sd-drill nor an Azure/,
);

// Native: structure.
const nat = (name: string, edit: (d: Loose) => void, code: 1 | 2, says: RegExp) =>
  add('native', name, edited(native(), edit), code, says);
add('native', 'truncated', JSON.stringify(native()).slice(0, 9000), 2, /truncated/);
// Cut through the last "é" (its first byte kept): the end is not valid UTF-8, yet it is cut JSON.
const accented = Buffer.from(JSON.stringify({...native(), note: 'é'.repeat(10)}));
add(
  'native',
  'truncated inside a multi-byte character',
  accented.subarray(0, accented.length - 3),
  2,
  /truncated/,
);
nat('version 3', (d) => (d.version = 3), 2, /version/);
nat(
  'version 2 without its pinned key',
  (d) => delete d.domain.reportKey,
  2,
  /needs domain\.reportKey/,
);
nat('quorum.required as a string', (d) => (d.quorum.required = '3'), 2, /quorum\.required/);
nat('quorum.required 11', (d) => (d.quorum.required = 11), 2, /quorum\.required/);
nat('quorum.required 1', (d) => (d.quorum.required = 1), 2, /quorum\.required/);
nat('quorum.required 1e308', (d) => (d.quorum.required = 1e308), 2, /quorum\.required/);
nat('quorum.total 2', (d) => (d.quorum.total = 2), 2, /quorum\.total/);
nat(
  'required above total',
  (d) => Object.assign(d.quorum, {required: 5, total: 4}),
  2,
  /larger than quorum\.total|quorum\.total is 4/,
);
nat('holders as an object', (d) => (d.holders = {}), 2, /holders/);
nat('a holder of 1024 bits', (d) => (d.holders[0].bits = 1024), 2, /holders\[0\]\.bits/);
nat(
  'a created date that is not one',
  (d) => (d.domain.created = 'yesterday'),
  2,
  /domain\.created/,
);
nat('a domain id that is not a UUID', (d) => (d.domain.id = 'x'), 2, /domain\.id/);
nat('a negative key count', (d) => (d.manifest.keyCount = -1), 2, /manifest\.keyCount/);
nat('an unknown payload cipher', (d) => (d.payload.alg = 'A128CBC'), 2, /payload\.alg/);
nat(
  'a certificate that is not base64',
  (d) => (d.holders[0].certificate = '%%%'),
  2,
  /holders\[0\]\.certificate/,
);
nat(
  'an unknown key a megabyte long',
  (d) => (d['k'.repeat(1024 * 1024)] = 1),
  2,
  /Unrecognized key: "kkkk/,
);
nat(
  'an unknown key holding a newline and escape codes',
  (d) => (d['evil\n\u001b[2J\u009b31m'] = 1),
  2,
  /Unrecognized key/,
);
nat(
  'a host name 20 MB long',
  (d) => (d.domain.hsmName = 'h'.repeat(20 * 1024 * 1024)),
  2,
  /hsmName/,
);
nat('a holder listed twice', (d) => (d.holders[1] = d.holders[0]), 2, /holders\[1\]/);
nat('a share listed twice', (d) => (d.shares[1] = d.shares[0]), 2, /shares\[1\]/);
nat('a manifest key count that lies', (d) => (d.manifest.keyCount += 1), 2, /keyCount/);

// Native: it opens, but a check fails.
nat(
  'a tampered payload',
  (d) => (d.payload.ciphertext = flipBase64(d.payload.ciphertext, 100)),
  1,
  /fails authentication/,
);
nat(
  'a payload tag cut to 8 bytes',
  (d) => (d.payload.tag = Buffer.from(d.payload.tag, 'base64').subarray(0, 8).toString('base64')),
  1,
  /fails authentication/,
);
nat(
  'a tampered key check',
  (d) => (d.keyCheck = flipBase64(d.keyCheck)),
  1,
  /header .* was altered/,
);
nat(
  'a tampered share (alice)',
  (d) => (d.shares[0].ciphertext = flipBase64(d.shares[0].ciphertext, 40)),
  1,
  /share of holder 1 \(alice\) does not open/,
);
nat(
  'a garbage share (alice)',
  (d) => (d.shares[0].ciphertext = randomBytes(256).toString('base64')),
  1,
  /share of holder 1 \(alice\) does not open/,
);
nat('an altered quorum (3 → 2)', (d) => (d.quorum.required = 2), 1, /altered/);

// Azure: structure.
const az = (name: string, edit: (d: Loose) => void, code: 1 | 2, says: RegExp) =>
  add('azure', name, edited(azure(), edit), code, says);
add('azure', 'truncated', JSON.stringify(azure()).slice(0, 5000), 2, /truncated/);
az('no EncData', (d) => delete d.EncData, 2, /neither an sd-drill nor an Azure/);
az('required 1', (d) => (d.SharedKeys.required = 1), 2, /required is 1; the quorum must be/);
az('required 11', (d) => (d.SharedKeys.required = 11), 2, /required is 11/);
az('required as a string', (d) => (d.SharedKeys.required = '2'), 2, /required is "2"/);
az('required 2.5', (d) => (d.SharedKeys.required = 2.5), 2, /required is 2\.5/);
az('required null', (d) => (d.SharedKeys.required = null), 2, /required is null/);
az('required missing', (d) => delete d.SharedKeys.required, 2, /required is missing/);
add(
  'azure',
  'required nested 100,000 deep',
  JSON.stringify(azure()).replace('"required":2', `"required":${deep(100_000)}`),
  2,
  /required is an array/,
);
az('required above the shares', (d) => (d.SharedKeys.required = 4), 2, /can never be recovered/);
az('no shares', (d) => (d.SharedKeys.enc_shares = []), 2, /enc_shares/);
az(
  'eleven shares',
  (d) => (d.SharedKeys.enc_shares = Array(11).fill(d.SharedKeys.enc_shares[0])),
  2,
  /at most 10/,
);
az('enc_shares as an object', (d) => (d.SharedKeys.enc_shares = {}), 2, /enc_shares/);
az(
  'another sharing scheme',
  (d) => (d.SharedKeys.key_algorithm = 'xor'),
  2,
  /key_algorithm is "xor"/,
);
az(
  'a megabyte-long sharing scheme',
  (d) => (d.SharedKeys.key_algorithm = 'x'.repeat(1 << 20)),
  2,
  /key_algorithm is "xxx/,
);
az('an unknown KDF', (d) => (d.EncData.kdf = 'hkdf'), 2, /kdf is "hkdf"/);
az(
  'a thumbprint that is not base64url',
  (d) => (d.SharedKeys.enc_shares[0].x5t_256 = '!!'),
  2,
  /x5t_256/,
);
az(
  'a share that is not a JWE',
  (d) => (d.SharedKeys.enc_shares[0].enc_key = 'garbage'),
  1,
  /share 1 \(certificate x5t#S256 .*\) of .* is damaged: its enc_key has 1 segments/,
);
az(
  'a share header nested 100,000 deep',
  (d) =>
    (d.SharedKeys.enc_shares[0].enc_key = jweEdit(
      d.SharedKeys.enc_shares[0].enc_key,
      0,
      header(`{"alg":"RSA-OAEP-256","enc":${deep(100_000)}}`),
    )),
  1,
  /share 1 \(certificate x5t#S256 .*\) of .* is damaged: its enc_key uses content encryption an array/,
);
az(
  'a share with A256GCM',
  (d) =>
    (d.SharedKeys.enc_shares[0].enc_key = jweEdit(
      d.SharedKeys.enc_shares[0].enc_key,
      0,
      header('{"alg":"RSA-OAEP-256","enc":"A256GCM"}'),
    )),
  1,
  /share 1 \(certificate x5t#S256 .*\) of .* is damaged: its enc_key uses content encryption "A256GCM"/,
);
az(
  'a share wrapped with RSA1_5',
  (d) =>
    (d.SharedKeys.enc_shares[0].enc_key = jweEdit(
      d.SharedKeys.enc_shares[0].enc_key,
      0,
      header('{"alg":"RSA1_5","enc":"A256CBC-HS512"}'),
    )),
  1,
  /share 1 \(certificate x5t#S256 .*\) of .* is damaged: its enc_key uses key wrapping "RSA1_5"/,
);
az(
  'a compressed share',
  (d) =>
    (d.SharedKeys.enc_shares[0].enc_key = jweEdit(
      d.SharedKeys.enc_shares[0].enc_key,
      0,
      header('{"alg":"RSA-OAEP-256","enc":"A256CBC-HS512","zip":"DEF"}'),
    )),
  1,
  /share 1 \(certificate x5t#S256 .*\) of .* is damaged: its enc_key .*compressed/,
);
az(
  'a share tag cut to 16 bytes',
  (d) =>
    (d.SharedKeys.enc_shares[0].enc_key = jweEdit(d.SharedKeys.enc_shares[0].enc_key, 4, (b) =>
      b.subarray(0, 16),
    )),
  1,
  /share 1 \(certificate x5t#S256 .*\) of .* is damaged: its enc_key has a 16-byte authentication tag/,
);
az(
  'a blob tag cut to 16 bytes',
  (d) =>
    (d.EncData.data[0].compact_jwe = jweEdit(d.EncData.data[0].compact_jwe, 4, (b) =>
      b.subarray(0, 16),
    )),
  2,
  /16-byte authentication tag/,
);
az(
  'a blob tag cut to nothing',
  (d) =>
    (d.EncData.data[1].compact_jwe = jweEdit(d.EncData.data[1].compact_jwe, 4, () =>
      Buffer.alloc(0),
    )),
  2,
  /0-byte authentication tag/,
);
az(
  'a blob with an encrypted key',
  (d) =>
    (d.EncData.data[0].compact_jwe = jweEdit(d.EncData.data[0].compact_jwe, 1, () =>
      randomBytes(256),
    )),
  2,
  /encrypted-key segment/,
);
az(
  'a blob tag listed twice',
  (d) => (d.EncData.data[1].tag = d.EncData.data[0].tag),
  2,
  /the tag appears twice/,
);
az(
  'a blob tag holding escape codes',
  (d) => {
    d.EncData.data[1].tag = d.EncData.data[0].tag;
    d.EncData.data[0].tag = 'x\u001b]0;pwned\u0007';
  },
  1,
  /data blob "x\\u001b\]0;pwned\\u0007"/,
);
az(
  'a share listed twice',
  (d) => (d.SharedKeys.enc_shares[1] = d.SharedKeys.enc_shares[0]),
  1,
  // Holder 2's key is no holder of this file any more: refused as a stranger's, a check.
  /holder2\.pem: this key is not one of this domain's 3 wrapping keys .* is not a holder of .* opens none of its shares/,
);
(cases[cases.length - 1] as Case).viaKeys = true;

// Azure: it opens, but a check fails.
az(
  'a tampered data blob',
  (d) => (d.EncData.data[0].compact_jwe = jweEdit(d.EncData.data[0].compact_jwe, 3, flip)),
  1,
  /does not authenticate data blob "hsm_backup"/,
);
az(
  'a tampered share (holder 1)',
  (d) =>
    (d.SharedKeys.enc_shares[0].enc_key = jweEdit(d.SharedKeys.enc_shares[0].enc_key, 3, flip)),
  1,
  /share 1 \(certificate x5t#S256 .*\) of .* does not authenticate/,
);
az(
  'a garbage share key (holder 1)',
  (d) =>
    (d.SharedKeys.enc_shares[0].enc_key = jweEdit(d.SharedKeys.enc_shares[0].enc_key, 1, (b) =>
      randomBytes(b.length),
    )),
  1,
  /cannot unwrap share 1/,
);

let dir = '';
let store = '';
const outputs: CliResult[] = [];
const passphrases = [
  ...DEMO_HOLDERS.map((h) => secret(`${h}'s passphrase`, demoPassphrase(h))),
  secret('the Azure passphrase', AZURE_PASSPHRASE),
];

function keysFor(format: Format): string[] {
  if (format === 'native') {
    return [
      ...['alice', 'bob', 'carol'].flatMap((h) => ['--key', demoKey(h)]),
      '--passphrase-file',
      join(dir, 'native.pass'),
    ];
  }
  return [...AZURE_KEY_ARGS, '--passphrase-file', azurePassphraseFile];
}

/** Not files at all, or files too big to be one: refused before anything is read. */
const specials: Case[] = [
  {name: 'a missing path', path: () => join(dir, 'nowhere', 'sd.json'), says: /no such file/},
  {
    name: 'a directory',
    path: () => {
      const d = join(dir, 'a-directory.json');
      mkdirSync(d, {recursive: true});
      return d;
    },
    says: /is a directory/,
  },
  {
    name: 'a FIFO (nothing ever written to it)',
    path: () => {
      const f = join(dir, 'fifo.json');
      execFileSync('mkfifo', [f]);
      return f;
    },
    says: /FIFO/,
  },
  {name: 'a device', path: () => '/dev/zero', says: /is a device/},
  {
    name: 'a 65 MB file (sparse: refused by its size, never read)',
    path: () => {
      const f = join(dir, 'huge.json');
      const fd = openSync(f, 'w');
      ftruncateSync(fd, 65 * 1024 * 1024);
      closeSync(fd);
      return f;
    },
    says: /too large for a security-domain file/,
  },
].map((x) => ({...x, format: 'native' as const, content: '', code: 2 as const}));

/** One of each kind also runs end to end (the rest are the same code path in process). */
const END_TO_END = new Set([
  'native: empty',
  'native: binary',
  'native: a JSON array',
  'native: an array nested 200,000 deep',
  'native: truncated',
  'native: quorum.required as a string',
  'native: quorum.required 11',
  'native: an unknown key holding a newline and escape codes',
  'native: a host name 20 MB long',
  'native: a share listed twice',
  'azure: required nested 100,000 deep',
  'azure: a megabyte-long sharing scheme',
  'azure: a blob tag listed twice',
  ...specials.map((c) => `native: ${c.name}`),
]);

const title = (c: Case): string => `${c.format}: ${c.name}`;
const fileOf = new Map<Case, string>();

beforeAll(() => {
  dir = tmp('domains');
  store = tmp('domains-store');
  writeFileSync(
    join(dir, 'native.pass'),
    ['alice', 'bob', 'carol'].map((h) => demoPassphrase(h)).join('\n') + '\n',
  );
  for (const [i, c] of cases.entries()) {
    const file = join(dir, `${c.format}-${i}.json`);
    writeFileSync(file, c.content);
    fileOf.set(c, file);
  }
  for (const c of specials) fileOf.set(c, c.path?.() ?? '');
});

afterAll(() => {
  // Every refusal the CLI printed, read together: no passphrase in any of them.
  expect(outputs.length).toBe(endToEnd.length);
  expect(outputs.flatMap((o) => leaks(o.stdout + o.stderr, passphrases))).toEqual([]);
});

/** What `verify` would print for a file that does not open: the SdError, as cli.tsx does. */
function openProblems(file: string, c: Case): string[] {
  let r: ReturnType<typeof openDomainFile>;
  try {
    r = openDomainFile(file);
  } catch (error) {
    return [`threw: ${String(error)}`];
  }
  if (r.ok) return ['it opened'];
  const e = r.error;
  const problems = e instanceof SdError ? [] : ['not an SdError'];
  problems.push(...cleanErrorProblems(`sd-drill: ${e.message}\n`));
  if (e.exitCode !== c.code) problems.push(`exit ${e.exitCode}, expected ${c.code}`);
  if (!e.message.includes(file)) problems.push('does not name the file');
  if (!c.says.test(e.message)) problems.push(`does not say ${String(c.says)}`);
  return problems.map((p) => `${p} — ${e.message.slice(0, 300)}`);
}

const opening = [...cases, ...specials].filter((c) => c.code === 2 && !c.viaKeys);
const endToEnd = [
  ...cases.filter((c) => c.code === 1 || c.viaKeys),
  ...[...cases, ...specials].filter((c) => END_TO_END.has(title(c))),
];

describe('a hostile security-domain file is refused when it is opened: exit 2, one line', () => {
  it.each(opening.map((c) => [title(c), c] as const))('%s', (_title, c) => {
    expect(openProblems(fileOf.get(c) as string, c)).toEqual([]);
  });
});

describe.concurrent(
  'through `sd-drill verify`: one clean line naming the file, exit 2 or 1',
  () => {
    it.each(endToEnd.map((c) => [title(c), c] as const))(
      '%s',
      async (_title, c) => {
        const file = fileOf.get(c) as string;
        const r = await cli(['verify', '--sd', file, ...keysFor(c.format)], {
          store,
          timeout: 30_000,
        });
        outputs.push(r);
        expect(refusalProblems(r, {code: c.code, names: file, says: c.says})).toEqual([]);
      },
      30_000,
    );
  },
);

describe('the fixtures the cases are made from', () => {
  it('verify as they are (so each case fails for its one edit)', async () => {
    for (const [format, sd] of [
      ['native', demoSd],
      ['azure', azureSd],
    ] as const) {
      const r = await cli(['verify', '--sd', sd, ...keysFor(format)], {store});
      expect(r.code, r.stderr).toBe(0);
    }
  }, 30_000);
});
