/**
 * Restore mode says exactly what happened (`drill --plan` on the built bundle, the same session
 * and report as the TUI): with --exchange-key the operator's new HSM is named by its exchange
 * certificate — whose x5t#S256 is the written blob's `WrappedKey.x5t_256` — the blob's path and
 * SHA-256 are recorded, the simulated HSM's result keeps its own name, and the upload command is
 * the one `restore-blob` prints. Without --exchange-key the report says no blob was written.
 */
import {createHash} from 'node:crypto';
import {readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {describe, expect, it} from 'vitest';
import {uploadCommand} from '../../source/domain/azure/restore-blob.js';
import {fixturesDir} from '../helpers/paths.js';
import {cleanErrorProblems, keyArgs, runCli, runCliAsync} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';

const azure = join(fixturesDir, 'azure');
const exchangePem = join(azure, 'exchange', 'exchange.pem');
const expected = JSON.parse(readFileSync(join(azure, 'expected.json'), 'utf8')) as {
  exchange: {x5t_256: string};
  blobs: Array<{tag: string; bytes: number; sha256: string}>;
};
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

interface Report {
  verdict: string;
  verdictReason: string;
  objectives: string[];
  scope: {
    newHsm: {id: string; exchangeFingerprint: string} | null;
    exchangeCertificate?: {file: string; x5t256: string; sha256: string} | null;
  };
  restore: {
    keysRestored: number;
    keysExpected: number;
    restoreBlobFile: string | null;
    restoreBlob?: {file: string; sha256: string; x5t256: string; upload: string} | null;
  } | null;
}

/** A restore plan for the Azure fixture: holder 1's plain key, holder 2's encrypted one. */
function restorePlan(): {dir: string; plan: string; config: string; reports: string} {
  const dir = tempDir('restore-plan');
  writeFileSync(join(dir, 'h2.pass'), 'drill-passphrase\n', {mode: 0o600});
  const plan = join(dir, 'plan.json');
  writeFileSync(
    plan,
    JSON.stringify({
      domain: relative(dir, join(azure, 'security-domain.json')),
      mode: 'restore',
      scenario: 'purged',
      participants: [
        {
          custodian: 'Ivo Petrov',
          role: 'Key custodian',
          key: relative(dir, join(azure, 'holders', 'holder1.pem')),
        },
        {
          custodian: 'Hana Sato',
          role: 'Key custodian',
          key: relative(dir, join(azure, 'holders', 'holder2.pem')),
          passphraseFile: 'h2.pass',
        },
      ],
      reportDir: 'reports',
    }),
  );
  return {dir, plan, config: join(dir, 'config'), reports: join(dir, 'reports')};
}

function reportIn(dir: string): {report: Report; md: string} {
  const names = readdirSync(dir);
  const json = names.filter((n) => n.endsWith('.json'));
  expect(json).toHaveLength(1);
  const file = join(dir, json[0] as string);
  return {
    report: JSON.parse(readFileSync(file, 'utf8')) as Report,
    md: readFileSync(file.replace(/\.json$/, '.md'), 'utf8'),
  };
}

describe('restore mode: what the report says happened', () => {
  it('with --exchange-key: the new HSM by its certificate, the blob by path and SHA-256, the upload command', async () => {
    const p = restorePlan();
    const out = join(p.dir, 'restore-blob.json');
    const r = await runCliAsync(
      ['drill', '--plan', p.plan, '--exchange-key', exchangePem, '--restore-blob-out', out],
      {env: {SD_DRILL_CONFIG_DIR: p.config}},
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const blob = readFileSync(out);
    const wrapped = (JSON.parse(blob.toString('utf8')) as {WrappedKey: {x5t_256: string}})
      .WrappedKey.x5t_256;
    const certDer = Buffer.from(
      readFileSync(exchangePem, 'utf8').replace(/-----[^-]+-----|\s/g, ''),
      'base64',
    );
    const {report, md} = reportIn(p.reports);
    expect(report.verdict).toBe('pass');
    // The operator's HSM, named by its certificate: the same thumbprint the blob is wrapped to.
    expect(report.scope.exchangeCertificate).toEqual({
      file: exchangePem,
      x5t256: wrapped,
      sha256: sha256(certDer),
    });
    expect(wrapped).toBe(expected.exchange.x5t_256);
    expect(Buffer.from(wrapped, 'base64url').toString('hex')).toBe(sha256(certDer));
    // The simulated HSM the upload was rehearsed into is not the operator's.
    expect(report.scope.newHsm?.exchangeFingerprint).not.toBe(sha256(certDer));
    expect(report.restore?.restoreBlob).toEqual({
      file: out,
      sha256: sha256(blob),
      x5t256: wrapped,
      upload: uploadCommand(out),
    });
    expect(report.restore?.restoreBlob?.upload).toBe(
      `az keyvault security-domain upload --hsm-name <HSM-NAME> --sd-file ${out} --restore-blob`,
    );
    expect(report.verdictReason).toContain(`x5t#S256 ${wrapped}`);
    expect(report.verdictReason).toContain('rehearsed into a simulated HSM: 3 of 3 blobs verified');
    expect(report.verdictReason).not.toMatch(/restored into the new HSM/);
    expect(report.objectives.join('\n')).toMatch(/write the restore blob for the new HSM/);
    // The Markdown an auditor reads ties the report to the blob and to init-recovery.
    expect(md).toContain(`| New HSM (yours) | exchange certificate \`${exchangePem}\``);
    expect(md).toContain(wrapped);
    expect(md).toContain(sha256(blob));
    expect(md).toContain(uploadCommand(out));
    expect(md).toContain('- Rehearsed into a simulated HSM: 3 of 3 blobs verified');
    expect(md).not.toMatch(/fresh exchange key/);
  }, 120_000);

  it('the upload command is the one restore-blob prints (one text, one place)', () => {
    const out = join(tempDir('restore-cli'), 'blob.json');
    const r = runCli([
      'restore-blob',
      ...['--sd', join(azure, 'security-domain.json'), '--exchange-key', exchangePem],
      ...keyArgs(join(azure, 'holders', 'holder1.pem'), join(azure, 'holders', 'holder2.pem')),
      ...['--passphrase-file', join(azure, 'passphrases.txt'), '--out', out],
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Upload it with: ${uploadCommand(out)}\n`);
  });

  it('without --exchange-key: the report says no restore blob was written', async () => {
    const p = restorePlan();
    const r = await runCliAsync(['drill', '--plan', p.plan], {
      env: {SD_DRILL_CONFIG_DIR: p.config},
    });
    expect(r.code).toBe(0);
    const {report, md} = reportIn(p.reports);
    expect(report.scope.exchangeCertificate ?? null).toBeNull();
    expect(report.restore?.restoreBlob ?? null).toBeNull();
    expect(report.restore?.restoreBlobFile).toBeNull();
    expect(report.verdictReason).toMatch(
      /rehearsed into a simulated HSM: 3 of 3 blobs verified; no restore blob was written \(no --exchange-key was given\)/,
    );
    expect(md).toContain('- No restore blob was written: no `--exchange-key` was given.');
    expect(md).toContain('| New HSM (simulated) |');
  }, 120_000);

  it('refuses, before anyone presents, a blob path that exists, a bad certificate, or a plan that is no restore', () => {
    const p = restorePlan();
    const env = {env: {SD_DRILL_CONFIG_DIR: p.config}};
    const taken = join(p.dir, 'taken.json');
    writeFileSync(taken, '{}');
    const notCert = join(p.dir, 'not-a-cert.pem');
    writeFileSync(notCert, 'hello\n');
    const rehearsal = join(p.dir, 'rehearsal.json');
    writeFileSync(
      rehearsal,
      readFileSync(p.plan, 'utf8').replace('"mode":"restore"', '"mode":"rehearsal"'),
    );
    const cases: Array<[string[], RegExp]> = [
      [
        ['--plan', p.plan, '--exchange-key', exchangePem, '--restore-blob-out', taken],
        /taken\.json: already exists; a restore blob is never written over a file/,
      ],
      [
        ['--plan', p.plan, '--exchange-key', notCert, '--restore-blob-out', join(p.dir, 'b.json')],
        /not-a-cert\.pem/,
      ],
      [
        [
          '--plan',
          rehearsal,
          '--exchange-key',
          exchangePem,
          '--restore-blob-out',
          join(p.dir, 'c'),
        ],
        /--exchange-key is for a restore: the plan's mode must be "restore"/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['drill', ...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(cleanErrorProblems(r.stderr)).toEqual([]);
      expect(r.stderr).toMatch(message);
    }
    // Nothing was run: no report.
    expect(() => readdirSync(p.reports)).toThrow();
  });

  it('drill --mode foo without a terminal names the bad mode', () => {
    const r = runCli(['drill', '--mode', 'foo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'sd-drill: --mode "foo": must be rehearsal, restore, onboarding, rotation or compromise\n',
    );
  });
});
