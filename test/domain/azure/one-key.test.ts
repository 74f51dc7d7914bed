/**
 * One key is one holder. An Azure domain whose share 2 is wrapped to holder 1's RSA key under
 * a re-issued certificate (a new thumbprint for the same key) must not let one person prove a
 * quorum of two: the domain opens the key's first share only, a second copy of the key is
 * refused naming both files, and the domain gets a `duplicate-wrapping-key` error.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseCertificate} from '../../../source/domain/key-file.js';
import {selfSignedCertificate} from '../../../source/domain/self-signed.js';
import {writeAzureDomain} from '../../../source/domain/azure/writer.js';
import {wipe} from '../../../source/secret.js';
import {fixturesDir} from '../../helpers/paths.js';
import {cleanErrorProblems, runCli} from '../../helpers/run-cli.js';
import {tempDir} from '../../helpers/temp.js';
import {holderPool, openJson, sampleBlobs, type TestHolder} from './kit.js';

const holders = holderPool();

/** 2-of-3: share 1 to holder 1's certificate, share 2 to the same key re-certified, share 3. */
function oneKeyTwoShares(): {json: string; alice: TestHolder; reissuedPem: string} {
  const [alice, , carol] = holders(3) as [TestHolder, TestHolder, TestHolder];
  const reissuedDer = selfSignedCertificate(alice.privateKey, {commonName: 'alice (re-issued)'});
  const reissued = parseCertificate('reissued.cer', reissuedDer);
  if (!reissued.ok) throw reissued.error;
  const written = writeAzureDomain({
    certificates: [alice.cert, reissued.value, carol.cert],
    required: 2,
    blobs: sampleBlobs(),
  });
  wipe(written.secret);
  const reissuedPem = `-----BEGIN CERTIFICATE-----\n${reissuedDer
    .toString('base64')
    .match(/.{1,64}/g)
    ?.join('\n')}\n-----END CERTIFICATE-----\n`;
  return {json: written.json, alice, reissuedPem};
}

describe('one key, two certificates', () => {
  it('opens only one share and says the key opens two', () => {
    const {json, alice} = oneKeyTwoShares();
    const domain = openJson(json);
    const r = domain.openShare({key: alice.key, certificate: alice.cert});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.match).toMatchObject({by: 'certificate', alsoOpens: [2]});
    expect(r.value.holder.index).toBe(1);
    wipe(r.value.secret);
  });

  it('verify with two copies of the key: the second is refused naming both files (exit 1)', () => {
    const {json, alice, reissuedPem} = oneKeyTwoShares();
    const dir = tempDir('one-key');
    const sd = join(dir, 'sd.json');
    writeFileSync(sd, json);
    for (const [sub, cer] of [
      ['a', alice.certPem],
      ['b', reissuedPem],
    ] as const) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, 'alice.pem'), alice.keyPem);
      writeFileSync(join(dir, sub, 'alice.cer'), cer);
    }
    const keys = ['--key', join(dir, 'a', 'alice.pem'), '--key', join(dir, 'b', 'alice.pem')];
    const r = runCli(['verify', '--sd', sd, ...keys]);
    expect(r.code).toBe(1);
    expect(cleanErrorProblems(r.stderr)).toEqual([]);
    expect(r.stderr).toContain(
      `${join(dir, 'b', 'alice.pem')}: is the same wrapping key as ${join(dir, 'a', 'alice.pem')}`,
    );
    expect(r.stderr).toMatch(/one key is one holder/);
    expect(r.stdout).not.toMatch(/reconstructs/);

    const j = runCli(['verify', '--sd', sd, ...keys, '--json']);
    expect(j.code).toBe(1);
    const out = JSON.parse(j.stdout) as {
      ok: boolean;
      problems: Array<{rule: string; shares: number[]}>;
    };
    expect(out.ok).toBe(false);
    expect(out.problems).toEqual([
      expect.objectContaining({rule: 'duplicate-wrapping-key', shares: [1, 2]}),
    ]);

    // restore-blob the same: one holder, the quorum not met, nothing written.
    const blobOut = join(dir, 'restore-blob.json');
    const blob = runCli([
      'restore-blob',
      '--sd',
      sd,
      ...keys,
      '--out',
      blobOut,
      '--exchange-key',
      join(fixturesDir, 'azure', 'exchange', 'exchange.pem'),
    ]);
    expect(blob.code).toBe(1);
    expect(blob.stderr).toMatch(/same wrapping key as .*one key is one holder/);
    expect(existsSync(blobOut)).toBe(false);

    // The plan runner takes the same path: one share, the quorum not met, the finding.
    const plan = join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        domain: 'sd.json',
        scenario: 'purged',
        participants: [
          {custodian: 'Alice Ng', role: 'Security Architect', key: 'a/alice.pem'},
          {custodian: 'Alice Again', role: 'Security Architect', key: 'b/alice.pem'},
        ],
        reportDir: 'reports',
      }),
    );
    const drill = runCli(['drill', '--plan', plan]);
    expect(drill.code).toBe(1);
    expect(drill.stdout).toMatch(/Alice Again: no share taken — .*same wrapping key as/);
    expect(drill.stdout).toMatch(/Drill fail/);
    const reportJson = /\S+\.json/.exec(drill.stdout.split('Report:')[1] ?? '')?.[0] ?? '';
    const report = JSON.parse(readFileSync(reportJson, 'utf8')) as {
      findings: Array<{rule: string; severity: string}>;
    };
    expect(report.findings).toContainEqual(
      expect.objectContaining({rule: 'duplicate-wrapping-key', severity: 'error'}),
    );
  });
});
