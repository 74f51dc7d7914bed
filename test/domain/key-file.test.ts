/**
 * Holders bring whatever openssl made them. Every form must load to the same key (same public
 * key fingerprint), and everything that is not a usable wrapping key is refused with a line
 * that names the file and says why — without blocking on pipes or devices, and without ever
 * echoing a passphrase.
 */
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadCertificate, parsePrivateKey, sniff} from '../../source/domain/key-file.js';
import {loadPrivateKey, loadUnencryptedKey} from '../../source/domain/key-unlock.js';
import {fixturesDir} from '../helpers/paths.js';
import {openssl} from '../helpers/keys.js';
import {tempDir} from '../helpers/temp.js';

const PASS = 'tr0ub4dor & 3 horses';
const OTHER_PASS = 'c0rrect-staple';

let dir: string;
const f = (name: string): string => join(dir, name);
const pass = (p = PASS): Buffer => Buffer.from(p, 'utf8');

/** Each encoding of the one base key, by what openssl was asked for. */
interface Encoding {
  name: string;
  file: string;
  encrypted: boolean;
}
let encodings: Encoding[] = [];

function withText(name: string, from: string, edit: (text: string) => string): string {
  const text = readFileSync(f(from), 'latin1');
  writeFileSync(f(name), Buffer.from(edit(text), 'latin1'));
  return f(name);
}

beforeAll(() => {
  dir = tempDir('keyfile');
  const o = (...args: string[]): Buffer => openssl(args, dir);
  // One RSA-2048 key, re-encoded every way openssl can write it.
  o('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'pkcs8.pem');
  o('rsa', '-in', 'pkcs8.pem', '-traditional', '-out', 'pkcs1.pem');
  o('pkcs8', '-topk8', '-nocrypt', '-in', 'pkcs8.pem', '-outform', 'DER', '-out', 'pkcs8.der');
  o('rsa', '-in', 'pkcs8.pem', '-traditional', '-outform', 'DER', '-out', 'pkcs1.der');
  const pbes2 = ['-topk8', '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256'];
  o('pkcs8', ...pbes2, '-in', 'pkcs8.pem', '-passout', `pass:${PASS}`, '-out', 'enc-pkcs8.pem');
  o(
    'pkcs8',
    ...pbes2,
    '-in',
    'pkcs8.pem',
    '-outform',
    'DER',
    '-passout',
    `pass:${PASS}`,
    '-out',
    'enc-pkcs8.der',
  );
  o(
    'pkcs8',
    '-topk8',
    '-scrypt',
    '-in',
    'pkcs8.pem',
    '-passout',
    `pass:${PASS}`,
    '-out',
    'enc-pkcs8-scrypt.pem',
  );
  // The pre-1.1 default, still met on old sticks: PKCS#12 PBE with SHA-1 and 3DES.
  const v1 = ['-topk8', '-v1', 'PBE-SHA1-3DES', '-in', 'pkcs8.pem', '-passout', `pass:${PASS}`];
  o('pkcs8', ...v1, '-out', 'enc-pkcs8-v1.pem');
  o('pkcs8', ...v1, '-outform', 'DER', '-out', 'enc-pkcs8-v1.der');
  o(
    'rsa',
    '-in',
    'pkcs8.pem',
    '-aes256',
    '-traditional',
    '-passout',
    `pass:${PASS}`,
    '-out',
    'enc-traditional.pem',
  );
  o('req', '-new', '-x509', '-key', 'pkcs8.pem', '-subj', '/CN=x', '-days', '30', '-out', 'c.pem');
  o('x509', '-in', 'c.pem', '-outform', 'DER', '-out', 'c.der');
  // A second key made encrypted from the start, as `genrsa -traditional -aes256` does.
  o('genrsa', '-traditional', '-aes256', '-passout', `pass:${PASS}`, '-out', 'genrsa-trad.pem');
  o('ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', 'ec.pem');
  o('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', 'rsa1024.pem');

  // Files edited on Windows or by hand.
  const crlf = (t: string): string => t.replace(/\n/g, '\r\n');
  const bom = (t: string): string => `\xef\xbb\xbf${t}`;
  const trailing = (t: string): string => t.replace(/\n/g, ' \t \n');
  withText('pkcs8-crlf.pem', 'pkcs8.pem', crlf);
  withText('pkcs1-bom.pem', 'pkcs1.pem', bom);
  withText('pkcs8-trailing.pem', 'pkcs8.pem', trailing);
  withText('enc-pkcs8-all.pem', 'enc-pkcs8.pem', (t) => bom(crlf(trailing(t))));
  withText('enc-traditional-crlf-bom.pem', 'enc-traditional.pem', (t) => bom(crlf(t)));
  withText('enc-traditional-trailing.pem', 'enc-traditional.pem', trailing);
  withText('c-crlf-bom.pem', 'c.pem', (t) => bom(crlf(trailing(t))));
  // Things that are not key files at all.
  const pem = readFileSync(f('pkcs8.pem'), 'latin1');
  writeFileSync(f('huge.pem'), pem + ' '.repeat(1024 * 1024));
  writeFileSync(f('edge.pem'), pem + '\n'.repeat(1024 * 1024 - pem.length));
  mkdirSync(f('a-folder.key'));
  execFileSync('mkfifo', [f('pipe.key')]);

  encodings = [
    {name: 'PKCS#8 PEM', file: 'pkcs8.pem', encrypted: false},
    {name: 'PKCS#1 PEM', file: 'pkcs1.pem', encrypted: false},
    {name: 'PKCS#8 DER', file: 'pkcs8.der', encrypted: false},
    {name: 'PKCS#1 DER', file: 'pkcs1.der', encrypted: false},
    {name: 'encrypted PKCS#8 PEM (PBES2)', file: 'enc-pkcs8.pem', encrypted: true},
    {name: 'encrypted PKCS#8 DER (PBES2)', file: 'enc-pkcs8.der', encrypted: true},
    {name: 'encrypted PKCS#8 PEM (scrypt)', file: 'enc-pkcs8-scrypt.pem', encrypted: true},
    {name: 'encrypted PKCS#8 PEM (PBE-SHA1-3DES)', file: 'enc-pkcs8-v1.pem', encrypted: true},
    {name: 'encrypted PKCS#8 DER (PBE-SHA1-3DES)', file: 'enc-pkcs8-v1.der', encrypted: true},
    {name: 'traditional encrypted PEM', file: 'enc-traditional.pem', encrypted: true},
    {name: 'PKCS#8 PEM, CRLF', file: 'pkcs8-crlf.pem', encrypted: false},
    {name: 'PKCS#1 PEM, BOM', file: 'pkcs1-bom.pem', encrypted: false},
    {name: 'PKCS#8 PEM, trailing whitespace', file: 'pkcs8-trailing.pem', encrypted: false},
    {name: 'encrypted PKCS#8, BOM+CRLF+trailing', file: 'enc-pkcs8-all.pem', encrypted: true},
    {
      name: 'traditional encrypted, BOM+CRLF',
      file: 'enc-traditional-crlf-bom.pem',
      encrypted: true,
    },
    {
      name: 'traditional encrypted, trailing whitespace',
      file: 'enc-traditional-trailing.pem',
      encrypted: true,
    },
  ].map((e) => ({...e, file: f(e.file)}));
});

afterAll(() => {
  if (dir) rmSync(dir, {recursive: true, force: true});
});

/** The public key fingerprint openssl itself computes: SHA-256 of the SPKI DER. */
function opensslSpkiFingerprint(keyFile: string, passphrase?: string): string {
  const passin = passphrase === undefined ? [] : ['-passin', `pass:${passphrase}`];
  const der = openssl(['pkey', '-in', keyFile, ...passin, '-pubout', '-outform', 'DER']);
  return createHash('sha256').update(der).digest('hex');
}

describe('loading wrapping keys in every form openssl writes', () => {
  it('loads each encoding as a 2048-bit RSA key and says whether it was encrypted', async () => {
    for (const e of encodings) {
      const r = await loadPrivateKey(e.file, e.encrypted ? pass() : undefined);
      expect(r.ok, `${e.name}: ${r.ok ? '' : r.error.message}`).toBe(true);
      if (!r.ok) continue;
      expect(r.value.bits, e.name).toBe(2048);
      expect(r.value.encrypted, e.name).toBe(e.encrypted);
      expect(r.value.file, e.name).toBe(e.file);
    }
  });

  it('gives one public-key fingerprint across every encoding, equal to openssl’s', async () => {
    const expected = opensslSpkiFingerprint(f('pkcs8.pem'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...encodings), async (e) => {
        const r = await loadPrivateKey(e.file, e.encrypted ? pass() : undefined);
        return r.ok && r.value.spkiFingerprint === expected;
      }),
      {numRuns: 40},
    );
    // Every encoding, not just the ones the sampler happened to draw.
    const fps = new Set(
      await Promise.all(
        encodings.map(async (e) => {
          const r = await loadPrivateKey(e.file, e.encrypted ? pass() : undefined);
          return r.ok ? r.value.spkiFingerprint : `failed ${e.name}`;
        }),
      ),
    );
    expect([...fps]).toEqual([expected]);
  });

  it('loads a key made encrypted by `openssl genrsa -traditional -aes256`', async () => {
    const file = f('genrsa-trad.pem');
    expect(readFileSync(file, 'latin1')).toMatch(/Proc-Type: 4,ENCRYPTED/);
    const r = await loadPrivateKey(file, pass());
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.encrypted).toBe(true);
      expect(r.value.spkiFingerprint).toBe(opensslSpkiFingerprint(file, PASS));
    }
  });

  it('sniffs encrypted keys as encrypted without a passphrase', () => {
    for (const e of encodings) {
      const kind = sniff(readFileSync(e.file)).kind;
      expect(kind, e.name).toBe(e.encrypted ? 'encrypted-private-key' : 'private-key');
    }
  });
});

describe('passphrases', () => {
  const encrypted = (): Encoding[] => encodings.filter((e) => e.encrypted);

  it('refuses an encrypted key without a passphrase: passphrase-required, naming the file', async () => {
    for (const e of [...encrypted(), {name: 'genrsa', file: f('genrsa-trad.pem')}]) {
      for (const p of [undefined, Buffer.alloc(0)]) {
        const r = await loadPrivateKey(e.file, p);
        expect(r.ok, e.name).toBe(false);
        if (r.ok) continue;
        expect(r.error.reason, e.name).toBe('passphrase-required');
        expect(r.error.kind).toBe('input');
        expect(r.error.message).toContain(e.file);
      }
    }
  });

  it('says "wrong passphrase for FILE" for PKCS#8 and traditional PEM alike', async () => {
    const files = [
      f('enc-pkcs8.pem'),
      f('enc-pkcs8.der'),
      f('enc-pkcs8-v1.der'),
      f('enc-traditional.pem'),
      f('genrsa-trad.pem'),
    ];
    for (const file of files) {
      const r = await loadPrivateKey(file, pass(OTHER_PASS));
      expect(r.ok, file).toBe(false);
      if (r.ok) continue;
      expect(r.error.reason, file).toBe('wrong-passphrase');
      expect(r.error.message.startsWith(`wrong passphrase for ${file}`), r.error.message).toBe(
        true,
      );
      expect(r.error.message).not.toContain(OTHER_PASS);
    }
  });

  it('any wrong passphrase is wrong-passphrase, with a message that cannot contain it', () => {
    const files = [f('enc-pkcs8.pem'), f('enc-pkcs8.der'), f('enc-traditional.pem')];
    const bytes = new Map(files.map((file) => [file, readFileSync(file)]));
    fc.assert(
      fc.property(
        fc.constantFrom(...files),
        fc.string({minLength: 1, maxLength: 40}).filter((s) => s !== PASS),
        (file, wrong) => {
          const r = parsePrivateKey(file, bytes.get(file) as Buffer, Buffer.from(wrong, 'utf8'));
          // The message is one of two fixed texts about the file, so it holds nothing typed.
          return (
            !r.ok &&
            r.error.reason === 'wrong-passphrase' &&
            [
              `wrong passphrase for ${file}`,
              `wrong passphrase for ${file} (or the key is damaged)`,
            ].includes(r.error.message)
          );
        },
      ),
      {numRuns: 25},
    );
  });

  it('ignores a passphrase given for an unencrypted key', async () => {
    const r = await loadPrivateKey(f('pkcs8.pem'), pass());
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.encrypted).toBe(false);
  });
});

describe('certificates', () => {
  it('loads PEM and DER certificates; certFingerprint is SHA-256 of the DER', () => {
    const der = readFileSync(f('c.der'));
    const expected = createHash('sha256').update(der).digest('hex');
    const key = loadUnencryptedKey(f('pkcs8.pem'));
    expect(key.ok).toBe(true);
    for (const file of [f('c.pem'), f('c.der'), f('c-crlf-bom.pem')]) {
      const c = loadCertificate(file);
      expect(c.ok, file).toBe(true);
      if (!c.ok || !key.ok) continue;
      expect(c.value.certFingerprint, file).toBe(expected);
      expect(c.value.spkiFingerprint, file).toBe(key.value.spkiFingerprint);
      expect(c.value.bits).toBe(2048);
      expect(c.value.subject).toContain('CN=x');
    }
  });

  it('refuses a private key given as a certificate, naming the file', () => {
    const c = loadCertificate(f('pkcs8.pem'));
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.error.reason).toBe('key-not-cert');
      expect(c.error.message).toContain(f('pkcs8.pem'));
    }
  });
});

describe('refusals name the file and say why', () => {
  const refused = (file: string): {reason: string; message: string} => {
    const r = loadUnencryptedKey(file);
    if (r.ok) throw new Error(`${file} was accepted`);
    expect(r.error.kind).toBe('input');
    expect(r.error.message).toContain(file);
    return {reason: r.error.reason, message: r.error.message};
  };

  it('an EC key', () => {
    for (const file of [f('ec.pem'), join(fixturesDir, 'bad', 'ec-p256.key')]) {
      const r = refused(file);
      expect(r.reason).toBe('not-rsa');
      expect(r.message).toMatch(/EC .*must be RSA/);
    }
  });

  it('an RSA-1024 key', () => {
    for (const file of [f('rsa1024.pem'), join(fixturesDir, 'bad', 'rsa-1024.key')]) {
      const r = refused(file);
      expect(r.reason).toBe('rsa-too-small');
      expect(r.message).toMatch(/1024-bit.*at least 2048/);
    }
  });

  it('a certificate given as a key', () => {
    for (const file of [
      f('c.pem'),
      f('c.der'),
      join(fixturesDir, 'bad', 'certificate-as-key.key'),
    ]) {
      const r = refused(file);
      expect(r.reason).toBe('cert-not-key');
      expect(r.message).toMatch(/is a certificate, not a private key/);
    }
  });

  it('a file that is not a key', () => {
    const r = refused(join(fixturesDir, 'bad', 'not-a-key.key'));
    expect(r.reason).toBe('not-a-key');
  });

  it('a file over 1 MiB, without reading it as a key', () => {
    const r = refused(f('huge.pem'));
    expect(r.reason).toBe('too-large');
    expect(r.message).toMatch(/too large/);
  });

  it('a file of exactly 1 MiB is still read (the limit is inclusive)', () => {
    expect(readFileSync(f('edge.pem')).length).toBe(1024 * 1024);
    expect(loadUnencryptedKey(f('edge.pem')).ok).toBe(true);
  });

  it('a directory', () => {
    const r = refused(f('a-folder.key'));
    expect(r.reason).toBe('not-a-file');
    expect(r.message).toMatch(/directory/);
  });

  it('a FIFO, without blocking on it', () => {
    // No writer ever opens the pipe: a blocking open or read would hang the test until timeout.
    const r = refused(f('pipe.key'));
    expect(r.reason).toBe('not-a-file');
    expect(r.message).toMatch(/FIFO/);
  });

  it('a device such as /dev/zero, refused as a device rather than read', () => {
    for (const dev of ['/dev/zero', '/dev/null', '/dev/urandom']) {
      const r = refused(dev);
      expect(r.reason).toBe('not-a-file');
      expect(r.message).toMatch(/device/);
    }
  });

  it('a missing path', () => {
    const r = refused(f('nowhere/alice.key'));
    expect(r.reason).toBe('unreadable');
    expect(r.message).toMatch(/no such file/);
  });

  it('a truncated key', () => {
    const file = withText('cut.pem', 'pkcs8.pem', (t) => {
      const lines = t.split('\n');
      return [...lines.slice(0, 10), ...lines.slice(-2)].join('\n');
    });
    const r = refused(file);
    expect(['malformed-key', 'not-a-key']).toContain(r.reason);
  });

  it('never puts the passphrase into a refusal message', async () => {
    const files = [
      f('ec.pem'),
      f('rsa1024.pem'),
      f('c.pem'),
      f('huge.pem'),
      f('pipe.key'),
      '/dev/zero',
      f('enc-pkcs8.pem'),
      f('enc-traditional.pem'),
    ];
    for (const file of files) {
      const r = await loadPrivateKey(file, pass(OTHER_PASS));
      if (r.ok) throw new Error(`${file} was accepted`);
      expect(r.error.message).not.toContain(OTHER_PASS);
    }
  });
});
