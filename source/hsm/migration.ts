/**
 * After a compromise: the old HSM's keys cannot move to an HSM with another security domain
 * (the domain document: "there is no way to migrate key material from a managed HSM instance
 * to another with a different security domain"), so what each key protects moves instead. For
 * every key of the old instance's inventory, in the manifest's order: a new key of the same
 * type is made in the new instance, every record the old key protects (the simulated
 * applications' record, and the canaries init sealed) is opened with the old key, sealed under
 * the new one and opened there again to check it. A key whose every record made it is
 * migrated; any other is named with why. Then — only when every key made it — the old instance
 * is purged: its copy of every key wiped.
 *
 * The work yields to the event loop every few milliseconds (a screen keeps drawing through a
 * 5,000-key inventory), RSA keys are made on libuv's thread pool ahead of their turn, and it
 * stops between two keys when asked: a key is reported migrated only once it is.
 */
import {generateKeyPair, generateKeyPairSync, randomBytes, randomUUID} from 'node:crypto';
import {availableParallelism} from 'node:os';
import {promisify} from 'node:util';
import type {Canary, ManifestKey} from '../domain/native/schema.js';
import {wipe} from '../secret.js';
import {decodeContents, keyDigest, type InventoryKey, type KeyType} from './inventory.js';
import {
  applicationRecord,
  canaryRecord,
  holdKey,
  moveRecord,
  type DataRecord,
  type HeldKey,
} from './protected-data.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** One key's migration, public facts only. */
export interface KeyMigration {
  name: string;
  version: number;
  type: KeyType;
  outcome: 'migrated' | 'failed';
  /** Records the old key protected, and how many were re-protected and checked. */
  records: number;
  verified: number;
  /** The new key's identifier in the new instance. */
  newKey?: string;
  reason?: string;
}

/** The old instance, still running: its keys (its own copies) and the canaries init sealed. */
export class OldInstance {
  private readonly payload: Buffer;
  private readonly byName: Map<string, InventoryKey>;
  private wiped = false;

  private constructor(
    readonly domainId: string,
    payload: Buffer,
    keys: InventoryKey[],
    readonly inventory: readonly ManifestKey[],
    private readonly canaries: readonly Canary[],
  ) {
    this.payload = payload;
    this.byName = new Map(keys.map((k) => [`${k.name}@${k.version}`, k]));
  }

  /**
   * The old instance from its reconstructed domain payload: a copy of it, so purging the
   * instance wipes what it held. Undefined when the payload is not an HSM backup.
   */
  static fromPayload(
    domainId: string,
    payload: Buffer,
    manifest: {keys: readonly ManifestKey[]; canaries: readonly Canary[]},
  ): OldInstance | undefined {
    const copy = Buffer.from(payload);
    const contents = decodeContents(copy);
    if (!contents) {
      wipe(copy);
      return undefined;
    }
    return new OldInstance(domainId, copy, contents.keys, manifest.keys, manifest.canaries);
  }

  get purged(): boolean {
    return this.wiped;
  }

  /** The old key for a manifest entry, checked against the manifest as a restore checks it. */
  key(m: ManifestKey): {ok: true; key: HeldKey} | {ok: false; reason: string} {
    if (this.wiped) return {ok: false, reason: 'the old instance was purged'};
    const k = this.byName.get(`${m.name}@${m.version}`);
    if (!k) return {ok: false, reason: 'the old instance holds no such key'};
    if (k.type !== m.type || keyDigest(this.domainId, k) !== m.digest)
      return {ok: false, reason: "the old instance's copy does not match its manifest"};
    const held = holdKey(k.type, k.material);
    return held ? {ok: true, key: held} : {ok: false, reason: `not a usable ${k.type} key`};
  }

  /** What the key protects: a record its applications sealed, and the canaries under it. */
  records(m: ManifestKey, key: HeldKey): DataRecord[] {
    const canaries = this.canaries
      .map((c, i) => ({c, n: i + 1}))
      .filter(({c}) => c.key === m.name && c.version === m.version)
      .map(({c, n}) => canaryRecord(c, n));
    return [applicationRecord(key, `${m.name} v${m.version}`), ...canaries];
  }

  /** Wipes every key the old instance held. */
  purge(): void {
    wipe(this.payload);
    this.byName.clear();
    this.wiped = true;
  }
}

/** The new instance: the keys made in it, each with its identifier. */
export class NewInstance {
  readonly id = randomUUID();
  private readonly aes: Buffer[] = [];
  private count = 0;

  constructor(readonly name: string) {}

  get keysMade(): number {
    return this.count;
  }

  /** A new key's identifier: the key's name and a fresh version, at the new instance. */
  private identifier(name: string): string {
    return `${this.name}/keys/${name}/${randomBytes(8).toString('hex')}`;
  }

  /** A new AES or EC key, made here at once (RSA keys: `makeRsa`). */
  make(type: 'aes' | 'ec', name: string): {key: HeldKey; id: string} {
    this.count++;
    if (type === 'aes') {
      const material = randomBytes(32);
      this.aes.push(material);
      return {key: {type, material}, id: this.identifier(name)};
    }
    const pair = generateKeyPairSync('ec', {namedCurve: 'P-256'});
    return {key: {type, key: pair.privateKey}, id: this.identifier(name)};
  }

  /** A new RSA-2048 key, made on the thread pool. */
  async makeRsa(name: string): Promise<{key: HeldKey; id: string}> {
    const pair = await generateKeyPairAsync('rsa', {modulusLength: 2048});
    this.count++;
    return {key: {type: 'rsa', key: pair.privateKey}, id: this.identifier(name)};
  }

  /** The simulation ends: the new instance's AES keys are wiped (key objects go with the process). */
  wipe(): void {
    wipe(...this.aes);
    this.aes.length = 0;
  }
}

/**
 * RSA keys made ahead of their turn on the thread pool, so the work rarely waits for one: as
 * many at once as there are cores beside the one this thread (and the screen) runs on, at
 * least one and at most four. More would only take the screen's core: an RSA-2048 key is a
 * CPU-bound prime search of ~50–150 ms.
 */
const RSA_AHEAD = Math.min(4, Math.max(1, availableParallelism() - 1));

export interface MigrateOptions {
  /** Called between slices with the keys finished in it and the key next in line. */
  onBatch: (done: KeyMigration[], next: string | undefined) => void;
  /** Asked between keys: true stops the migration there. */
  stopped: () => boolean;
  /** How long one slice may hold the thread before yielding (default 15 ms). */
  sliceMs?: number;
  now?: () => number;
}

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Migrates one key whose new key is in hand; never throws. */
function migrateKey(
  old: OldInstance,
  m: ManifestKey,
  made: {key: HeldKey; id: string},
): KeyMigration {
  const base = {name: m.name, version: m.version, type: m.type};
  const oldKey = old.key(m);
  if (!oldKey.ok)
    return {...base, outcome: 'failed', records: 0, verified: 0, reason: oldKey.reason};
  const records = old.records(m, oldKey.key);
  const problems: string[] = [];
  for (const r of records) {
    const problem = moveRecord(oldKey.key, made.key, r);
    if (problem) problems.push(problem);
  }
  const verified = records.length - problems.length;
  return problems.length === 0
    ? {...base, outcome: 'migrated', records: records.length, verified, newKey: made.id}
    : {...base, outcome: 'failed', records: records.length, verified, reason: problems.join('; ')};
}

/**
 * Migrates every key of the old instance's inventory into the new one. Resolves `finished`
 * when every key was tried (each migrated or failed), `stopped` when asked to stop first.
 */
export async function migrateInventory(
  old: OldInstance,
  next: NewInstance,
  options: MigrateOptions,
): Promise<'finished' | 'stopped'> {
  const now = options.now ?? Date.now;
  const slice = options.sliceMs ?? 15;
  const keys = old.inventory;
  const rsaAt = keys.flatMap((k, i) => (k.type === 'rsa' ? [i] : []));
  const rsa = new Map<number, Promise<{key: HeldKey; id: string}>>();
  let queued = 0;
  const ahead = (): void => {
    while (queued < rsaAt.length && rsa.size < RSA_AHEAD) {
      const i = rsaAt[queued++] as number;
      const job = next.makeRsa(keys[i]?.name ?? 'key');
      // A stop leaves jobs in flight: their failure (there is none expected) is nobody's.
      job.catch(() => undefined);
      rsa.set(i, job);
    }
  };
  ahead();
  let batch: KeyMigration[] = [];
  let sliceStart = now();
  for (const [i, m] of keys.entries()) {
    if (options.stopped()) {
      options.onBatch(batch, undefined);
      return 'stopped';
    }
    let made: {key: HeldKey; id: string};
    if (m.type === 'rsa') {
      const job = rsa.get(i);
      rsa.delete(i);
      ahead();
      // Waiting for the thread pool lets the screen draw too.
      made = job ? await job : await next.makeRsa(m.name);
      if (options.stopped()) {
        options.onBatch(batch, undefined);
        return 'stopped';
      }
    } else made = next.make(m.type, m.name);
    batch.push(migrateKey(old, m, made));
    if (now() - sliceStart >= slice || i === keys.length - 1) {
      options.onBatch(
        batch,
        keys[i + 1] ? `${keys[i + 1]?.name} v${keys[i + 1]?.version}` : undefined,
      );
      batch = [];
      await yieldToLoop();
      sliceStart = now();
    }
  }
  if (batch.length > 0) options.onBatch(batch, undefined);
  return 'finished';
}
