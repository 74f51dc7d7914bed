/**
 * The ceremony's ephemeral private key lives in its memory only. A whole plan with a remote
 * holder runs in process with request keys derived from key material the test chose (the
 * session's one test-only hook), so the test knows the private key — and checks it is the one
 * the request was made with, by its public half in the request file — and looks for it (raw,
 * hex, base64, base64url) in every file the drill, the holder and the store wrote, in the
 * session's state, and in everything reachable from the session object. The key itself is
 * held in a #private field, which nothing outside can reach (util.inspect does not show those
 * either): the walk is shown to find the key wherever it is reachable.
 */
import {randomBytes} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Aes256Gcm, CipherSuite, HkdfSha256} from '@hpke/core';
import {DhkemX25519HkdfSha256} from '@hpke/dhkem-x25519';
import {readPlan, runPlan} from '../../source/drill/plan.js';
import {ReportService} from '../../source/drill/services.js';
import {DrillSession} from '../../source/drill/session.js';
import {newKemKeyPair, openSealed, seal} from '../../source/remote/hpke.js';
import {wipeKemPrivateKey} from '../../source/remote/request.js';
import {openStore} from '../../source/store/store.js';
import {filesUnder} from '../helpers/files.js';
import {tempDir} from '../helpers/temp.js';
import {answer, demoKey, demoPass, demoSd} from './kit.js';

/** The X25519 key pair @hpke derives from `ikm` (RFC 9180 DeriveKeyPair), computed apart. */
async function keyPairFrom(ikm: Buffer) {
  const suite = new CipherSuite({
    kem: new DhkemX25519HkdfSha256(),
    kdf: new HkdfSha256(),
    aead: new Aes256Gcm(),
  });
  const pair = await suite.kem.deriveKeyPair(new Uint8Array(ikm));
  return {
    pair,
    privateKey: Buffer.from(await suite.kem.serializePrivateKey(pair.privateKey)),
    publicKey: Buffer.from(await suite.kem.serializePublicKey(pair.publicKey)),
  };
}

/**
 * Where `secret` is found in everything reachable from `root`: every own property (enumerable
 * or not, symbols too), array and typed-array element, Map and Set entry, and prototype, as a
 * path of property names. Byte arrays are searched for the secret's bytes, strings for its
 * text forms. A #private field is reachable from nowhere outside its class.
 */
function findReachable(root: unknown, secret: Buffer, texts: readonly string[]): string[] {
  const found: string[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (texts.some((t) => value.includes(t))) found.push(path);
      return;
    }
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return;
    if (seen.has(value)) return;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      if (bytes.includes(secret)) found.push(path);
      return;
    }
    if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
      if (Buffer.from(value).includes(secret)) found.push(path);
      return;
    }
    if (value instanceof Map)
      for (const [k, v] of value) {
        walk(k, `${path}<key>`);
        walk(v, `${path}.get(…)`);
      }
    if (value instanceof Set) for (const v of value) walk(v, `${path}<entry>`);
    for (const key of Reflect.ownKeys(value)) {
      const d = Object.getOwnPropertyDescriptor(value, key);
      // Getters are not called: reading must not change what is looked at.
      if (d && 'value' in d) walk(d.value, `${path}.${String(key)}`);
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== Function.prototype) walk(proto, `${path}<proto>`);
  };
  walk(root, 'session');
  return found;
}

const textForms = (b: Buffer): string[] => [
  b.toString('hex'),
  b.toString('base64').replace(/=+$/, ''),
  b.toString('base64url'),
];
const forms = (b: Buffer): Array<string | Buffer> => [b, ...textForms(b)];

const savedTmp = process.env.TMPDIR;
afterEach(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

describe("the ceremony's request key", () => {
  it('never reaches a file, the store, a report, the state, or anything reachable from the session', async () => {
    const dir = tempDir('remote-no-key');
    // Anything written to the temporary folder during the drill lands here, to be scanned.
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    process.env.TMPDIR = tmp;
    const ikm = randomBytes(32);
    const {privateKey: secret, publicKey} = await keyPairFrom(ikm);
    mkdirSync(join(dir, 'exchange'));
    const participants = ['alice', 'bob'].map((h) => {
      writeFileSync(join(dir, `${h}.pass`), `${demoPass(h)}\n`);
      return {custodian: h, role: 'Custodian', key: demoKey(h), passphraseFile: `${h}.pass`};
    });
    const request = join(dir, 'exchange', 'request-3.json');
    const contribution = join(dir, 'exchange', 'contribution-3.json');
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({
        domain: demoSd,
        scenario: 'destroyed',
        participants,
        remote: [{holder: 3, request, contribution, timeoutSeconds: 120}],
        reportDir: 'reports',
      }),
    );
    const plan = readPlan(join(dir, 'plan.json'));
    if (!plan.ok) throw plan.error;
    const reports = new ReportService(plan.value.reportDir, openStore({dir: join(dir, 'store')}));
    const session = new DrillSession({
      azureExchangeBits: 2048,
      pins: reports.pins,
      requestKeyMaterial: () => Buffer.from(ikm),
    });
    const told: string[] = [];
    const states: string[] = [];
    let reachable: string[] = [];
    await Promise.all([
      runPlan(plan.value, session, (l) => told.push(l)),
      (async () => {
        while (!readdirSync(join(dir, 'exchange')).includes('request-3.json'))
          await new Promise((r) => setTimeout(r, 20));
        // The secret is the request's key: the request carries its public half.
        const sent = JSON.parse(readFileSync(request, 'utf8')) as {publicKey: string};
        expect(Buffer.from(sent.publicKey, 'base64url').equals(publicKey)).toBe(true);
        // While the request is open and its key live: the session's state, and all of it.
        states.push(JSON.stringify(session.getState()));
        reachable = findReachable(session, secret, textForms(secret));
        const machine = join(dir, 'carol-machine');
        mkdirSync(machine);
        const out = await answer(
          machine,
          request,
          demoKey('carol'),
          demoPass('carol'),
          demoSd,
          join(machine, 'c.json'),
        );
        renameSync(out, contribution);
      })(),
    ]);
    expect(told).toContain('holder 3 (carol), remote: contribution accepted');
    expect(session.getState().outcome?.verdict).toBe('pass');
    states.push(JSON.stringify(session.getState()));
    const written = reports.finish(session);
    expect(written.error).toBeUndefined();
    session.wipeSecrets();

    const files = filesUnder(dir);
    expect(files.some((f) => f.startsWith(join(dir, 'reports')))).toBe(true);
    expect(files.some((f) => f.startsWith(join(dir, 'store')))).toBe(true);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const form of [...forms(secret), ...forms(ikm)])
        expect(bytes.includes(form), `${f} holds the request's private key`).toBe(false);
    }
    for (const form of textForms(secret)) expect(states.join('\n')).not.toContain(form);
    expect(reachable, 'the request key reachable from the session').toEqual([]);
  });

  it('the walk over the session finds the key wherever it is reachable (the check can fail)', async () => {
    const {pair, privateKey: secret} = await keyPairFrom(randomBytes(32));
    const texts = textForms(secret);
    const hidden = {deep: new Map([['request', [{key: pair.privateKey}]]])};
    expect(findReachable(hidden, secret, texts)).toEqual(['session.deep.get(…).0.key.key']);
    expect(findReachable({note: `key ${secret.toString('base64url')}`}, secret, texts)).toEqual([
      'session.note',
    ]);
    class Holder {
      readonly #key = pair.privateKey;
      has = (): boolean => this.#key !== undefined;
    }
    expect(findReachable(new Holder(), secret, texts)).toEqual([]);
  });

  it('once wiped, opens nothing', async () => {
    const pair = await newKemKeyPair();
    const info = Buffer.from('info');
    const aad = Buffer.from('aad');
    const sealed = await seal(pair.publicKey, info, aad, Buffer.from('a share'));
    const opened = await openSealed(pair.privateKey, info, aad, sealed);
    expect(opened?.toString()).toBe('a share');
    wipeKemPrivateKey(pair.privateKey);
    const raw = (pair.privateKey as unknown as {key: Uint8Array}).key;
    expect(raw.every((b) => b === 0)).toBe(true);
    expect(await openSealed(pair.privateKey, info, aad, sealed)).toBeUndefined();
  });
});
