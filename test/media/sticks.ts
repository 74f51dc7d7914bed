/** Key material and stick folders for the media tests, made with node:crypto and openssl. */
import {execFileSync} from 'node:child_process';
import {createHash, createPublicKey, X509Certificate, type KeyObject} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {premadeKey} from '../helpers/keys.js';
import {removeTree, tempDir} from '../helpers/temp.js';

export interface TestKey {
  privateKey: KeyObject;
  /** Unencrypted PKCS#8 PEM. */
  pem: string;
}

const cache: TestKey[] = [];

/** The n-th RSA-2048 key (a pre-made one, helpers/keys.ts). */
export function testKey(n: number): TestKey {
  while (cache.length <= n) {
    const privateKey = premadeKey(cache.length);
    cache.push({privateKey, pem: privateKey.export({type: 'pkcs8', format: 'pem'}).toString()});
  }
  const key = cache[n];
  if (!key) throw new Error('unreachable');
  return key;
}

export function encryptedPkcs8Pem(key: TestKey, passphrase: string): string {
  return key.privateKey
    .export({type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase})
    .toString();
}

export function pkcs1DerKey(key: TestKey): Buffer {
  return key.privateKey.export({type: 'pkcs1', format: 'der'});
}

/** A self-signed certificate for the key, made by openssl as a holder would make it. */
export function certificatePem(key: TestKey, cn = 'x'): string {
  const dir = tempDir('cert');
  try {
    const keyFile = join(dir, 'k.pem');
    writeFileSync(keyFile, key.pem, {mode: 0o600});
    return execFileSync(
      'openssl',
      ['req', '-x509', '-new', '-key', keyFile, '-subj', `/CN=${cn}`, '-days', '1'],
      {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']},
    );
  } finally {
    removeTree(dir);
  }
}

export function pemToDer(pem: string): Buffer {
  return Buffer.from(new X509Certificate(pem).raw);
}

/** SHA-256 of the certificate's DER, lowercase hex: what a share is labelled with. */
export function certSha256(pem: string): string {
  return createHash('sha256').update(pemToDer(pem)).digest('hex');
}

export function spkiSha256(key: TestKey): string {
  const spki = createPublicKey(key.privateKey).export({type: 'spki', format: 'der'});
  return createHash('sha256').update(spki).digest('hex');
}

/** A fresh empty folder standing in for a --media DIR (removed with the test's folders). */
export function mediaDir(label = 'media'): string {
  return tempDir(label);
}

/** Writes files into `dir/name` (made if needed) and returns the stick's path. */
export function makeStick(
  dir: string,
  name: string,
  files: Record<string, string | Buffer>,
): string {
  const stick = join(dir, name);
  mkdirSync(stick, {recursive: true});
  for (const [file, content] of Object.entries(files)) {
    const path = join(stick, file);
    mkdirSync(join(path, '..'), {recursive: true});
    writeFileSync(path, content);
  }
  return stick;
}
