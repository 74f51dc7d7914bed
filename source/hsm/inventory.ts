/**
 * The simulated HSM's contents: an inventory of keys (RSA, EC, AES, with names and
 * versions), role assignments (the domain's "user credentials"), a signing key and a
 * data-encryption key. Encoded as one binary payload so key material never passes through
 * JSON strings: a small JSON index (names, types, offsets) followed by the raw material.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  generateKeyPair,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import {promisify} from 'node:util';
import * as z from 'zod';
import type {Canary, ManifestKey, NativeDomainFile} from '../domain/native/schema.js';
import {wipe} from '../secret.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export type KeyType = 'rsa' | 'ec' | 'aes';

export interface InventoryKey {
  name: string;
  version: number;
  type: KeyType;
  /** PKCS#8 DER for RSA and EC, raw bytes for AES. Secret. */
  material: Buffer;
}

export interface RoleAssignment {
  principal: string;
  role: string;
  scope: string;
}

export interface HsmContents {
  hsm: {name: string; id: string};
  roles: RoleAssignment[];
  keys: InventoryKey[];
}

export const SIGNING_KEY = 'domain-signing-key';
export const DATA_ENCRYPTION_KEY = 'domain-data-encryption-key';
const MAGIC = Buffer.from('SDDP1\0', 'latin1');

/**
 * Key mix. An HSM's inventory is mostly symmetric keys (data and wrapping keys: AES) and
 * signing keys (EC), with a few RSA keys (TLS, code signing, payment and backup wrapping).
 * Here: one RSA key in 100, two EC keys in five, the rest AES; key 0 is RSA, so every
 * inventory of three keys or more holds all three types.
 *
 * Why not more RSA: generating an RSA-2048 key costs ~50-150 ms of CPU (a random prime search)
 * where an EC P-256 key costs ~0.2 ms and an AES key microseconds. At one RSA key in 25,
 * `init --keys 5000` ran 200 RSA generations: ~30 s on a 2-core machine. At one in 100 it runs
 * 50, a few seconds, and the drill restores the same kinds of keys.
 */
export function keyTypeFor(i: number): KeyType {
  if (i % 100 === 0) return 'rsa';
  return i % 5 === 1 || i % 5 === 3 ? 'ec' : 'aes';
}

/**
 * RSA keys generated at once on libuv's thread pool (4 threads by default). More would only
 * queue; fewer would leave a core idle while this thread makes the EC and AES keys. Keys are
 * made in order with at most this many RSA keys outstanding, so progress moves evenly instead
 * of racing to 99% and waiting there for the RSA keys.
 */
const RSA_IN_FLIGHT = 4;

const PURPOSES: Record<KeyType, string[]> = {
  rsa: ['tls-signing', 'code-signing', 'payment-wrap', 'backup-wrap'],
  ec: ['jwt-signing', 'attestation', 'document-signing', 'device-identity'],
  aes: ['db-column', 'blob-storage', 'pii-vault', 'token-cache', 'kms-envelope'],
};

export async function generateContents(
  hsm: {name: string; id: string},
  count: number,
  onProgress?: (done: number, total: number) => void,
): Promise<HsmContents> {
  const keys: InventoryKey[] = [];
  const rsaJobs = new Set<Promise<void>>();
  let done = 0;
  const tick = (): void => {
    done++;
    if (onProgress && (done % 50 === 0 || done === count + 2)) onProgress(done, count + 2);
  };
  const signing = generateKeyPairSync('ec', {namedCurve: 'P-256'});
  keys.push({
    name: SIGNING_KEY,
    version: 1,
    type: 'ec',
    material: signing.privateKey.export({type: 'pkcs8', format: 'der'}),
  });
  tick();
  keys.push({name: DATA_ENCRYPTION_KEY, version: 1, type: 'aes', material: randomBytes(32)});
  tick();
  for (let i = 0; i < count; i++) {
    const type = keyTypeFor(i);
    const purposes = PURPOSES[type];
    const name = `${purposes[i % purposes.length]}-${String(i).padStart(5, '0')}`;
    const version = 1 + (i % 3);
    const entry: InventoryKey = {name, version, type, material: Buffer.alloc(0)};
    keys.push(entry);
    if (type === 'aes') {
      entry.material = randomBytes(32);
      tick();
    } else if (type === 'ec') {
      entry.material = generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({
        type: 'pkcs8',
        format: 'der',
      });
      tick();
    } else {
      if (rsaJobs.size >= RSA_IN_FLIGHT) await Promise.race(rsaJobs);
      const job: Promise<void> = generateKeyPairAsync('rsa', {modulusLength: 2048}).then((pair) => {
        entry.material = pair.privateKey.export({type: 'pkcs8', format: 'der'});
        rsaJobs.delete(job);
        tick();
      });
      rsaJobs.add(job);
    }
  }
  await Promise.all(rsaJobs);
  const roles: RoleAssignment[] = [
    {principal: 'hsm-admins', role: 'Managed HSM Administrator', scope: '/'},
    {principal: 'crypto-officers', role: 'Managed HSM Crypto Officer', scope: '/keys'},
    {principal: 'app-payments', role: 'Managed HSM Crypto User', scope: '/keys/payment-wrap-*'},
    {principal: 'backup-operator', role: 'Managed HSM Backup', scope: '/'},
  ];
  return {hsm, roles, keys};
}

const indexSchema = z.strictObject({
  hsm: z.strictObject({name: z.string(), id: z.string()}),
  roles: z.array(z.strictObject({principal: z.string(), role: z.string(), scope: z.string()})),
  keys: z.array(
    z.strictObject({
      name: z.string(),
      version: z.number().int(),
      type: z.enum(['rsa', 'ec', 'aes']),
      offset: z.number().int().min(0),
      length: z.number().int().min(0),
    }),
  ),
});

export function encodeContents(contents: HsmContents): Buffer {
  let offset = 0;
  const index = {
    hsm: contents.hsm,
    roles: contents.roles,
    keys: contents.keys.map((k) => {
      const e = {name: k.name, version: k.version, type: k.type, offset, length: k.material.length};
      offset += k.material.length;
      return e;
    }),
  };
  const json = Buffer.from(JSON.stringify(index), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, len, json, ...contents.keys.map((k) => k.material)]);
}

/** Decodes a payload; material Buffers are views into `payload` (wipe the payload to wipe them). */
export function decodeContents(payload: Buffer): HsmContents | undefined {
  if (payload.length < MAGIC.length + 4 || !payload.subarray(0, MAGIC.length).equals(MAGIC))
    return undefined;
  const len = payload.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + len > payload.length) return undefined;
  let index;
  try {
    index = indexSchema.parse(JSON.parse(payload.subarray(start, start + len).toString('utf8')));
  } catch {
    return undefined;
  }
  const base = start + len;
  const keys: InventoryKey[] = [];
  for (const k of index.keys) {
    if (base + k.offset + k.length > payload.length) return undefined;
    keys.push({
      name: k.name,
      version: k.version,
      type: k.type,
      material: payload.subarray(base + k.offset, base + k.offset + k.length),
    });
  }
  return {hsm: index.hsm, roles: index.roles, keys};
}

/** Binds a key's digest to the domain, its name, version and type. */
export function keyDigest(
  domainId: string,
  key: Pick<InventoryKey, 'name' | 'version' | 'type' | 'material'>,
): string {
  return createHash('sha256')
    .update(`sd-drill/v1 key\0${domainId}\0${key.name}\0${key.version}\0${key.type}\0`)
    .update(key.material)
    .digest('hex');
}

export function buildManifest(
  domainId: string,
  contents: HsmContents,
  canaryCount = 3,
): NativeDomainFile['manifest'] {
  const keys: ManifestKey[] = contents.keys.map((k) => ({
    name: k.name,
    version: k.version,
    type: k.type,
    digest: keyDigest(domainId, k),
  }));
  return {keyCount: keys.length, keys, canaries: makeCanaries(contents, canaryCount)};
}

/** Ciphertexts made before the disaster under AES keys of the inventory: they must decrypt after. */
function makeCanaries(contents: HsmContents, count: number): Canary[] {
  const aes = contents.keys.filter((k) => k.type === 'aes');
  const picks = [aes[0], aes[Math.floor(aes.length / 2)], aes[aes.length - 1]]
    .filter((k): k is InventoryKey => !!k)
    .slice(0, count);
  return picks.map((key, i) => {
    const plaintext = Buffer.from(
      `sd-drill canary ${i + 1} for ${contents.hsm.name}: ${randomBytes(12).toString('hex')}`,
      'utf8',
    );
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      key: key.name,
      version: key.version,
      iv: iv.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      plaintextSha256: createHash('sha256').update(plaintext).digest('hex'),
    };
  });
}

export function decryptCanary(canary: Canary, key: Buffer): boolean {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(canary.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(canary.tag, 'base64'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(canary.ciphertext, 'base64')),
      decipher.final(),
    ]);
    const ok = createHash('sha256').update(plain).digest('hex') === canary.plaintextSha256;
    wipe(plain);
    return ok;
  } catch {
    return false;
  }
}

/** Checks that restored material is a usable key of its type (as an HSM import would). */
export function keyIsUsable(key: InventoryKey): boolean {
  if (key.type === 'aes') return key.material.length === 32;
  try {
    const k = createPrivateKey({key: key.material, format: 'der', type: 'pkcs8'});
    return k.asymmetricKeyType === key.type;
  } catch {
    return false;
  }
}

export function wipeContents(contents: HsmContents): void {
  for (const k of contents.keys) wipe(k.material);
}
