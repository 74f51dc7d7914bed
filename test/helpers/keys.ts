/**
 * Holders' key pairs for tests, made once per test file: RSA key generation is what makes a
 * battery slow, so every test in a file draws on the same few keys.
 */
import {execFileSync} from 'node:child_process';
import {generateRsaKeyPair, selfSignedCertificatePem} from '../../source/domain/make-key.js';
import {
  parseCertificate,
  parsePrivateKey,
  type LoadedCertificate,
  type LoadedKey,
} from '../../source/domain/key-file.js';
import type {PresentedKey} from '../../source/domain/format.js';

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

const cache = new Map<string, Promise<TestHolder>>();

async function makeHolder(name: string, bits: number): Promise<TestHolder> {
  const {privateKey} = await generateRsaKeyPair(bits);
  const certificatePem = selfSignedCertificatePem(privateKey, name);
  const keyPem = privateKey.export({type: 'pkcs8', format: 'pem'}).toString();
  const keyFile = `/sticks/${name}/${name}.key`;
  const key = parsePrivateKey(keyFile, Buffer.from(keyPem));
  const certificate = parseCertificate(`/sticks/${name}/${name}.cer`, Buffer.from(certificatePem));
  if (!key.ok || !certificate.ok) throw new Error(`test key for ${name} did not load`);
  return {name, keyFile, keyPem, certificatePem, key: key.value, certificate: certificate.value};
}

/** The first `count` holders (at most 10), RSA-2048; each is generated once per test file. */
export function testHolders(count: number = HOLDER_NAMES.length): Promise<TestHolder[]> {
  return Promise.all(
    HOLDER_NAMES.slice(0, count).map((name) => {
      let p = cache.get(name);
      if (!p) {
        p = makeHolder(name, 2048);
        cache.set(name, p);
      }
      return p;
    }),
  );
}

/** The key as a holder presents it: with its certificate beside it, or alone. */
export function presented(holder: TestHolder, withCertificate = true): PresentedKey {
  return withCertificate ? {key: holder.key, certificate: holder.certificate} : {key: holder.key};
}

/** Runs openssl quietly; throws (failing the test's setup) if it fails. */
export function openssl(args: readonly string[], cwd?: string): Buffer {
  return execFileSync('openssl', args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
