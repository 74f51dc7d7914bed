/**
 * The simulated HSM's lifecycle:
 *
 *   active ─► destroyed | purged | archived-and-deleted
 *          ─► recovery-mode (a new HSM with a fresh exchange key)
 *          ─► restoring (security domain uploaded, wrapped for the exchange key)
 *          ─► restored (every key matches the manifest, every canary decrypts) ─► active
 *                └─► restore-failed (anything less: never reported as restored)
 *
 * The exchange private key lives only in this process's memory; what goes to disk
 * (`<out>/hsm/state.json`) is non-secret: status, identity, timeline, the exchange key's
 * public half.
 */
import {
  constants,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import {join} from 'node:path';
import * as z from 'zod';
import {checkError, fail, inputError, ok, type Result} from '../errors.js';
import type {NativeDomain} from '../domain/native/reader.js';
import {MAX_KEY_FILE_BYTES, readSmallFileSync} from '../fs/read-file.js';
import {writeFileAtomic} from '../fs/atomic-write.js';
import {wipe} from '../secret.js';
import {DISASTERS, type Disaster} from './disasters.js';
import {decodeContents, decryptCanary, keyDigest, keyIsUsable, wipeContents} from './inventory.js';
import {makeDirs} from '../fs/make-dirs.js';

export {DISASTER_TEXT, DISASTERS, type Disaster} from './disasters.js';
export type HsmStatus =
  'active' | Disaster | 'recovery-mode' | 'restoring' | 'restored' | 'restore-failed';

const stateSchema = z.strictObject({
  hsm: z.strictObject({name: z.string(), id: z.string()}),
  status: z.enum([
    'active',
    ...DISASTERS,
    'recovery-mode',
    'restoring',
    'restored',
    'restore-failed',
  ]),
  securityDomain: z.string(),
  timeline: z.array(z.strictObject({at: z.string(), status: z.string(), note: z.string()})),
  exchangeKey: z.string().optional(),
});
export type HsmState = z.infer<typeof stateSchema>;

export function stateFile(hsmDir: string): string {
  return join(hsmDir, 'state.json');
}

export function writeHsmState(hsmDir: string, state: HsmState, overwrite: boolean): Result<void> {
  makeDirs(hsmDir);
  return writeFileAtomic(stateFile(hsmDir), `${JSON.stringify(state, null, 2)}\n`, {overwrite});
}

export function readHsmState(hsmDir: string): Result<HsmState> {
  const file = stateFile(hsmDir);
  const bytes = readSmallFileSync(file, MAX_KEY_FILE_BYTES, 'HSM state file');
  if (!bytes.ok) return bytes;
  try {
    return ok(stateSchema.parse(JSON.parse(bytes.value.toString('utf8'))));
  } catch {
    return fail(inputError('malformed', `${file}: not a readable HSM state file`, file));
  }
}

export function newHsmState(
  name: string,
  id: string,
  securityDomain: string,
  now = new Date(),
): HsmState {
  return {
    hsm: {name, id},
    status: 'active',
    securityDomain,
    timeline: [
      {at: now.toISOString(), status: 'active', note: 'provisioned; security domain downloaded'},
    ],
  };
}

export interface RestoreProgress {
  done: number;
  total: number;
}

export interface RestoreResult {
  keysExpected: number;
  keysRestored: number;
  mismatched: string[];
  canaries: {total: number; passed: number};
  verified: boolean;
}

/** A newly provisioned HSM in recovery mode: holds a fresh exchange key, takes an upload. */
export class RecoveryHsm {
  readonly id = randomUUID();
  status: HsmStatus = 'recovery-mode';
  readonly exchangePublicPem: string;
  private readonly exchangePrivate: KeyObject;
  private readonly exchangePublic: KeyObject;

  constructor() {
    // The service hands out RSA-4096 exchange keys; 3072 keeps the simulation quick and still
    // far above the 2048-bit floor.
    const pair = generateKeyPairSync('rsa', {modulusLength: 3072});
    this.exchangePrivate = pair.privateKey;
    this.exchangePublic = createPublicKey(pair.privateKey);
    this.exchangePublicPem = this.exchangePublic.export({type: 'spki', format: 'pem'}).toString();
  }

  /** What the client sends: the domain key wrapped to the exchange key (RSA-OAEP-256). */
  wrapForUpload(domainKey: Buffer): Buffer {
    return publicEncrypt(
      {key: this.exchangePublic, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256'},
      domainKey,
    );
  }

  /**
   * Takes the uploaded security domain (the file plus the wrapped domain key), restores every
   * key and verifies it against the manifest, then decrypts the canaries. Only a complete,
   * verified restore ends `restored`.
   */
  async upload(
    domain: NativeDomain,
    wrappedKey: Buffer,
    onProgress?: (p: RestoreProgress) => void,
  ): Promise<Result<RestoreResult>> {
    this.status = 'restoring';
    let domainKey: Buffer;
    try {
      domainKey = privateDecrypt(
        {key: this.exchangePrivate, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256'},
        wrappedKey,
      );
    } catch {
      this.status = 'restore-failed';
      return fail(
        checkError(
          'upload-unwrap',
          'the new HSM could not unwrap the uploaded domain key (wrong exchange key)',
        ),
      );
    }
    const payload = domain.decryptPayload(domainKey);
    wipe(domainKey);
    if (!payload.ok) {
      this.status = 'restore-failed';
      return payload;
    }
    const contents = decodeContents(payload.value);
    const manifest = domain.doc.manifest;
    if (!contents) {
      wipe(payload.value);
      this.status = 'restore-failed';
      return fail(
        checkError('payload-malformed', 'the uploaded domain payload is not a readable HSM backup'),
      );
    }
    const id = domain.doc.domain.id;
    const byName = new Map(contents.keys.map((k) => [`${k.name}@${k.version}`, k]));
    const mismatched: string[] = [];
    let restored = 0;
    const total = manifest.keys.length;
    for (const [i, m] of manifest.keys.entries()) {
      const key = byName.get(`${m.name}@${m.version}`);
      if (key && key.type === m.type && keyDigest(id, key) === m.digest && keyIsUsable(key))
        restored++;
      else mismatched.push(`${m.name} v${m.version}`);
      if ((i + 1) % 250 === 0 || i + 1 === total) {
        onProgress?.({done: i + 1, total});
        // Let the screen draw between batches.
        await new Promise((r) => setImmediate(r));
      }
    }
    let passed = 0;
    for (const c of manifest.canaries) {
      const key = byName.get(`${c.key}@${c.version}`);
      if (key && key.type === 'aes' && decryptCanary(c, key.material)) passed++;
    }
    wipeContents(contents);
    wipe(payload.value);
    const verified =
      restored === total && mismatched.length === 0 && passed === manifest.canaries.length;
    this.status = verified ? 'restored' : 'restore-failed';
    return ok({
      keysExpected: total,
      keysRestored: restored,
      mismatched,
      canaries: {total: manifest.canaries.length, passed},
      verified,
    });
  }
}
