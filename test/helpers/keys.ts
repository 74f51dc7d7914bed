/**
 * Holders' key pairs for tests. RSA key generation is what makes a battery slow (a second or
 * more per key on a loaded machine), so tests that need some holders' keys, but not ones
 * sd-drill made, draw on ten pre-made RSA-2048 pairs (fixtures/test-keys, made by `npm run
 * fixtures`). Tests of what sd-drill writes (init, keygen, onboarding) still make their own.
 */
import {execFileSync} from 'node:child_process';
import {createPrivateKey, type KeyObject} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {selfSignedCertificatePem} from '../../source/domain/make-key.js';
import {
  parseCertificate,
  parsePrivateKey,
  type LoadedCertificate,
  type LoadedKey,
} from '../../source/domain/key-file.js';
import type {PresentedKey} from '../../source/domain/format.js';
import {fixturesDir} from './paths.js';

/** How many pre-made key pairs there are. */
export const PREMADE_KEYS = 10;

/** The `i`-th (0-based) pre-made RSA-2048 private key (fixtures/test-keys). */
export function premadeKey(i: number): KeyObject {
  if (!Number.isInteger(i) || i < 0 || i >= PREMADE_KEYS)
    throw new Error(`there are ${PREMADE_KEYS} pre-made test keys; no key ${i}`);
  const file = join(fixturesDir, 'test-keys', `rsa-2048-${String(i + 1).padStart(2, '0')}.pem`);
  return createPrivateKey(readFileSync(file));
}

/** Names that never contain one another, so a message naming one cannot match another. */
export const HOLDER_NAMES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
] as const;

export interface TestHolder {
  name: string;
  /** Where the key "lives", for messages (nothing is written there). */
  keyFile: string;
  keyPem: string;
  certificatePem: string;
  key: LoadedKey;
  certificate: LoadedCertificate;
}

const cache = new Map<string, TestHolder>();

function makeHolder(name: string, privateKey: KeyObject): TestHolder {
  const certificatePem = selfSignedCertificatePem(privateKey, name);
  const keyPem = privateKey.export({type: 'pkcs8', format: 'pem'}).toString();
  const keyFile = `/sticks/${name}/${name}.key`;
  const key = parsePrivateKey(keyFile, Buffer.from(keyPem));
  const certificate = parseCertificate(`/sticks/${name}/${name}.cer`, Buffer.from(certificatePem));
  if (!key.ok || !certificate.ok) throw new Error(`test key for ${name} did not load`);
  return {name, keyFile, keyPem, certificatePem, key: key.value, certificate: certificate.value};
}

/** The first `count` holders (at most 10), RSA-2048: the pre-made keys, in order. */
export function testHolders(count: number = HOLDER_NAMES.length): Promise<TestHolder[]> {
  return Promise.resolve(
    HOLDER_NAMES.slice(0, count).map((name, i) => {
      let holder = cache.get(name);
      if (!holder) {
        holder = makeHolder(name, premadeKey(i));
        cache.set(name, holder);
      }
      return holder;
    }),
  );
}

/** The key as a holder presents it: with its certificate beside it, or alone. */
export function presented(holder: TestHolder, withCertificate = true): PresentedKey {
  return withCertificate ? {key: holder.key, certificate: holder.certificate} : {key: holder.key};
}

/**
 * Re-encrypts a key file sd-drill wrote (600,000 PBKDF2 iterations) with Node's own PKCS#8
 * export (2,048 iterations), same key, same passphrase: for a test that made its keys with
 * `init` only to have known secrets, then opens them over and over, and is not about how they
 * were written (what sd-drill writes is tested at full strength where that is the question).
 */
export function reencryptForTests(file: string, passphrase: string): void {
  const key = createPrivateKey({key: readFileSync(file), passphrase});
  writeFileSync(
    file,
    key.export({type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase}),
  );
}

/** Runs openssl quietly; throws (failing the test's setup) if it fails. */
export function openssl(args: readonly string[], cwd?: string): Buffer {
  return execFileSync('openssl', args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
