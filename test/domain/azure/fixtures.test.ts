import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {fixturesDir} from '../../helpers/paths.js';
import {loadCertificate, parsePrivateKey} from '../../../source/domain/key-file.js';
import {loadUnencryptedKey} from '../../../source/domain/key-unlock.js';
import {readAzureDomain} from '../../../source/domain/azure/reader.js';
import {loadExchangeKey} from '../../../source/domain/azure/exchange-key.js';
import {buildRestoreBlob, openRestoreBlob} from '../../../source/domain/azure/restore-blob.js';
import {makeAzureFixtures} from './make-fixtures.js';
import {tempDir} from '../../helpers/temp.js';

interface FixtureExpected {
  sd_file: string;
  required: number;
  combined_secret_hex: string;
  holders: Array<{
    index: number;
    key: string;
    certificate: string;
    x5t_256: string;
    passphrase: string | null;
  }>;
  blobs: Array<{tag: string; bytes: number; sha256: string}>;
  exchange: {certificate: string; private_key: string; transfer_key: string; x5t_256: string};
}

function checkFixtureSet(root: string) {
  const expected = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as FixtureExpected;
  const domain = readAzureDomain(join(root, expected.sd_file));
  if (!domain.ok) throw domain.error;
  expect(domain.value.describe().holders.map((h) => domain.value.thumbprint(h.index))).toEqual(
    expected.holders.map((h) => h.x5t_256),
  );
  const shares = expected.holders.map((h) => {
    const key = parsePrivateKey(
      join(root, h.key),
      readFileSync(join(root, h.key)),
      h.passphrase ? Buffer.from(h.passphrase) : undefined,
    );
    const cert = loadCertificate(join(root, h.certificate));
    if (!key.ok) throw key.error;
    if (!cert.ok) throw cert.error;
    const opened = domain.value.openShare({key: key.value, certificate: cert.value});
    if (!opened.ok) throw opened.error;
    return opened.value;
  });
  for (const pair of [
    [0, 1],
    [1, 2],
    [2, 0],
  ]) {
    const r = domain.value.reconstruct(pair.map((i) => shares[i]!));
    if (!r.ok) throw r.error;
    expect(r.value.secret.toString('hex')).toBe(expected.combined_secret_hex);
    expect(r.value.evidence.blobs).toEqual(expected.blobs);
  }
  // The exchange key in both forms names the same certificate; a blob built for it reopens.
  const pemForm = loadExchangeKey(join(root, expected.exchange.certificate));
  const jwkForm = loadExchangeKey(join(root, expected.exchange.transfer_key));
  const exchangeKey = loadUnencryptedKey(join(root, expected.exchange.private_key));
  if (!pemForm.ok || !jwkForm.ok || !exchangeKey.ok)
    throw new Error('exchange fixtures unreadable');
  expect([pemForm.value.x5t256, jwkForm.value.x5t256]).toEqual([
    expected.exchange.x5t_256,
    expected.exchange.x5t_256,
  ]);
  const r = domain.value.reconstruct(shares.slice(0, 2));
  const plain = r.ok ? r.value.decryptBlobs() : undefined;
  if (!plain?.ok) throw new Error('fixture blobs do not open');
  const reopened = openRestoreBlob(
    buildRestoreBlob(plain.value, jwkForm.value),
    exchangeKey.value.privateKey,
  );
  expect(reopened.ok && reopened.value.digests).toEqual(expected.blobs);
  return expected;
}

describe('fixtures/azure', () => {
  it('opens with its documented keys, passphrase and exchange key', () => {
    const expected = checkFixtureSet(join(fixturesDir, 'azure'));
    expect(expected.required).toBe(2);
    // holder 3 has no certificate beside its key: it is the trial-decryption case.
    expect(readdirSync(join(fixturesDir, 'azure', 'holders'))).not.toContain('holder3.cer');
    expect(readFileSync(join(fixturesDir, 'azure', 'holders', 'holder2.pem'), 'utf8')).toContain(
      'BEGIN ENCRYPTED PRIVATE KEY',
    );
    const exchangePem = readFileSync(
      join(fixturesDir, 'azure', 'exchange', 'exchange.pem'),
      'utf8',
    );
    expect(exchangePem.endsWith('-----END CERTIFICATE-----')).toBe(true);
  });

  it('can be made again by its generator', () => {
    const dir = tempDir('fixtures');
    makeAzureFixtures(dir);
    expect(checkFixtureSet(dir).holders[1]?.passphrase).toBe('drill-passphrase');
  });
});
