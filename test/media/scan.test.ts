import {execFileSync} from 'node:child_process';
import {mkdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {describeFolder} from '../../source/media/discover.js';
import {MAX_SCAN_ENTRIES, scanStick} from '../../source/media/scan.js';
import {
  certificatePem,
  certSha256,
  encryptedPkcs8Pem,
  makeStick,
  mediaDir,
  pemToDer,
  pkcs1DerKey,
  spkiSha256,
  testKey,
} from './sticks.js';

const root = mediaDir('scan');
afterAll(() => rmSync(root, {recursive: true, force: true}));

const folder = (path: string) => describeFolder(path, null);

describe('scanStick: keys and certificates by content', () => {
  it('a plain key with its certificate: fingerprint is the certificate DER SHA-256', async () => {
    const key = testKey(0);
    const cert = certificatePem(key, 'alice');
    const stick = makeStick(root, 'a', {'alice.key': key.pem, 'alice.cer': cert});
    const scan = await scanStick(folder(stick));
    expect(scan.status).toBe('complete');
    expect(scan.keys).toEqual([
      expect.objectContaining({
        name: 'alice.key',
        file: join(stick, 'alice.key'),
        encrypted: false,
        fingerprint: certSha256(cert),
        fingerprintKind: 'certificate',
        spkiFingerprint: spkiSha256(key),
        certificate: join(stick, 'alice.cer'),
        bits: 2048,
        note: null,
      }),
    ]);
    expect(scan.certificates).toEqual([
      expect.objectContaining({
        name: 'alice.cer',
        kind: 'certificate',
        fingerprint: certSha256(cert),
      }),
    ]);
  });

  it('names do not matter: a DER key "notes.txt" and a DER cert "photo.jpg" one folder down match by public key', async () => {
    const key = testKey(1);
    const cert = certificatePem(key);
    const stick = makeStick(root, 'der', {
      'backup/notes.txt': pkcs1DerKey(key),
      'backup/photo.jpg': pemToDer(cert),
    });
    const scan = await scanStick(folder(stick));
    expect(scan.keys).toEqual([
      expect.objectContaining({
        name: join('backup', 'notes.txt'),
        encoding: 'der',
        encrypted: false,
        fingerprint: certSha256(cert),
        certificate: join(stick, 'backup', 'photo.jpg'),
      }),
    ]);
    expect(scan.certificates.map((c) => [c.name, c.encoding])).toEqual([
      [join('backup', 'photo.jpg'), 'der'],
    ]);
  });

  it('an encrypted key with no certificate: fingerprint null and a note saying why', async () => {
    const stick = makeStick(root, 'b', {
      'bob.key': encryptedPkcs8Pem(testKey(2), 'correct horse'),
      'README.txt': 'Bob key stick. Keep in the safe.\n',
    });
    symlinkSync('/etc/passwd', join(stick, 'passwd.key'));
    const scan = await scanStick(folder(stick));
    expect(scan.keys).toEqual([
      expect.objectContaining({
        name: 'bob.key',
        encrypted: true,
        fingerprint: null,
        fingerprintKind: null,
        spkiFingerprint: null,
        note: expect.stringMatching(/only after its passphrase opens it/),
      }),
    ]);
    expect(scan.refused).toEqual([
      expect.objectContaining({
        name: 'passwd.key',
        code: 'symlink-leaves-stick',
        reason: expect.stringMatching(/leaves the stick/),
      }),
    ]);
    expect(scan.ignored).toBe(1); // the README: peeked at, not key material, not listed
  });

  it('an encrypted key with the same-stem certificate takes its fingerprint, noted as by name', async () => {
    const key = testKey(3);
    const cert = certificatePem(key);
    const stick = makeStick(root, 'c', {
      'carol.pem': encryptedPkcs8Pem(key, 'pw'),
      'carol.crt': cert,
    });
    const scan = await scanStick(folder(stick));
    expect(scan.keys[0]).toMatchObject({
      encrypted: true,
      fingerprint: certSha256(cert),
      fingerprintKind: 'certificate',
      note: expect.stringMatching(/matched to carol\.crt by file name/),
    });
  });

  it('traditional encrypted PEM (Proc-Type) is recognised as encrypted', async () => {
    const pem = execFileSync('openssl', ['rsa', '-aes256', '-traditional', '-passout', 'pass:pw'], {
      input: testKey(0).pem,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stick = makeStick(root, 'trad', {'k.pem': pem});
    const scan = await scanStick(folder(stick));
    expect(scan.keys[0]).toMatchObject({encrypted: true, fingerprint: null});
  });

  it("a certificate beside a key but for another key is not used; the key's SPKI is", async () => {
    const stick = makeStick(root, 'mixed', {
      'dave.key': testKey(0).pem,
      'dave.cer': certificatePem(testKey(1)),
    });
    const scan = await scanStick(folder(stick));
    expect(scan.keys[0]).toMatchObject({
      fingerprint: spkiSha256(testKey(0)),
      fingerprintKind: 'spki',
      certificate: null,
      note: expect.stringMatching(/dave\.cer beside it is for a different key/),
    });
  });

  it('a PEM bundle (key and certificate in one file) is matched to its own certificate', async () => {
    const key = testKey(2);
    const cert = certificatePem(key);
    const stick = makeStick(root, 'bundle', {
      'erin.pem': `${encryptedPkcs8Pem(key, 'pw')}${cert}`,
    });
    const scan = await scanStick(folder(stick));
    expect(scan.keys[0]).toMatchObject({
      encrypted: true,
      fingerprint: certSha256(cert),
      certificate: join(stick, 'erin.pem'),
    });
  });

  it('looks one folder down, no further; system folders are not entered', async () => {
    const key = testKey(0).pem;
    const stick = makeStick(root, 'deep', {
      'one/k.key': key,
      'one/two/k.key': key,
      '.Trashes/501/k.key': key,
      'System Volume Information/k.key': key,
    });
    const scan = await scanStick(folder(stick));
    expect(scan.keys.map((k) => k.name)).toEqual([join('one', 'k.key')]);
  });

  it('a symlink that stays on the stick is not followed (and says so); a broken one too', async () => {
    const stick = makeStick(root, 'links', {'real.key': testKey(0).pem});
    symlinkSync('real.key', join(stick, 'current.key'));
    symlinkSync('nowhere', join(stick, 'broken.key'));
    symlinkSync('/etc', join(stick, 'etc'));
    const scan = await scanStick(folder(stick));
    expect(scan.keys.map((k) => k.name)).toEqual(['real.key']);
    expect(scan.refused.map((r) => [r.name, r.code])).toEqual([
      ['broken.key', 'symlink'],
      ['current.key', 'symlink'],
      ['etc', 'symlink-leaves-stick'],
    ]);
  });

  it('public keys and damaged keys: public keys ignored, a damaged key listed with its problem', async () => {
    const stick = makeStick(root, 'odd', {
      'pub.pem':
        '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n',
      'bad.key':
        '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n',
    });
    const scan = await scanStick(folder(stick));
    expect(scan.keys).toEqual([
      expect.objectContaining({
        name: 'bad.key',
        fingerprint: null,
        note: expect.stringMatching(/damaged/),
      }),
    ]);
    expect(scan.ignored).toBe(1);
  });
});

describe('scanStick: hostile sticks', () => {
  it('a FIFO named x.key, a 2 MB "key" and a thousand other files: refused with reasons, no hang', async () => {
    const stick = makeStick(root, 'hostile', {'good.key': testKey(0).pem});
    execFileSync('mkfifo', [join(stick, 'x.key')]);
    writeFileSync(join(stick, 'huge.key'), Buffer.alloc(2 * 1024 * 1024, 0x41));
    mkdirSync(join(stick, 'junk'));
    for (let i = 0; i < 1000; i++) {
      writeFileSync(join(stick, i < 500 ? '' : 'junk', `file-${i}.txt`), `just some text ${i}\n`);
    }
    const started = performance.now();
    const scan = await scanStick(folder(stick));
    console.log(
      `scanned ${scan.entries} entries in ${(performance.now() - started).toFixed(0)} ms`,
    );
    expect(scan.status).toBe('complete');
    expect(scan.keys.map((k) => k.name)).toEqual(['good.key']);
    expect(scan.refused).toEqual([
      expect.objectContaining({
        name: 'huge.key',
        code: 'too-large',
        reason: expect.stringMatching(/too large: 2097152 bytes/),
      }),
      expect.objectContaining({
        name: 'x.key',
        code: 'not-a-file',
        reason: expect.stringMatching(/FIFO/),
      }),
    ]);
    expect(scan.ignored).toBe(1000);
  });

  it(`stops after ${MAX_SCAN_ENTRIES} entries and says so`, async () => {
    const stick = makeStick(root, 'crowded', {});
    for (let i = 0; i < MAX_SCAN_ENTRIES + 200; i++) writeFileSync(join(stick, `f${i}`), '');
    const scan = await scanStick(folder(stick));
    expect(scan.status).toBe('truncated');
    expect(scan.entries).toBe(MAX_SCAN_ENTRIES);
    expect(scan.refused).toEqual([
      expect.objectContaining({
        code: 'entry-limit',
        reason: expect.stringMatching(/stopped after 5000 entries/),
      }),
    ]);
  });

  it('the cap counts entries one folder down too', async () => {
    const stick = makeStick(root, 'crowded-sub', {'a.key': testKey(0).pem});
    mkdirSync(join(stick, 'sub'));
    for (let i = 0; i < 30; i++) writeFileSync(join(stick, 'sub', `f${i}`), '');
    const scan = await scanStick(folder(stick), {maxEntries: 10});
    expect(scan).toMatchObject({status: 'truncated', entries: 10});
    expect(scan.keys.map((k) => k.name)).toEqual(['a.key']);
  });

  it('a stick that is gone is a "gone" result, not an exception', async () => {
    const stick = makeStick(root, 'pulled', {'k.key': testKey(0).pem});
    const described = folder(stick);
    rmSync(stick, {recursive: true});
    const scan = await scanStick(described);
    expect(scan).toMatchObject({status: 'gone', keys: []});
    expect(scan.refused[0]).toMatchObject({code: 'stick-gone'});
  });

  it('a mount point left behind by a pulled stick (another filesystem now) is "gone"', async () => {
    const stick = makeStick(root, 'emptied', {});
    const scan = await scanStick({...folder(stick), rootDev: -12345});
    expect(scan.status).toBe('gone');
  });
});
