/**
 * Secrets hygiene. Known passphrases, private keys, shares and domain secrets are pushed
 * through every failure path of the headless commands (wrong passphrase, a stranger's key, a
 * corrupt share, a forged share, a failed and an aborted drill, restore-blob) and every
 * output is scanned for them — stdout, stderr, reports, the config store, the restore blob —
 * in plain text, hex, base64 and base64url. In process, the Buffers that held them are
 * checked to be zero once the session is done with them.
 */
import {
  constants,
  createPrivateKey,
  publicEncrypt,
  randomBytes,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import secrets from 'secrets.js-grempe';
import {beforeAll, describe, expect, it} from 'vitest';
import type {AzureDomain} from '../../source/domain/azure/reader.js';
import type {OpenedShare, PresentedKey} from '../../source/domain/format.js';
import {loadPrivateKey} from '../../source/domain/key-unlock.js';
import {oaepLabel} from '../../source/domain/native/crypto.js';
import type {NativeDomain, NativeReconstructed} from '../../source/domain/native/reader.js';
import type {NativeDomainFile} from '../../source/domain/native/schema.js';
import {openDomainFile} from '../../source/domain/open.js';
import {presentKeyFile} from '../../source/domain/present-key.js';
import {ReportService} from '../../source/drill/services.js';
import {DrillSession} from '../../source/drill/session.js';
import {openStore} from '../../source/store/store.js';
import {openssl} from '../helpers/keys.js';
import {cleanErrorProblems, type CliResult} from '../helpers/run-cli.js';
import {
  AZURE_PASSPHRASE,
  azureDir,
  azureRestoreBlobArgs,
  azureSd,
  cli,
  copyDemo,
  demoPassphrase,
  filesUnder,
  leaks,
  leaksInFiles,
  secret,
  tmp,
  writePlan,
  type Secret,
} from './kit.js';

let dir = '';
let store = '';
const at = (...p: string[]): string => join(dir, ...p);
const runs: Array<{what: string; result: CliResult}> = [];
const known: Secret[] = [];

const PASS = [1, 2, 3].map((i) => `holder-${i} ${randomBytes(8).toString('hex')}`);
const WRONG = `wrong ${randomBytes(8).toString('hex')}`;
const sd = (): string => at('gen', 'security-domain.json');
const key = (i: number): string => at('gen', 'sticks', `holder-${i}`, `holder-${i}.key`);

async function run(what: string, args: string[]): Promise<CliResult> {
  const result = await cli(args, {store, timeout: 60_000});
  runs.push({what, result});
  return result;
}

function passFile(name: string, lines: string[]): string {
  const f = at('pass', name);
  writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

/** A private key's secret numbers (d, p, q) as they could leak. */
function privateParts(name: string, k: KeyObject): Secret[] {
  const jwk = k.export({format: 'jwk'});
  return (['d', 'p', 'q'] as const).map((part) =>
    secret(`${name} ${part}`, Buffer.from(jwk[part] ?? '', 'base64url')),
  );
}

/** A share as it could leak: its ASCII form and its bytes. */
function shareSecret(name: string, share: Buffer): Secret {
  const s = secret(name, share);
  return {name, forms: [...s.forms, share.toString('latin1')]};
}

beforeAll(async () => {
  dir = tmp('secrets');
  store = tmp('secrets-store');
  mkdirSync(at('pass'));
  const init = await run('init', [
    'init',
    '--out',
    at('gen'),
    '--holders',
    '3',
    '--quorum',
    '2',
    '--keys',
    '6',
    '--key-bits',
    '2048',
    '--passphrase-file',
    passFile('init.txt', PASS),
  ]);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  openssl(['genrsa', '-out', at('stranger.key'), '2048']);

  // What a leak would look like: learnt here, in the test, from the keys and the domain.
  known.push(...PASS.map((p, i) => secret(`holder ${i + 1}'s passphrase`, p)));
  known.push(
    secret('the wrong passphrase', WRONG),
    secret('the Azure passphrase', AZURE_PASSPHRASE),
  );
  known.push(secret('a PEM private key', 'PRIVATE KEY'));
  const opened = openDomainFile(sd());
  if (!opened.ok) throw opened.error;
  const shares: OpenedShare[] = [];
  for (const i of [1, 2, 3]) {
    const k = await loadPrivateKey(key(i), Buffer.from(PASS[i - 1] as string));
    if (!k.ok) throw k.error;
    known.push(...privateParts(`holder ${i}'s key`, k.value.privateKey));
    const share = await presentKeyFile(
      opened.value.domain,
      key(i),
      Buffer.from(PASS[i - 1] as string),
    );
    if (!share.ok) throw share.error;
    shares.push(share.value.opened);
    known.push(shareSecret(`holder ${i}'s share`, share.value.opened.secret));
  }
  const rec = (opened.value.domain as NativeDomain).reconstruct(shares);
  if (!rec.ok) throw rec.error;
  known.push(secret('the domain key', rec.value.secret));
  // The payload ends with the HSM's key material.
  known.push(secret("the HSM's key material", rec.value.payload.subarray(-48)));
  rec.value.wipe();
  known.push(...privateParts('the stranger', createPrivateKey(readFileSync(at('stranger.key')))));
  const expected = JSON.parse(readFileSync(join(azureDir, 'expected.json'), 'utf8')) as {
    combined_secret_hex: string;
  };
  known.push(secret('the Azure combined secret', Buffer.from(expected.combined_secret_hex, 'hex')));
  for (const h of ['holder1', 'holder2']) {
    const pem = readFileSync(join(azureDir, 'holders', `${h}.pem`));
    const k = createPrivateKey(h === 'holder2' ? {key: pem, passphrase: AZURE_PASSPHRASE} : pem);
    known.push(...privateParts(`Azure ${h}'s key`, k));
  }

  // Damaged copies of the domain: holder 2's share corrupt, then forged.
  const doc = JSON.parse(readFileSync(sd(), 'utf8')) as NativeDomainFile;
  const corrupt = structuredClone(doc);
  const c = Buffer.from(corrupt.shares[1]?.ciphertext ?? '', 'base64');
  c[10] = (c[10] ?? 0) ^ 0xff;
  (corrupt.shares[1] as {ciphertext: string}).ciphertext = c.toString('base64');
  writeFileSync(at('corrupt.json'), JSON.stringify(corrupt));
  const forged = structuredClone(doc);
  const victim = forged.holders[1] as NativeDomainFile['holders'][number];
  const fake = secrets.share(randomBytes(32).toString('hex'), 3, 2)[1] as string;
  known.push(shareSecret('the forged share', Buffer.from(fake, 'latin1')));
  (forged.shares[1] as {ciphertext: string}).ciphertext = publicEncrypt(
    {
      key: new X509Certificate(Buffer.from(victim.certificate, 'base64')).publicKey,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: oaepLabel(forged.domain.id, victim.index),
    },
    Buffer.from(fake, 'latin1'),
  ).toString('base64');
  writeFileSync(at('forged.json'), JSON.stringify(forged));
}, 120_000);

const keys = (...i: number[]): string[] => i.flatMap((n) => ['--key', key(n)]);

describe('every failure path, with known secrets fed in', () => {
  it('verify: a wrong passphrase (exit 2), plain and --json', async () => {
    const pf = passFile('wrong.txt', [WRONG, PASS[1] as string]);
    for (const json of [[], ['--json']]) {
      const r = await run('wrong passphrase', [
        'verify',
        '--sd',
        sd(),
        ...keys(1, 2),
        ...json,
        '--passphrase-file',
        pf,
      ]);
      expect(r.code).toBe(2);
      expect(cleanErrorProblems(r.stderr)).toEqual([]);
      expect(r.stderr).toMatch(/wrong passphrase for \S+holder-1\.key/);
    }
  });

  it("verify: a stranger's key in a holder's place (exit 1)", async () => {
    const pf = passFile('stranger.txt', [PASS[0] as string, '']);
    const r = await run('stranger', [
      'verify',
      '--sd',
      sd(),
      ...keys(1),
      '--key',
      at('stranger.key'),
      '--passphrase-file',
      pf,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(at('stranger.key'));
  });

  it('verify: a corrupt share (exit 1), naming the holder', async () => {
    const pf = passFile('two.txt', PASS.slice(0, 2));
    const r = await run('corrupt share', [
      'verify',
      '--sd',
      at('corrupt.json'),
      ...keys(1, 2),
      '--passphrase-file',
      pf,
    ]);
    expect(r.code).toBe(1);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/share of holder 2/);
  });

  it('verify: a forged share, named with three holders (exit 0) and unnameable with two (exit 1)', async () => {
    const three = await run('forged, 3', [
      'verify',
      '--json',
      '--sd',
      at('forged.json'),
      ...keys(1, 2, 3),
      '--passphrase-file',
      passFile('three.txt', PASS),
    ]);
    expect(three.code).toBe(0);
    expect(JSON.parse(three.stdout)).toMatchObject({ok: true, badShares: [{holderIndex: 2}]});
    const two = await run('forged, 2', [
      'verify',
      '--sd',
      at('forged.json'),
      ...keys(1, 2),
      '--passphrase-file',
      passFile('two-f.txt', PASS.slice(0, 2)),
    ]);
    expect(two.code).toBe(1);
    expect(cleanErrorProblems(two.stderr)).toEqual([]);
  });

  it('verify: a pass prints digests, never the secret (plain and --json)', async () => {
    const pf = passFile('ok.txt', PASS.slice(1, 3));
    for (const json of [[], ['--json']]) {
      const r = await run('pass', [
        'verify',
        '--sd',
        sd(),
        ...keys(2, 3),
        ...json,
        '--passphrase-file',
        pf,
      ]);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('drill --plan: a failed drill (wrong passphrase), an aborted one, and a passing one', async () => {
    const reports = at('reports');
    const plan = (name: string, pass: string[]): void => {
      pass.forEach((p, i) => passFile(`${name}-${i + 1}.txt`, [p]));
      writePlan(at(`${name}.json`), {
        domain: 'gen/security-domain.json',
        reportDir: 'reports',
        participants: [1, 2].map((i) => ({
          custodian: `custodian ${i}`,
          role: 'holder',
          key: `gen/sticks/holder-${i}/holder-${i}.key`,
          passphraseFile: `pass/${name}-${i}.txt`,
        })),
      });
    };
    const verdicts = (): string[] =>
      filesUnder(reports)
        .filter((f) => f.endsWith('.json'))
        .map((f) => (JSON.parse(readFileSync(f, 'utf8')) as {verdict: string}).verdict)
        .sort();
    plan('failing', [PASS[0] as string, WRONG]);
    const failing = await run('failing plan', ['drill', '--plan', at('failing.json')]);
    expect(failing.code).toBe(1);
    expect(verdicts()).toEqual(['fail']);
    plan('passing', PASS.slice(0, 2));
    const passing = await run('passing plan', ['drill', '--plan', at('passing.json')]);
    expect(passing.code, passing.stderr).toBe(0);
    expect(verdicts()).toEqual(['fail', 'pass']);
    // Aborted while holding a share: the first custodian's share is opened, then the second
    // one's passphrase file turns out to be a folder, and the drill is abandoned.
    plan('aborted', [PASS[0] as string]);
    mkdirSync(at('pass', 'aborted-2.txt'));
    const aborted = await run('aborted plan', ['drill', '--plan', at('aborted.json')]);
    expect(aborted.code).toBe(1);
    expect(aborted.stdout).toMatch(/^custodian 1: share of holder 1 \(holder-1\) accepted$/m);
    expect(aborted.stdout).toMatch(/^Drill aborted: .*aborted-2\.txt: is a directory/m);
    expect(verdicts()).toEqual(['aborted', 'fail', 'pass']);
  }, 60_000);

  it('restore-blob: a wrong passphrase (exit 2), then a blob written', async () => {
    mkdirSync(at('blob'));
    const wrong = await run(
      'restore-blob wrong',
      azureRestoreBlobArgs(at('blob', 'never.json'), passFile('az-wrong.txt', ['', WRONG])),
    );
    expect(wrong.code).toBe(2);
    expect(cleanErrorProblems(wrong.stderr)).toEqual([]);
    const ok = await run('restore-blob', [
      ...azureRestoreBlobArgs(at('blob', 'restore-blob.json')),
      '--json',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(filesUnder(at('blob')).map((f) => f.slice(at('blob').length + 1))).toEqual([
      'restore-blob.json',
    ]);
  });

  it('nothing above leaked anything, in any output or file written', () => {
    expect(runs.length).toBeGreaterThanOrEqual(14);
    expect(known.length).toBeGreaterThan(20);
    const printed = runs.flatMap(({what, result}) =>
      leaks(result.stdout + result.stderr, known).map((l) => `${what}: ${l}`),
    );
    expect(printed).toEqual([]);
    // Everything written: reports, the store, the restore blob, the domain copies — all
    // but the holders' own encrypted keys and the passphrase files this test wrote.
    const written = leaksInFiles(
      [dir, store],
      known,
      (f) => f.endsWith('.key') || f.startsWith(at('pass')),
    );
    expect(written).toEqual([]);
    expect(filesUnder(store).length).toBeGreaterThan(0);
    expect(filesUnder(at('reports')).length).toBeGreaterThanOrEqual(4);
  });
});

/** A session walked to the collect step on a fresh copy of the demo domain. */
async function demoSession(): Promise<{
  session: DrillSession;
  demo: ReturnType<typeof copyDemo>;
  shares: Buffer[];
}> {
  const demo = copyDemo(tmp('wipe-demo'));
  const session = new DrillSession({idleLimitMs: 600_000});
  session.chooseMode('rehearsal');
  expect(session.loadDomain(demo.sd)).toBe(true);
  const domain = session.openedDomain?.domain as NativeDomain;
  const shares: Buffer[] = [];
  const openShare = domain.openShare.bind(domain);
  domain.openShare = (p: PresentedKey) => {
    const r = openShare(p);
    if (r.ok) shares.push(r.value.secret);
    return r;
  };
  session.inspected();
  session.simulateDisaster('purged');
  await session.bringUpRecoveryHsm();
  return {session, demo, shares};
}

async function present(
  session: DrillSession,
  file: string,
  passphrase: Buffer | undefined,
  who = 'custodian',
): Promise<void> {
  const path = dirname(file);
  const stick = {path, label: path, source: 'folder' as const, removable: null, device: path};
  await session.presentFile(stick, file, {name: who, role: 'holder'}, passphrase);
  if (session.getState().presenting) session.cancelPresenting();
  session.stickRemoved(path);
}

const zero = (b: Buffer): boolean => b.every((x) => x === 0);

describe('the Buffers that held secrets are zero when done', () => {
  it('passphrases, right or wrong, are wiped as soon as they are tried', async () => {
    const {session, demo} = await demoSession();
    const right = Buffer.from(demoPassphrase('alice'));
    const wrong = Buffer.from(WRONG);
    const stranger = Buffer.from(WRONG);
    await present(session, demo.key('alice'), right);
    await present(session, demo.key('bob'), wrong);
    await present(session, at('stranger.key'), stranger);
    expect([right, wrong, stranger].map(zero)).toEqual([true, true, true]);
    session.abort('test over');
  });

  it('shares held in collect are wiped when the drill is aborted', async () => {
    const {session, demo, shares} = await demoSession();
    await present(session, demo.key('alice'), Buffer.from(demoPassphrase('alice')));
    await present(session, demo.key('bob'), Buffer.from(demoPassphrase('bob')));
    expect(shares).toHaveLength(2);
    expect(shares.some(zero)).toBe(false);
    session.abort('interrupted by SIGTERM');
    expect(shares.map(zero)).toEqual([true, true]);
    expect(session.domainSecret).toBeUndefined();
  });

  it('a passing drill: shares wiped after reconstruction, the domain key and payload after the report', async () => {
    const {session, demo, shares} = await demoSession();
    const domain = session.openedDomain?.domain as NativeDomain;
    const reconstruct = domain.reconstruct.bind(domain);
    const made: NativeReconstructed[] = [];
    domain.reconstruct = (s: OpenedShare[]) => {
      const r = reconstruct(s);
      if (r.ok) made.push(r.value);
      return r;
    };
    for (const h of ['alice', 'bob', 'carol'])
      await present(session, demo.key(h), Buffer.from(demoPassphrase(h)), h);
    await session.reconstructAndRestore();
    expect(session.getState().outcome?.verdict).toBe('pass');
    expect(shares.map(zero)).toEqual([true, true, true]);
    const [rec] = made;
    expect(rec && !zero(rec.secret) && !zero(rec.payload)).toBe(true);
    const reports = new ReportService(tmp('wipe-reports'), openStore({dir: tmp('wipe-store')}));
    const finished = reports.finish(session);
    expect(finished.error).toBeUndefined();
    expect(zero(rec?.secret ?? Buffer.alloc(1, 1))).toBe(true);
    expect(zero(rec?.payload ?? Buffer.alloc(1, 1))).toBe(true);
    expect(session.domainSecret).toBeUndefined();
  });

  it('a failed reconstruction (a corrupt share among them) wipes every share', async () => {
    const {session, demo, shares} = await demoSession();
    for (const h of ['alice', 'bob'])
      await present(session, demo.key(h), Buffer.from(demoPassphrase(h)), h);
    const domain = session.openedDomain?.domain as NativeDomain;
    const reconstruct = domain.reconstruct.bind(domain);
    // Alice's share is damaged in memory after it opened: no combination authenticates.
    domain.reconstruct = (s: OpenedShare[]) => {
      const [first] = s;
      const last = first ? first.secret.length - 1 : -1;
      if (first) first.secret[last] = (first.secret[last] ?? 0) ^ 0x01;
      return reconstruct(s);
    };
    await present(session, demo.key('carol'), Buffer.from(demoPassphrase('carol')), 'carol');
    await session.reconstructAndRestore();
    expect(session.getState().outcome?.verdict).toBe('fail');
    expect(shares.map(zero)).toEqual([true, true, true]);
    expect(session.domainSecret).toBeUndefined();
  });

  it('Azure restore mode: the blob plaintexts and the combined secret are wiped; the blob holds neither', async () => {
    const out = join(tmp('wipe-azure'), 'restore-blob.json');
    const session = new DrillSession({
      idleLimitMs: 600_000,
      azureExchangeBits: 2048,
      exchangeKeyFile: join(azureDir, 'exchange', 'exchange.pem'),
      restoreBlobOut: out,
    });
    session.chooseMode('restore');
    expect(session.loadDomain(azureSd)).toBe(true);
    const domain = session.openedDomain?.domain as AzureDomain;
    const plaintexts: Buffer[] = [];
    const forms: Secret[] = [];
    const decryptBlobs = domain.decryptBlobs.bind(domain);
    domain.decryptBlobs = (s: Buffer) => {
      const r = decryptBlobs(s);
      if (r.ok) {
        for (const b of r.value) {
          plaintexts.push(b.plaintext);
          forms.push(secret(`blob ${b.tag}`, Buffer.from(b.plaintext.subarray(0, 48))));
        }
      }
      return r;
    };
    session.inspected();
    await session.bringUpRecoveryHsm();
    await present(session, join(azureDir, 'holders', 'holder1.pem'), undefined);
    await present(session, join(azureDir, 'holders', 'holder2.pem'), Buffer.from(AZURE_PASSPHRASE));
    await session.reconstructAndRestore();
    expect(session.getState().outcome?.verdict, session.getState().outcome?.reason).toBe('pass');
    const secretBuf = session.domainSecret;
    expect(secretBuf && !zero(secretBuf)).toBe(true);
    // Decrypted twice: once to check the restore, once for the blob written.
    expect(plaintexts.length).toBeGreaterThanOrEqual(3);
    expect(plaintexts.every(zero)).toBe(true);
    session.wipeSecrets();
    expect(zero(secretBuf as Buffer)).toBe(true);
    expect(leaks(readFileSync(out, 'latin1'), [...forms, ...known])).toEqual([]);
  });
});
