/**
 * The simulated migration after a compromise (source/hsm/migration.ts): every key of the old
 * instance's inventory gets a new key in the new instance and every record it protects is
 * opened with the old key, sealed under the new one and opened there again. A key whose copy
 * does not match its manifest, or whose canary no longer opens, is named with why; a stop
 * between keys reports only the keys that were done; purging wipes the old instance's keys.
 */
import {randomUUID} from 'node:crypto';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Canary, ManifestKey} from '../../source/domain/native/schema.js';
import {
  buildManifest,
  encodeContents,
  generateContents,
  type HsmContents,
} from '../../source/hsm/inventory.js';
import {
  migrateInventory,
  NewInstance,
  OldInstance,
  type KeyMigration,
} from '../../source/hsm/migration.js';

interface Old {
  id: string;
  payload: Buffer;
  manifest: {keys: ManifestKey[]; canaries: Canary[]};
}

let contents: HsmContents;
const id = randomUUID();
beforeAll(async () => {
  // 120 keys: two RSA keys (key 0 and key 100), EC and AES keys, three canaries.
  contents = await generateContents({name: 'old-hsm', id}, 120);
}, 60_000);

function old(patch?: (c: HsmContents, m: Old['manifest']) => void): Old {
  const copy: HsmContents = {
    ...contents,
    keys: contents.keys.map((k) => ({...k, material: Buffer.from(k.material)})),
  };
  const manifest = buildManifest(id, copy);
  patch?.(copy, manifest);
  return {id, payload: encodeContents(copy), manifest};
}

async function run(o: Old, stopAfter = Number.POSITIVE_INFINITY) {
  const instance = OldInstance.fromPayload(o.id, o.payload, o.manifest);
  if (!instance) throw new Error('not an HSM backup');
  const next = new NewInstance('new-hsm');
  const done: KeyMigration[] = [];
  const nexts: Array<string | undefined> = [];
  const result = await migrateInventory(instance, next, {
    onBatch: (batch, upcoming) => {
      done.push(...batch);
      nexts.push(upcoming);
    },
    stopped: () => done.length >= stopAfter,
    sliceMs: 0,
  });
  return {result, done, nexts, instance, next};
}

describe('migrateInventory', () => {
  it('migrates every key and checks every record it protects under the new key', async () => {
    const {result, done, next} = await run(old());
    expect(result).toBe('finished');
    expect(done).toHaveLength(122);
    expect(done.filter((k) => k.outcome !== 'migrated')).toEqual([]);
    expect(done.map((k) => k.name)).toEqual(contents.keys.map((k) => k.name));
    // One application record per key, plus the three canaries init sealed under AES keys.
    expect(done.reduce((n, k) => n + k.verified, 0)).toBe(122 + 3);
    expect(new Set(done.map((k) => k.type))).toEqual(new Set(['rsa', 'ec', 'aes']));
    expect(done.every((k) => k.newKey?.startsWith(`new-hsm/keys/${k.name}/`))).toBe(true);
    expect(new Set(done.map((k) => k.newKey)).size).toBe(122);
    expect(next.keysMade).toBe(122);
  }, 60_000);

  it('names a key whose copy does not match its manifest, and a key whose canary no longer opens', async () => {
    const o = old((c, m) => {
      const k = c.keys[7];
      if (k) k.material[0] = (k.material[0] ?? 0) ^ 1;
      const canary = m.canaries[1];
      if (canary) {
        const ct = Buffer.from(canary.ciphertext, 'base64');
        ct[0] = (ct[0] ?? 0) ^ 1;
        canary.ciphertext = ct.toString('base64');
      }
    });
    const {result, done} = await run(o);
    expect(result).toBe('finished');
    const failed = done.filter((k) => k.outcome === 'failed');
    const canaryKey = o.manifest.canaries[1]?.key;
    expect(failed.map((k) => [k.name, k.reason])).toEqual(
      [
        [contents.keys[7]?.name, "the old instance's copy does not match its manifest"],
        [canaryKey, 'canary 2 (sealed at init): the old key does not open it'],
      ].sort(
        (a, b) =>
          contents.keys.findIndex((k) => k.name === a[0]) -
          contents.keys.findIndex((k) => k.name === b[0]),
      ),
    );
    const withCanary = failed.find((k) => k.name === canaryKey);
    // Its application record still moved: one of two records verified.
    expect([withCanary?.records, withCanary?.verified]).toEqual([2, 1]);
    expect(withCanary?.newKey).toBeUndefined();
    expect(done.filter((k) => k.outcome === 'migrated')).toHaveLength(120);
  }, 60_000);

  it('stops between keys when asked, and reports only the keys that were done', async () => {
    const {result, done, nexts} = await run(old(), 10);
    expect(result).toBe('stopped');
    expect(done.length).toBeGreaterThanOrEqual(10);
    expect(done.length).toBeLessThan(122);
    expect(done.every((k) => k.outcome === 'migrated' && k.verified === k.records)).toBe(true);
    expect(nexts.at(-1)).toBeUndefined();
  }, 60_000);

  it('purges the old instance: its keys are wiped and no key comes from it after', async () => {
    const o = old();
    const {instance} = await run(o, 1);
    const m = o.manifest.keys[1] as ManifestKey;
    expect(instance.key(m).ok).toBe(true);
    instance.purge();
    expect(instance.purged).toBe(true);
    expect(instance.key(m)).toEqual({ok: false, reason: 'the old instance was purged'});
    // The caller's payload is the caller's: the instance held and wiped its own copy.
    expect(o.payload.some((b) => b !== 0)).toBe(true);
  }, 60_000);

  it('refuses a payload that is not an HSM backup', () => {
    expect(
      OldInstance.fromPayload(id, Buffer.from('not a backup'), {keys: [], canaries: []}),
    ).toBeUndefined();
  });
});
