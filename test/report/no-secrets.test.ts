/**
 * Nothing secret reaches disk: the report files and the store are scanned for the domain
 * secret (hex, base64, base64url), the signing seed derived from it, private-key PEM and the
 * demo holders' passphrases.
 */
import {hkdfSync, randomBytes} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {buildReport, recordFromReport} from '../../source/report/build.js';
import {writeReport} from '../../source/report/write.js';
import {openStore} from '../../source/store/store.js';
import {fixturesDir} from '../helpers/paths.js';
import {drillState, endOf, fingerprint} from './drill-states.js';
import {tempDir} from '../helpers/temp.js';

describe('report files and the store', () => {
  it('contain no passphrase, private key or domain secret', () => {
    const secret = randomBytes(32);
    const storeDir = tempDir('scan-store');
    const reportDir = tempDir('scan-reports');
    const store = openStore({dir: storeDir});
    store.register({
      fingerprint: fingerprint(1),
      custodian: 'Alice',
      role: 'Lead',
      since: '2025-01-01T00:00:00Z',
    });
    store.addCustody({from: 'Alice', to: 'Bob', fingerprint: fingerprint(1)});
    for (const [i, spec] of [
      {},
      {presenters: [{index: 1}, {index: 2}], absent: [3, 4, 5]},
    ].entries()) {
      const state = drillState(spec);
      const report = buildReport({
        state,
        id: `scan-${i}`,
        now: endOf(state),
        toolVersion: '0.1.0',
        history: store.drills(),
        registry: store.registry(),
        settings: store.settings(),
        domainSecret: secret,
      });
      const written = writeReport(reportDir, report);
      if (!written.ok) throw written.error;
      expect(store.recordDrill(recordFromReport(report, written.value)).ok).toBe(true);
    }
    expect(store.drills().map((d) => d.publicKey !== null)).toEqual([true, false]);

    const seed = Buffer.from(
      hkdfSync('sha256', secret, 'sd-drill report', 'sd-drill/v1 report-signing-key', 32),
    );
    const passphrases = readFileSync(join(fixturesDir, 'demo', 'passphrases.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length >= 6);
    expect(passphrases.length).toBeGreaterThan(0);
    const forbidden = [
      'PRIVATE KEY',
      secret.toString('hex'),
      secret.toString('base64'),
      secret.toString('base64url'),
      secret.toString('base64').slice(0, 24),
      seed.toString('hex'),
      seed.toString('base64'),
      ...passphrases,
    ];
    const files = [
      ...readdirSync(reportDir).map((f) => join(reportDir, f)),
      ...readdirSync(storeDir).map((f) => join(storeDir, f)),
    ];
    expect(
      files.filter((f) => f.endsWith('.json') || f.endsWith('.md')).length,
    ).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const f of forbidden)
        expect(text.includes(f), `${file} contains something secret`).toBe(false);
    }
  });
});
