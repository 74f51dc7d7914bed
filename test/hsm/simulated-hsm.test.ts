/**
 * The recovery HSM takes a reconstructed domain and reports it restored only when every key
 * matches the manifest and every pre-disaster canary decrypts. Anything less — an edited
 * file, a wrong key, a key missing, a canary that no longer decrypts — ends `restore-failed`,
 * never `restored`.
 */
import {randomBytes, randomUUID} from 'node:crypto';
import {readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openNativeDomain, type NativeDomain} from '../../source/domain/native/reader.js';
import type {NativeDomainFile} from '../../source/domain/native/schema.js';
import {createNativeDomain} from '../../source/domain/native/writer.js';
import {
  buildManifest,
  decodeContents,
  encodeContents,
  generateContents,
  keyIsUsable,
  type HsmContents,
} from '../../source/hsm/inventory.js';
import {
  newHsmState,
  readHsmState,
  RecoveryHsm,
  writeHsmState,
  type RestoreProgress,
} from '../../source/hsm/simulated-hsm.js';
import {presented, testHolders, type TestHolder} from '../helpers/keys.js';
import {tempDir} from '../helpers/temp.js';

const KEYS = 30;
let holders: TestHolder[] = [];
let contents: HsmContents;
let id = '';

beforeAll(async () => {
  holders = await testHolders(5);
  id = randomUUID();
  contents = await generateContents({name: 'drill-hsm', id}, KEYS);
});

/** Writes a domain for `contents`, letting a test spoil the manifest or payload first. */
function makeDomain(
  spoil: {manifest?: (m: NativeDomainFile['manifest']) => void; contents?: HsmContents} = {},
): NativeDomainFile {
  const manifest = buildManifest(id, contents);
  spoil.manifest?.(manifest);
  const json = createNativeDomain({
    hsmName: 'drill-hsm',
    id,
    required: 3,
    holders: holders.map((h) => ({name: h.name, certificate: h.certificate})),
    payload: encodeContents(spoil.contents ?? contents),
    manifest,
  });
  return JSON.parse(json) as NativeDomainFile;
}

function open(doc: NativeDomainFile): NativeDomain {
  const r = openNativeDomain('security-domain.json', JSON.parse(JSON.stringify(doc)));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Three holders bring their keys: the reconstructed domain key. */
function domainKey(domain: NativeDomain): Buffer {
  const shares = [0, 2, 4].map((i) => {
    const r = domain.openShare(presented(holders[i] as TestHolder));
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });
  const r = domain.reconstruct(shares);
  if (!r.ok) throw new Error(r.error.message);
  return Buffer.from(r.value.secret);
}

describe('the inventory', () => {
  it('encodes and decodes every key, each usable as its type', () => {
    const decoded = decodeContents(encodeContents(contents));
    expect(decoded?.keys.map((k) => `${k.name}@${k.version}:${k.type}`)).toEqual(
      contents.keys.map((k) => `${k.name}@${k.version}:${k.type}`),
    );
    expect(decoded?.keys.every((k) => keyIsUsable(k))).toBe(true);
    expect(new Set(contents.keys.map((k) => k.type))).toEqual(new Set(['rsa', 'ec', 'aes']));
    expect(decodeContents(randomBytes(64))).toBeUndefined();
  });
});

describe('restoring into a new HSM in recovery mode', () => {
  it('restores a reconstructed domain: every key, every canary, verified', async () => {
    const domain = open(makeDomain());
    const hsm = new RecoveryHsm();
    expect(hsm.status).toBe('recovery-mode');
    const progress: RestoreProgress[] = [];
    const r = await hsm.upload(domain, hsm.wrapForUpload(domainKey(domain)), (p) =>
      progress.push(p),
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.verified).toBe(true);
    expect(r.value.keysExpected).toBe(KEYS + 2); // the inventory plus signing and data keys
    expect(r.value.keysRestored).toBe(r.value.keysExpected);
    expect(r.value.mismatched).toEqual([]);
    expect(r.value.canaries.total).toBeGreaterThan(0);
    expect(r.value.canaries.passed).toBe(r.value.canaries.total);
    expect(hsm.status).toBe('restored');
    expect(progress.at(-1)).toEqual({done: KEYS + 2, total: KEYS + 2});
  });

  it('an altered manifest digest: the payload fails authentication and nothing is restored', async () => {
    const good = makeDomain();
    const key = domainKey(open(good));
    const edited = JSON.parse(JSON.stringify(good)) as NativeDomainFile;
    const k = edited.manifest.keys[3]!;
    k.digest = (k.digest[0] === 'a' ? 'b' : 'a') + k.digest.slice(1);
    const hsm = new RecoveryHsm();
    const r = await hsm.upload(open(edited), hsm.wrapForUpload(key));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe('payload-tampered');
    expect(hsm.status).toBe('restore-failed');
  });

  it('a key whose material does not match the manifest: not verified, the key named', async () => {
    const domain = open(makeDomain({manifest: (m) => (m.keys[5]!.digest = '0'.repeat(64))}));
    const hsm = new RecoveryHsm();
    const r = await hsm.upload(domain, hsm.wrapForUpload(domainKey(domain)));
    if (!r.ok) throw new Error(r.error.message);
    const named = contents.keys[5]!;
    expect(r.value.verified).toBe(false);
    expect(r.value.keysRestored).toBe(r.value.keysExpected - 1);
    expect(r.value.mismatched).toEqual([`${named.name} v${named.version}`]);
    expect(hsm.status).toBe('restore-failed');
  });

  it('a key missing from the backup: not verified', async () => {
    const partial: HsmContents = {...contents, keys: contents.keys.filter((_, i) => i !== 7)};
    const domain = open(makeDomain({contents: partial}));
    const hsm = new RecoveryHsm();
    const r = await hsm.upload(domain, hsm.wrapForUpload(domainKey(domain)));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.verified).toBe(false);
    expect(r.value.mismatched).toHaveLength(1);
    expect(hsm.status).toBe('restore-failed');
  });

  it('a canary that no longer decrypts: not verified, even with every key restored', async () => {
    const domain = open(
      makeDomain({manifest: (m) => (m.canaries[0]!.plaintextSha256 = 'f'.repeat(64))}),
    );
    const hsm = new RecoveryHsm();
    const r = await hsm.upload(domain, hsm.wrapForUpload(domainKey(domain)));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.keysRestored).toBe(r.value.keysExpected);
    expect(r.value.canaries.passed).toBe(r.value.canaries.total - 1);
    expect(r.value.verified).toBe(false);
    expect(hsm.status).toBe('restore-failed');
  });

  it('a domain key wrapped for another HSM, or the wrong domain key, restores nothing', async () => {
    const domain = open(makeDomain());
    const key = domainKey(domain);
    const hsm = new RecoveryHsm();
    const other = new RecoveryHsm();
    const wrongExchange = await hsm.upload(domain, other.wrapForUpload(key));
    expect(!wrongExchange.ok && wrongExchange.error.reason).toBe('upload-unwrap');
    expect(hsm.status).toBe('restore-failed');
    const wrongKey = await other.upload(domain, other.wrapForUpload(randomBytes(32)));
    expect(!wrongKey.ok && wrongKey.error.reason).toBe('payload-tampered');
    expect(other.status).toBe('restore-failed');
  });
});

describe('the HSM state file', () => {
  let dir = '';
  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true});
  });

  it('round-trips, holds nothing secret, and is not overwritten unless asked', () => {
    dir = tempDir('hsm');
    const state = newHsmState('drill-hsm', id, '/sd/security-domain.json');
    expect(writeHsmState(dir, state, false).ok).toBe(true);
    const back = readHsmState(dir);
    expect(back.ok && back.value).toEqual(state);
    const text = readFileSync(join(dir, 'state.json'), 'utf8');
    expect(text).not.toMatch(/PRIVATE KEY/);
    const again = writeHsmState(dir, {...state, status: 'destroyed'}, false);
    expect(!again.ok && again.error.reason).toBe('exists');
    expect(readHsmState(dir)).toEqual(back);
    expect(writeHsmState(dir, {...state, status: 'destroyed'}, true).ok).toBe(true);
    const forced = readHsmState(dir);
    expect(forced.ok && forced.value.status).toBe('destroyed');
  });
});
