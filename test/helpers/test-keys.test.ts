/**
 * The tests' own keys are what they claim to be: fixtures/test-sticks holds the demo's key
 * pairs and certificates, encrypted at a low PBKDF2 count, while the demo itself keeps
 * sd-drill's full count; fixtures/test-keys holds ten distinct RSA-2048 pairs. (If the demo is
 * made again, `npm run fixtures` makes the test copies again with it.)
 */
import {execFileSync} from 'node:child_process';
import {createPrivateKey, createPublicKey, X509Certificate, type KeyObject} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {PBKDF2_ITERATIONS} from '../../source/domain/key-encryption.js';
import {PREMADE_KEYS, premadeKey} from './keys.js';
import {demoCer, demoKey, demoPassphrase, fullStrengthSticks} from './paths.js';

const HOLDERS = ['alice', 'bob', 'carol', 'dave', 'erin'];

/** The PBKDF2 iteration count in an encrypted PKCS#8 key file, as openssl reads it. */
function iterations(file: string): number {
  const asn1 = execFileSync('openssl', ['asn1parse', '-in', file], {encoding: 'utf8'});
  expect(asn1).toMatch(/OBJECT\s+:PBKDF2/);
  return parseInt(/INTEGER\s+:([0-9A-F]+)/.exec(asn1)?.[1] ?? '0', 16);
}

const spki = (key: KeyObject): string =>
  (key.type === 'public' ? key : createPublicKey(key))
    .export({type: 'spki', format: 'der'})
    .toString('hex');

describe("the tests' copies of the demo sticks", () => {
  it.each(HOLDERS)("%s: the demo's certificate, and the key it names, at 2,048 iterations", (h) => {
    const full = join(fullStrengthSticks, h);
    expect(readFileSync(demoCer(h)).equals(readFileSync(join(full, `${h}.cer`)))).toBe(true);
    const key = createPrivateKey({key: readFileSync(demoKey(h)), passphrase: demoPassphrase(h)});
    expect(spki(key)).toBe(spki(new X509Certificate(readFileSync(demoCer(h))).publicKey));
    expect(iterations(demoKey(h))).toBe(2048);
    expect(iterations(join(full, `${h}.key`))).toBeGreaterThanOrEqual(PBKDF2_ITERATIONS);
  });
});

describe('the pre-made key pairs', () => {
  it('are ten distinct RSA-2048 keys', () => {
    const keys = Array.from({length: PREMADE_KEYS}, (_, i) => premadeKey(i));
    expect(keys.map((k) => k.asymmetricKeyDetails?.modulusLength)).toEqual(keys.map(() => 2048));
    expect(new Set(keys.map((k) => spki(k))).size).toBe(PREMADE_KEYS);
    expect(() => premadeKey(PREMADE_KEYS)).toThrow(/there are 10 pre-made test keys/);
  });
});
