/**
 * `sd-drill rotate` and `verify --all` on the built bundle, as a script runs them. A native
 * and an Azure domain are rotated to new holders: the new file holds the same domain (the
 * same report key and blobs; native: the same id, generation + 1; Azure: the same EncData,
 * opened by the tests' independent decoder and by restore-blob), the new keys open it and
 * the departed ones do not. Every refusal writes nothing. Each test has its own store.
 */
import {createHash, createPrivateKey, generateKeyPairSync} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {selfSignedCertificatePem} from '../../source/domain/make-key.js';
import {selfSignedCertificate} from '../../source/domain/self-signed.js';
import {
  decodeRestoreBlobIndependently,
  decodeSecurityDomainIndependently,
} from '../domain/azure/independent-decoder.js';
import {demoCer, demoKey, demoPassphrase, demoSd, fixturesDir} from '../helpers/paths.js';
import {premadeKey} from '../helpers/keys.js';
import {sha256File} from '../helpers/files.js';
import {cleanErrorProblems, keyArgs, runCli, type CliResult} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';

const azure = join(fixturesDir, 'azure');
const azureSd = join(azure, 'security-domain.json');
const AZURE = JSON.parse(readFileSync(join(azure, 'expected.json'), 'utf8')) as {
  combined_secret_hex: string;
  blobs: Array<{tag: string; bytes: number; sha256: string}>;
};

/** New holders made for this file: unencrypted keys with their certificates beside. */
let shared = '';
const NEW = ['grace', 'heidi', 'ivan'] as const;
const newKey = (n: string) => join(shared, n, `${n}.key`);
const newCer = (n: string) => join(shared, n, `${n}.cer`);
let weakCer = '';

beforeAll(async () => {
  shared = tempDir('rotate');
  for (const [i, name] of NEW.entries()) {
    const privateKey = premadeKey(i);
    mkdirSync(join(shared, name));
    writeFileSync(newKey(name), privateKey.export({type: 'pkcs8', format: 'pem'}));
    writeFileSync(newCer(name), selfSignedCertificatePem(privateKey, name));
  }
  const weak = generateKeyPairSync('rsa', {modulusLength: 1024}).privateKey;
  weakCer = join(shared, 'weak.cer');
  writeFileSync(weakCer, selfSignedCertificate(weak, {commonName: 'weak'}));
});

function store(work: string): NodeJS.ProcessEnv {
  return {SD_DRILL_CONFIG_DIR: join(work, 'store')};
}

function cli(work: string, ...args: string[]): CliResult {
  return runCli(args, {env: store(work)});
}

function passFile(work: string, ...lines: string[]): string {
  const file = join(
    work,
    `pass-${createHash('sha256').update(lines.join('|')).digest('hex').slice(0, 8)}.txt`,
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Demo holders' keys and a passphrase file with theirs, in order. */
const demoHolders = (work: string, ...holders: string[]): string[] => [
  ...keyArgs(...holders.map(demoKey)),
  ...['--passphrase-file', passFile(work, ...holders.map(demoPassphrase))],
];

/** `verify --all --json` of `sd`: does every holder prove their key? */
const verifyAll = (work: string, sd: string, ...args: string[]): CliResult =>
  cli(work, 'verify', '--all', '--json', '--sd', sd, ...args);

const sha = sha256File;
const json = <T>(r: CliResult): T => JSON.parse(r.stdout) as T;

interface VerifyJson {
  ok: boolean;
  reportKey?: string;
  blobs?: Array<{tag: string; bytes: number; sha256: string}>;
  refused: Array<{file: string; reason: string}>;
  all?: {
    proven: number;
    total: number;
    holders: Array<{holder: number; name: string | null; proven: boolean; reason: string | null}>;
  };
}

/** Alice, Bob and Carol (the demo's old quorum) rotate the demo domain to `certs`. */
function rotateDemo(
  work: string,
  certs: string[],
  quorum: number,
  out: string,
  ...extra: string[]
) {
  return cli(
    work,
    'rotate',
    ...['--sd', demoSd, ...demoHolders(work, 'alice', 'bob', 'carol')],
    ...certs.flatMap((c) => ['--cert', c]),
    ...['--quorum', String(quorum), '--out', out],
    ...extra,
  );
}

describe('rotate: native', () => {
  it('writes the same domain to new holders: same id, report key and contents, generation + 1; new keys open it, departed keys do not', () => {
    const work = tempDir('rotate-native');
    const out = join(work, 'new-sd.json');
    const before = sha(demoSd);
    const old = json<VerifyJson>(
      cli(work, 'verify', '--json', '--sd', demoSd, ...demoHolders(work, 'dave', 'erin', 'alice')),
    );
    expect(old.ok).toBe(true);

    const r = rotateDemo(
      work,
      [demoCer('alice'), demoCer('bob'), newCer('grace'), newCer('heidi')],
      3,
      out,
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = json<{
      ok: boolean;
      format: string;
      from: {required: number; total: number};
      to: {required: number; total: number; generation: number; sha256: string};
      reportKey: string;
      blobs: unknown;
      holders: {kept: unknown[]; added: Array<{name: string}>; departed: Array<{holder: number}>};
      destroy: Array<{what: string}>;
      azDownload: string | null;
    }>(r);
    expect(res).toMatchObject({
      ok: true,
      format: 'native',
      from: {required: 3, total: 5},
      to: {required: 3, total: 4, generation: 2},
    });
    expect(res.reportKey).toBe(old.reportKey);
    expect(res.blobs).toEqual(old.blobs);
    expect(res.holders.kept).toHaveLength(2);
    expect(res.holders.added.map((a) => a.name)).toEqual(['grace', 'heidi']);
    expect(res.holders.departed.map((d) => d.holder)).toEqual([3, 4, 5]);
    expect(res.destroy.map((d) => d.what)).toEqual([
      'domain-file',
      'wrapping-key',
      'wrapping-key',
      'wrapping-key',
    ]);
    expect(res.azDownload).toBeNull();
    expect(sha(demoSd)).toBe(before);
    expect(sha(out)).toBe(res.to.sha256);

    const oldDoc = JSON.parse(readFileSync(demoSd, 'utf8')) as {
      domain: Record<string, unknown>;
      manifest: unknown;
    };
    const newDoc = JSON.parse(readFileSync(out, 'utf8')) as typeof oldDoc & {
      holders: Array<{name: string}>;
    };
    expect(newDoc.domain).toEqual({...oldDoc.domain, generation: 2});
    expect(newDoc.manifest).toEqual(oldDoc.manifest);
    expect(newDoc.holders.map((h) => h.name)).toEqual(['alice', 'bob', 'grace', 'heidi']);

    // Every new holder proves their key; the result is the same domain.
    const all = verifyAll(
      work,
      out,
      ...keyArgs(demoKey('alice'), demoKey('bob'), newKey('grace'), newKey('heidi')),
      '--passphrase-file',
      passFile(work, demoPassphrase('alice'), demoPassphrase('bob'), '', ''),
    );
    expect(all.code).toBe(0);
    const proof = json<VerifyJson>(all);
    expect(proof.all).toMatchObject({proven: 4, total: 4});
    expect(proof.reportKey).toBe(old.reportKey);
    expect(proof.blobs).toEqual(old.blobs);

    // The departed holders' keys are not keys of the new file.
    const gone = cli(
      work,
      'verify',
      '--json',
      '--sd',
      out,
      ...demoHolders(work, 'carol', 'dave', 'erin'),
    );
    expect(gone.code).toBe(1);
    const refused = json<VerifyJson>(gone).refused.map((x) => x.reason);
    expect(refused).toHaveLength(3);
    for (const reason of refused)
      expect(reason).toMatch(/is not one of this domain's 4 wrapping keys/);

    // rotate pins nothing: its new holders have not proven their keys yet (verify --all, then
    // the new file's first passing drill links it to the domain, found by its id).
    expect(existsSync(join(work, 'store', 'domains.json'))).toBe(false);
    expect(before).not.toBe(res.to.sha256);
  }, 120_000);

  it('verify --all names every holder who did not prove their key, and exits 1', () => {
    const work = tempDir('rotate-all');
    const out = join(work, 'new-sd.json');
    const certs = [demoCer('alice'), newCer('grace'), newCer('heidi'), newCer('ivan')];
    expect(rotateDemo(work, certs, 2, out, '--lower-quorum').code).toBe(0);
    // Alice, Grace and Ivan come; Heidi does not. A quorum opens the file, but not everyone proved.
    const r = cli(
      work,
      'verify',
      '--all',
      '--sd',
      out,
      ...keyArgs(demoKey('alice'), newKey('grace'), newKey('ivan')),
      '--passphrase-file',
      passFile(work, demoPassphrase('alice'), '', ''),
    );
    expect(r.code).toBe(1);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(
      /3 of 4 holders proved their key; every holder must: holder 3 \(heidi\): no key given opened this share/,
    );
    expect(r.stdout).toMatch(/✗ holder 3 \(heidi\) did not prove their key/);
    expect(r.stdout).toMatch(/✓ holder 4 \(ivan\)/);
    // Without --all the same keys pass: a quorum is enough for verify.
    const q = cli(
      work,
      'verify',
      '--sd',
      out,
      ...keyArgs(demoKey('alice'), newKey('grace')),
      '--passphrase-file',
      passFile(work, demoPassphrase('alice'), ''),
    );
    expect(q.code).toBe(0);
    const j = json<VerifyJson>(verifyAll(work, out, ...keyArgs(newKey('grace'), newKey('ivan'))));
    expect(j.ok).toBe(false);
    expect(j.all?.holders.filter((h) => !h.proven).map((h) => h.name)).toEqual(['alice', 'heidi']);
  }, 120_000);

  it('refuses, writing nothing: a short old quorum (1), a quorum larger than the new set, NEW exists, a weak certificate, one certificate twice (2)', () => {
    const work = tempDir('rotate-refuse');
    const out = join(work, 'new-sd.json');
    const certs = [demoCer('alice'), newCer('grace'), newCer('heidi')];
    const short = cli(
      work,
      'rotate',
      '--sd',
      demoSd,
      ...demoHolders(work, 'alice', 'bob'),
      ...certs.flatMap((c) => ['--cert', c]),
      '--quorum',
      '3',
      '--out',
      out,
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/quorum not met: 2 of 3 required shares/);
    const cases: Array<[string[], number, RegExp]> = [
      [certs, 4, /--quorum 4 is not possible with 3 new holders/],
      [
        [demoCer('alice'), weakCer, newCer('heidi')],
        2,
        /weak\.cer: RSA 1024-bit certificate key is too small/,
      ],
      [
        [newCer('grace'), newCer('heidi'), newCer('grace')],
        2,
        /grace\.cer: is the same key as .*grace\.cer; each new holder needs their own key/,
      ],
      [[newCer('grace'), newCer('heidi')], 2, /give 3 to 10 --cert files \(got 2\)/],
    ];
    for (const [c, m, message] of cases) {
      const r = rotateDemo(work, c, m, out);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(cleanErrorProblems(r.stderr)).toEqual([]);
    }
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(work, 'store', 'domains.json'))).toBe(false);
    writeFileSync(out, 'mine');
    const exists = rotateDemo(work, certs, 2, out);
    expect(exists.code).toBe(2);
    expect(exists.stderr).toMatch(/new-sd\.json: already exists; rotate never writes over a file/);
    expect(readFileSync(out, 'utf8')).toBe('mine');
  }, 120_000);
});

describe('rotate: a lower quorum', () => {
  it('a quorum below the current one is refused before any key is opened, unless --lower-quorum; then it is said, and in the JSON', () => {
    const work = tempDir('rotate-lower');
    const out = join(work, 'new-sd.json');
    const certs = [demoCer('alice'), newCer('grace'), newCer('heidi')];
    const refused = rotateDemo(work, certs, 2, out);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr.trim()).toMatch(
      /^sd-drill: --quorum 2 is lower than the current quorum, 3 of 5: fewer holders could open the domain; give --quorum 3 or more, or add --lower-quorum if 2 of 3 is meant$/,
    );
    expect(existsSync(out)).toBe(false);
    // Nothing was opened: the store has no record of the old quorum's shares.
    expect(existsSync(join(work, 'store', 'proofs.json'))).toBe(false);

    const human = rotateDemo(work, certs, 2, out, '--lower-quorum');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      /Warning: the quorum was lowered \(--lower-quorum\) from 3 of 5 to 2 of 3, below the 3 offered/,
    );
    const json = rotateDemo(work, certs, 2, join(work, 'again.json'), '--lower-quorum', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as {quorumLowered: unknown}).quorumLowered).toEqual({
      from: 3,
      to: 2,
      current: 3,
    });
  }, 120_000);
});

describe('rotate: Azure', () => {
  it('keeps EncData byte for byte and wraps fresh shares; the independent decoder and restore-blob open it with the new keys', async () => {
    const work = tempDir('rotate-azure');
    const out = join(work, 'new-sd.json');
    const before = readFileSync(azureSd, 'utf8');
    const r = cli(
      work,
      'rotate',
      '--sd',
      azureSd,
      ...keyArgs(join(azure, 'holders', 'holder1.pem'), join(azure, 'holders', 'holder2.pem')),
      '--passphrase-file',
      join(azure, 'passphrases.txt'),
      '--cert',
      join(azure, 'holders', 'holder1.cer'),
      ...NEW.flatMap((n) => ['--cert', newCer(n)]),
      '--quorum',
      '3',
      '--out',
      out,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `az keyvault security-domain download --hsm-name <HSM-NAME> --sd-wrapping-keys ${join(azure, 'holders', 'holder1.cer')} ${NEW.map(newCer).join(' ')} --sd-quorum 3 --security-domain-file ${out}`,
    );
    expect(r.stdout).toMatch(/departed: holder 3 .*\(by certificate: its key was not presented\)/);
    expect(readFileSync(azureSd, 'utf8')).toBe(before);

    const oldJson = JSON.parse(before) as {
      EncData: unknown;
      SharedKeys: {enc_shares: Array<{x5t_256: string}>};
    };
    const text = readFileSync(out, 'utf8');
    const newJson = JSON.parse(text) as typeof oldJson & {
      SharedKeys: {required: number};
      version: number;
    };
    expect(JSON.stringify(newJson.EncData)).toBe(JSON.stringify(oldJson.EncData));
    expect(Object.keys(newJson)).toEqual(['EncData', 'SharedKeys', 'version']);
    expect(newJson.SharedKeys.required).toBe(3);
    expect(newJson.SharedKeys.enc_shares).toHaveLength(4);
    // Holder 1 is kept: the same certificate, but a fresh share.
    expect(newJson.SharedKeys.enc_shares[0]?.x5t_256).toBe(
      oldJson.SharedKeys.enc_shares[0]?.x5t_256,
    );

    const keys = NEW.map((n) => createPrivateKey(readFileSync(newKey(n))));
    const opened = await decodeSecurityDomainIndependently(text, keys);
    expect(opened.secret.toString('hex')).toBe(AZURE.combined_secret_hex);
    expect(opened.blobs).toEqual(AZURE.blobs);
    // Two new keys are not a quorum of 3; the departed holder 2's key opens nothing.
    await expect(decodeSecurityDomainIndependently(text, keys.slice(0, 2))).rejects.toThrow(
      /only 2 shares opened/,
    );
    const holder2 = createPrivateKey({
      key: readFileSync(join(azure, 'holders', 'holder2.pem')),
      passphrase: 'drill-passphrase',
    });
    await expect(
      decodeSecurityDomainIndependently(text, [holder2, ...keys.slice(0, 2)]),
    ).rejects.toThrow(/only 2 shares opened/);

    const blob = join(work, 'restore-blob.json');
    const rb = cli(
      work,
      'restore-blob',
      '--sd',
      out,
      '--exchange-key',
      join(azure, 'exchange', 'exchange.pem'),
      ...keyArgs(...NEW.map(newKey)),
      '--out',
      blob,
    );
    expect(rb.stderr).toBe('');
    expect(rb.code).toBe(0);
    const exchange = createPrivateKey(readFileSync(join(azure, 'exchange', 'exchange.key')));
    const decoded = await decodeRestoreBlobIndependently(readFileSync(blob, 'utf8'), exchange);
    expect(decoded.blobs.map(({tag, bytes, sha256}) => ({tag, bytes, sha256}))).toEqual(
      AZURE.blobs,
    );

    const all = json<VerifyJson>(
      verifyAll(work, out, ...keyArgs(join(azure, 'holders', 'holder1.pem'), ...NEW.map(newKey))),
    );
    expect(all.all).toMatchObject({proven: 4, total: 4});
    expect(all.blobs).toEqual(AZURE.blobs);
  }, 120_000);
});
