/**
 * A hostile key file costs seconds at most (issue 21, hole 6): the cost a key's PBES2
 * parameters ask for is read before anything is derived, and refused above the caps; a key
 * opens off the main thread, so the ceremony answers keys (q, Ctrl-C, the idle limit) while it
 * does.
 */
import {createPrivateKey, randomBytes} from 'node:crypto';
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import forge from 'node-forge';
import {describe, expect, it} from 'vitest';
import {encryptPrivateKey} from '../../source/domain/key-encryption.js';
import {
  keyEncryption,
  MAX_LEGACY_ITERATIONS,
  MAX_PBKDF2_ITERATIONS,
} from '../../source/domain/key-kdf.js';
import {loadPrivateKey} from '../../source/domain/key-unlock.js';
import {DrillSession} from '../../source/drill/session.js';
import {describeFolder} from '../../source/media/discover.js';
import {wipe} from '../../source/secret.js';
import {demoKey, demoPassphrase, demoSd} from '../helpers/paths.js';
import {cleanErrorProblems, runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';

const {asn1} = forge;
const seq = (...items: forge.asn1.Asn1[]) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const oid = (id: string) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const octets = (b: Buffer) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, b.toString('binary'));
/** A DER INTEGER of any size, big-endian, as a hostile file would write it. */
const integer = (n: bigint) => {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.INTEGER,
    false,
    Buffer.from(hex, 'hex').toString('binary'),
  );
};
const pem = (der: forge.asn1.Asn1): string =>
  `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${Buffer.from(asn1.toDer(der).getBytes(), 'binary')
    .toString('base64')
    .replace(/.{64}/g, '$&\n')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;

/** An EncryptedPrivateKeyInfo asking for `kdf`; its ciphertext is noise (never reached). */
function hostile(kdf: forge.asn1.Asn1): string {
  return pem(
    seq(
      seq(
        oid('1.2.840.113549.1.5.13'),
        seq(kdf, seq(oid('2.16.840.1.101.3.4.1.42'), octets(randomBytes(16)))),
      ),
      octets(randomBytes(1232)),
    ),
  );
}
const pbkdf2 = (iterations: bigint) =>
  seq(
    oid('1.2.840.113549.1.5.12'),
    seq(
      octets(randomBytes(16)),
      integer(iterations),
      seq(oid('1.2.840.113549.2.9'), asn1.create(0, 5, false, '')),
    ),
  );
const scrypt = (N: bigint, r: bigint, p: bigint) =>
  seq(
    oid('1.3.6.1.4.1.11591.4.11'),
    seq(octets(randomBytes(16)), integer(N), integer(r), integer(p)),
  );
const pbeSha1Des3 = (iterations: bigint) =>
  pem(
    seq(
      seq(oid('1.2.840.113549.1.12.1.3'), seq(octets(randomBytes(8)), integer(iterations))),
      octets(randomBytes(1232)),
    ),
  );

const derOf = (text: string): Buffer =>
  Buffer.from(text.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');

describe('a key file’s derivation cost is read before anything is derived', () => {
  it('refuses PBKDF2 counts above the cap, and scrypt and old-scheme costs above theirs', () => {
    for (const [text, why] of [
      [hostile(pbkdf2(2n ** 31n - 1n)), /asks for 2,147,483,647 PBKDF2 iterations/],
      [hostile(pbkdf2(BigInt(MAX_PBKDF2_ITERATIONS) + 1n)), /10,000,001 PBKDF2 iterations/],
      [hostile(pbkdf2(2n ** 80n)), /more than 2\^53 PBKDF2 iterations/],
      [hostile(scrypt(2n ** 30n, 8n, 1n)), /scrypt with N=1,073,741,824/],
      [hostile(scrypt(2n ** 14n, 8n, 64n)), /scrypt with N=16,384, r=8, p=64/],
      [pbeSha1Des3(BigInt(MAX_LEGACY_ITERATIONS) + 1n), /100,001 iterations of an old/],
    ] as const) {
      const r = keyEncryption(derOf(text));
      expect(r).toMatchObject({kind: 'refused'});
      if (r.kind === 'refused') expect(r.why).toMatch(why);
    }
    // At the caps and below, nothing is refused.
    expect(keyEncryption(derOf(hostile(pbkdf2(BigInt(MAX_PBKDF2_ITERATIONS))))).kind).toBe('pbes2');
    expect(keyEncryption(derOf(hostile(scrypt(2n ** 14n, 8n, 1n)))).kind).toBe('pbes2');
    expect(keyEncryption(derOf(pbeSha1Des3(2048n))).kind).toBe('legacy');
  });

  it('`verify` with a 2^31 − 1-iteration key on a stick: one line, exit 2, at once (no hang)', () => {
    const dir = tempDir('hostile-kdf');
    const key = join(dir, 'alice.key');
    writeFileSync(key, hostile(pbkdf2(2n ** 31n - 1n)));
    const pass = join(dir, 'pass');
    writeFileSync(pass, 'anything\n');
    // A 20 s timeout would have killed the old build (it derived for hours): it must answer.
    const r = runCli(['verify', '--sd', demoSd, '--key', key, '--passphrase-file', pass], {
      timeout: 20_000,
    });
    expect(r.code).toBe(2);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(
      /alice\.key: it asks for 2,147,483,647 PBKDF2 iterations; sd-drill opens at most 10,000,000/,
    );
  });
});

describe('a key opens off the main thread', () => {
  it('the ceremony answers while a passphrase is tried, and an abort then takes nothing', async () => {
    // Alice's key re-encrypted at 1,000,000 iterations: a derivation long enough to be caught
    // in the middle of (sd-drill's own cap allows ten times as many).
    const dir = tempDir('slow-key');
    const plain = await loadPrivateKey(demoKey('alice'), Buffer.from(demoPassphrase('alice')));
    if (!plain.ok) throw plain.error;
    const file = join(dir, 'alice.key');
    writeFileSync(file, await encryptPrivateKey(plain.value.privateKey, Buffer.from('slow'), 1e6));
    writeFileSync(join(dir, 'alice.cer'), readFileSync(demoKey('alice').replace(/key$/, 'cer')));
    expect(
      createPrivateKey({key: readFileSync(file), format: 'pem', passphrase: 'slow'}).type,
    ).toBe('private');

    const session = new DrillSession({idleLimitMs: 3_600_000});
    session.chooseMode('rehearsal');
    expect(session.loadDomain(demoSd)).toBe(true);
    session.inspected();
    session.simulateDisaster('purged');
    await session.bringUpRecoveryHsm();
    // The TUI's way in: the stick is seen, the key matched by its certificate, acknowledged.
    await session.stickInserted(describeFolder(dir, statSync(dir).dev));
    await session.acknowledge({name: 'Alice', role: 'holder'});
    expect(session.getState().presenting?.phase).toBe('passphrase');
    const passphrase = Buffer.from('slow');
    let answered = false;
    setImmediate(() => {
      answered = true;
    });
    const opening = session.submitPassphrase(passphrase);
    // The event loop turns while the key derives: keystrokes and timers are served.
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(true);
    expect(session.getState().presenting?.phase).toBe('opening');
    session.abort('aborted by the operator (q)');
    await opening;
    const s = session.getState();
    expect(s.outcome?.verdict).toBe('aborted');
    expect(s.holders.find((h) => h.index === 1)?.state).not.toBe('accepted');
    expect(passphrase.every((b) => b === 0)).toBe(true);
    wipe(passphrase);
  });
});
