/**
 * Test kit for the Azure format: RSA-2048 holders with self-signed certificates (made once
 * per test file), domains written with our writer, JSON tampering helpers, and the
 * deterministic blob plaintexts the fixtures use.
 */
import {createHash, generateKeyPairSync, type KeyObject} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {
  parseCertificate,
  parsePrivateKey,
  sha256Hex,
  type LoadedCertificate,
  type LoadedKey,
} from '../../../source/domain/key-file.js';
import {selfSignedCertificate} from '../../../source/domain/self-signed.js';
import {writeAzureDomain} from '../../../source/domain/azure/writer.js';
import {openAzureDomain, type AzureDomain} from '../../../source/domain/azure/reader.js';
import type {OpenedShare} from '../../../source/domain/format.js';
import {b64uEncode} from '../../../source/domain/azure/compact-jwe.js';
import {premadeKey, PREMADE_KEYS} from '../../helpers/keys.js';

export interface TestHolder {
  name: string;
  privateKey: KeyObject;
  keyPem: string;
  certDer: Buffer;
  certPem: string;
  key: LoadedKey;
  cert: LoadedCertificate;
  x5t256: string;
}

const pemOf = (label: string, der: Buffer) =>
  `-----BEGIN ${label}-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)
    ?.join('\n')}\n-----END ${label}-----\n`;

export function makeHolder(name: string, bits = 2048): TestHolder {
  return holderFrom(name, generateKeyPairSync('rsa', {modulusLength: bits}).privateKey);
}

function holderFrom(name: string, privateKey: KeyObject): TestHolder {
  const keyPem = privateKey.export({type: 'pkcs8', format: 'pem'}).toString();
  const certDer = selfSignedCertificate(privateKey, {commonName: name});
  const certPem = pemOf('CERTIFICATE', certDer);
  const key = parsePrivateKey(`${name}.pem`, Buffer.from(keyPem));
  const cert = parseCertificate(`${name}.cer`, certDer);
  if (!key.ok) throw key.error;
  if (!cert.ok) throw cert.error;
  return {
    name,
    privateKey,
    keyPem,
    certDer,
    certPem,
    key: key.value,
    cert: cert.value,
    x5t256: createHash('sha256').update(certDer).digest('base64url'),
  };
}

/**
 * Holders are slow to make: each test file makes them once and reuses them, the first ten
 * from the pre-made RSA-2048 keys (helpers/keys.ts).
 */
export function holderPool(): (n: number) => TestHolder[] {
  const pool: TestHolder[] = [];
  return (n) => {
    while (pool.length < n) {
      const name = `holder${pool.length + 1}`;
      pool.push(
        pool.length < PREMADE_KEYS ? holderFrom(name, premadeKey(pool.length)) : makeHolder(name),
      );
    }
    return pool.slice(0, n);
  };
}

/** SHA-256(tag ‖ be32 counter) blocks, cut to length: the vectors' plaintext recipe. */
export function streamPlaintext(tag: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < length; i++) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(i);
    blocks.push(createHash('sha256').update(tag).update(counter).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

export const BLOB_TAGS = ['hsm_backup', 'base_enclave_backup', 'partition_enclave_backup'];

export function sampleBlobs(lengths = [3000, 600, 2048]): Array<{tag: string; plaintext: Buffer}> {
  return BLOB_TAGS.map((tag, i) => ({tag, plaintext: streamPlaintext(tag, lengths[i] ?? 100)}));
}

export const digestsOf = (blobs: Array<{tag: string; plaintext: Buffer}>) =>
  blobs.map(({tag, plaintext}) => ({tag, bytes: plaintext.length, sha256: sha256Hex(plaintext)}));

export function openJson(json: string, file = 'test-sd.json'): AzureDomain {
  const opened = openAzureDomain(file, Buffer.from(json));
  if (!opened.ok) throw opened.error;
  return opened.value;
}

export function buildDomain(holders: TestHolder[], required: number, blobs = sampleBlobs()) {
  const written = writeAzureDomain({certificates: holders.map((h) => h.cert), required, blobs});
  return {...written, domain: openJson(written.json), blobs};
}

export function openAll(
  domain: AzureDomain,
  holders: TestHolder[],
  withCert = true,
): OpenedShare[] {
  return holders.map((h) => {
    const opened = domain.openShare(withCert ? {key: h.key, certificate: h.cert} : {key: h.key});
    if (!opened.ok) throw opened.error;
    return opened.value;
  });
}

/** Edits the parsed SD JSON and serialises it again. */
export function editJson(json: string, edit: (sd: SdJson) => void): string {
  const sd = JSON.parse(json) as SdJson;
  edit(sd);
  return JSON.stringify(sd);
}

export interface SdJson {
  EncData: {data: Array<{compact_jwe: string; tag: string}>; kdf?: string};
  SharedKeys: {
    enc_shares: Array<{enc_key: string; x5t_256: string}>;
    key_algorithm: string;
    required: unknown;
  };
  version?: unknown;
}

/** Replaces segment `i` (0..4) of a compact JWE. */
export function replaceSegment(jwe: string, i: number, value: Buffer | string): string {
  const parts = jwe.split('.');
  parts[i] = typeof value === 'string' ? value : b64uEncode(value);
  return parts.join('.');
}

export function segment(jwe: string, i: number): Buffer {
  return Buffer.from(jwe.split('.')[i] ?? '', 'base64url');
}

export function writeHolderFiles(
  dir: string,
  holder: TestHolder,
  options: {withCert?: boolean; name?: string} = {},
): string {
  const name = options.name ?? holder.name;
  const keyFile = join(dir, `${name}.pem`);
  writeFileSync(keyFile, holder.keyPem);
  if (options.withCert ?? true) writeFileSync(join(dir, `${name}.cer`), holder.certPem);
  return keyFile;
}
