/**
 * A rotation from a reviewed plan (`drill --plan`, `"mode": "rotation"`) on the built bundle:
 * the same session and machine as the TUI's rotation. An Azure domain rotated to new holders,
 * every one of whom proves their key (the new file opened again by the independent decoder);
 * a native rotation where one new holder does not come fails and retires nothing; and the
 * refusals a reviewer of a plan relies on.
 */
import {createPrivateKey, generateKeyPairSync} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {selfSignedCertificatePem} from '../../source/domain/make-key.js';
import {decodeSecurityDomainIndependently} from '../domain/azure/independent-decoder.js';
import {onlyReport} from '../helpers/files.js';
import {fixturesDir} from '../helpers/paths.js';
import {cleanErrorProblems, runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';

const azure = join(fixturesDir, 'azure');
const demo = join(fixturesDir, 'demo');
const AZURE = JSON.parse(readFileSync(join(azure, 'expected.json'), 'utf8')) as {
  combined_secret_hex: string;
  blobs: Array<{tag: string; bytes: number; sha256: string}>;
};

interface Report {
  verdict: string;
  verdictReason: string;
  scope: {mode: string};
  proof: {signed: boolean; publicKey?: string};
  participants: Array<{holderIndex: number; custodian: string | null}>;
  rotation: {
    to: {file: string; required: number; total: number} | null;
    kept: Array<{by: string}>;
    added: unknown[];
    departed: Array<{holder: number; knownBy: string}>;
    proofs: Array<{holder: number; outcome: string; note: string | null}>;
    destroy: Array<{what: string; text: string}>;
  };
}

/** A new holder: an unencrypted key with its certificate beside it, on a folder "stick". */
function newHolder(dir: string, name: string): {key: string; cer: string} {
  const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
  mkdirSync(join(dir, name), {recursive: true});
  const key = join(dir, name, `${name}.key`);
  const cer = join(dir, name, `${name}.cer`);
  writeFileSync(key, privateKey.export({type: 'pkcs8', format: 'pem'}));
  writeFileSync(cer, selfSignedCertificatePem(privateKey, name));
  return {key, cer};
}

function plan(dir: string, body: object): string {
  const file = join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify({reportDir: 'reports', ...body}, null, 1));
  return file;
}

const drill = (dir: string, file: string) =>
  runCli(['drill', '--plan', file], {env: {SD_DRILL_CONFIG_DIR: join(dir, 'store')}});

const who = (custodian: string, key: string, passphraseFile?: string) => ({
  custodian,
  role: 'Key custodian',
  key,
  ...(passphraseFile ? {passphraseFile} : {}),
});

describe('drill --plan, mode rotation', () => {
  it('rotates an Azure domain: every new holder proves their key; the new file opens to the same secret and blobs', async () => {
    const dir = tempDir('plan-rotation-azure');
    const grace = newHolder(dir, 'grace');
    const heidi = newHolder(dir, 'heidi');
    writeFileSync(join(dir, 'holder2.pass'), 'drill-passphrase\n');
    const h1 = join(azure, 'holders', 'holder1.pem');
    const h2 = join(azure, 'holders', 'holder2.pem');
    const file = plan(dir, {
      domain: join(azure, 'security-domain.json'),
      mode: 'rotation',
      participants: [who('Ivo Petrov', h1), who('Hana Sato', h2, 'holder2.pass')],
      rotation: {
        certificates: [join(azure, 'holders', 'holder1.cer'), grace.cer, heidi.cer],
        quorum: 2,
        out: 'new-sd.json',
        newHolders: [who('Ivo Petrov', h1), who('Grace', grace.key), who('Heidi', heidi.key)],
      },
      // First drill of this Azure domain here: the plan's reviewer pins its key.
      pinFirstUse: true,
    });
    const r = drill(dir, file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`New domain file written and checked: ${join(dir, 'new-sd.json')}`);
    expect(r.stdout).toMatch(/Heidi: share of new holder 3 accepted/);
    const report = onlyReport<Report>(join(dir, 'reports'));
    expect(report.scope.mode).toBe('rotation');
    expect(report.verdict).toBe('pass');
    expect(report.proof.signed).toBe(true);
    expect(report.rotation.to).toMatchObject({required: 2, total: 3});
    expect(report.rotation.kept.map((k) => k.by)).toEqual(['certificate']);
    expect(report.rotation.added).toHaveLength(2);
    // Holder 2 presented, so its key is known; holder 3 did not: known by certificate only.
    expect(report.rotation.departed.map((d) => [d.holder, d.knownBy])).toEqual([
      [2, 'public-key'],
      [3, 'certificate'],
    ]);
    expect(report.rotation.destroy[2]?.text).toMatch(/known by certificate only/);
    expect(report.rotation.proofs.map((p) => p.outcome)).toEqual(['proven', 'proven', 'proven']);

    const text = readFileSync(join(dir, 'new-sd.json'), 'utf8');
    const opened = await decodeSecurityDomainIndependently(text, [
      createPrivateKey(readFileSync(grace.key)),
      createPrivateKey(readFileSync(heidi.key)),
    ]);
    expect(opened.secret.toString('hex')).toBe(AZURE.combined_secret_hex);
    expect(opened.blobs).toEqual(AZURE.blobs);

    // The key pinned at first use and the new file linked once every new holder had proven
    // theirs: its report verifies from the store.
    const json = readdirSync(join(dir, 'reports')).find((n) => n.endsWith('.json')) as string;
    const v = runCli(['report', 'verify', join(dir, 'reports', json)], {
      env: {SD_DRILL_CONFIG_DIR: join(dir, 'store')},
    });
    expect(v.code).toBe(0);
  }, 120_000);

  it('fails when a new holder does not come, and retires nothing', () => {
    const dir = tempDir('plan-rotation-absent');
    const grace = newHolder(dir, 'grace');
    const heidi = newHolder(dir, 'heidi');
    const pass = (n: string) => {
      writeFileSync(join(dir, `${n}.pass`), `${n}-practice-only\n`);
      return `${n}.pass`;
    };
    const key = (n: string) => join(demo, 'sticks', n, `${n}.key`);
    const file = plan(dir, {
      domain: join(demo, 'security-domain.json'),
      mode: 'rotation',
      participants: ['alice', 'bob', 'carol'].map((n) => who(n, key(n), pass(n))),
      rotation: {
        certificates: [1, grace.cer, heidi.cer],
        quorum: 2,
        out: 'new-sd.json',
        newHolders: [who('alice', key('alice'), pass('alice')), who('Grace', grace.key)],
      },
    });
    const r = drill(dir, file);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /Drill fail: not every new holder proved their key — heidi \(new holder 3\): marked absent; keep using the old file/,
    );
    const report = onlyReport<Report>(join(dir, 'reports'));
    expect(report.verdict).toBe('fail');
    expect(report.proof.signed).toBe(false);
    expect(report.rotation.destroy).toEqual([]);
    // The new file was written and checked, but it is not to be used.
    expect(existsSync(join(dir, 'new-sd.json'))).toBe(true);
    const custody = JSON.parse(
      runCli(['custody', 'list', '--json'], {env: {SD_DRILL_CONFIG_DIR: join(dir, 'store')}})
        .stdout,
    ) as {custody: unknown[]};
    expect(custody.custody).toEqual([]);
  }, 120_000);

  it('refuses a rotation plan without its parts, with an output that exists, or keeping a holder of an Azure file', () => {
    const dir = tempDir('plan-rotation-refuse');
    const base = {
      domain: join(demo, 'security-domain.json'),
      participants: [],
    };
    const rotation = {certificates: [1, 2, 3], quorum: 2, out: 'new-sd.json', newHolders: []};
    for (const [body, message] of [
      [
        {...base, mode: 'rotation'},
        /rotation \(certificates, quorum, out, newHolders\) goes with mode "rotation"/,
      ],
      [{...base, scenario: 'purged', rotation}, /goes with mode "rotation", and only with it/],
      [{...base, mode: 'rehearsal', rotation: undefined}, /scenario is required/],
    ] as const) {
      const r = drill(dir, plan(dir, body));
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(cleanErrorProblems(r.stderr)).toEqual([]);
    }
    writeFileSync(join(dir, 'new-sd.json'), 'mine');
    const exists = drill(dir, plan(dir, {...base, mode: 'rotation', rotation}));
    expect(exists.code).toBe(2);
    expect(exists.stderr).toMatch(
      /rotation\.out .*new-sd\.json already exists; a rotation never writes over a file/,
    );
    expect(readFileSync(join(dir, 'new-sd.json'), 'utf8')).toBe('mine');

    const azurePlan = plan(dir, {
      domain: join(azure, 'security-domain.json'),
      mode: 'rotation',
      participants: [
        who('a', join(azure, 'holders', 'holder1.pem')),
        who('c', join(azure, 'holders', 'holder3.pem')),
      ],
      rotation: {...rotation, out: 'azure-new.json'},
    });
    const keep = drill(dir, azurePlan);
    expect(keep.code).toBe(1);
    expect(keep.stdout).toMatch(/names its holders by certificate thumbprint only/);
    expect(existsSync(join(dir, 'azure-new.json'))).toBe(false);
  }, 120_000);
});
