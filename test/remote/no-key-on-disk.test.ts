/**
 * The ceremony's ephemeral private key lives in its memory only. A whole plan with a remote
 * holder runs in process with request keys derived from key material the test chose (the
 * session's one test-only hook), so the test knows the private key and looks for it — raw,
 * hex, base64, base64url — in every file the drill, the holder and the store wrote, and in
 * everything the session shows (its state, and what util.inspect can reach).
 */
import {randomBytes} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {inspect} from 'node:util';
import {afterEach, describe, expect, it} from 'vitest';
import {Aes256Gcm, CipherSuite, HkdfSha256} from '@hpke/core';
import {DhkemX25519HkdfSha256} from '@hpke/dhkem-x25519';
import {readPlan, runPlan} from '../../source/drill/plan.js';
import {ReportService} from '../../source/drill/services.js';
import {DrillSession} from '../../source/drill/session.js';
import {newKemKeyPair, openSealed, seal} from '../../source/remote/hpke.js';
import {wipeKemPrivateKey} from '../../source/remote/request.js';
import {openStore} from '../../source/store/store.js';
import {tempDir} from '../helpers/temp.js';
import {answer, demoKey, demoPass, demoSd} from './kit.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** The X25519 private key @hpke derives from `ikm` (RFC 9180 DeriveKeyPair), computed apart. */
async function privateKeyFrom(ikm: Buffer): Promise<Buffer> {
  const suite = new CipherSuite({
    kem: new DhkemX25519HkdfSha256(),
    kdf: new HkdfSha256(),
    aead: new Aes256Gcm(),
  });
  const pair = await suite.kem.deriveKeyPair(new Uint8Array(ikm));
  return Buffer.from(await suite.kem.serializePrivateKey(pair.privateKey));
}

const forms = (b: Buffer): Array<string | Buffer> => [
  b,
  b.toString('hex'),
  b.toString('base64').replace(/=+$/, ''),
  b.toString('base64url'),
];

const savedTmp = process.env.TMPDIR;
afterEach(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

describe("the ceremony's request key", () => {
  it('never reaches a file, the store, a report, the state or anything inspect can show', async () => {
    const dir = tempDir('remote-no-key');
    // Anything written to the temporary folder during the drill lands here, to be scanned.
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    process.env.TMPDIR = tmp;
    const ikm = randomBytes(32);
    const secret = await privateKeyFrom(ikm);
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
    const shown: string[] = [];
    await Promise.all([
      runPlan(plan.value, session, (l) => told.push(l)),
      (async () => {
        while (!readdirSync(join(dir, 'exchange')).includes('request-3.json'))
          await new Promise((r) => setTimeout(r, 20));
        // While the request is open and its key live: what the session shows of itself.
        shown.push(
          JSON.stringify(session.getState()),
          inspect(session, {depth: Infinity, showHidden: true}),
        );
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
    shown.push(JSON.stringify(session.getState()));
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
    // inspect prints a Uint8Array's bytes as "161, 136, …" over lines: compare without spaces.
    const text = shown.join('\n');
    const squeezed = text.replace(/\s+/g, '');
    expect(squeezed.includes([...secret].join(','))).toBe(false);
    for (const form of forms(secret).filter((f): f is string => typeof f === 'string'))
      expect(text.includes(form)).toBe(false);
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
