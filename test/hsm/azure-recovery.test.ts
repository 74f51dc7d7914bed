import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {azureVectorsDir} from '../helpers/paths.js';
import {AzureRecoveryHsm} from '../../source/hsm/azure-recovery.js';
import {parseExchangeKey} from '../../source/domain/azure/exchange-key.js';
import {buildRestoreBlob} from '../../source/domain/azure/restore-blob.js';
import {readAzureDomain, type AzureDomain} from '../../source/domain/azure/reader.js';
import {loadCertificate} from '../../source/domain/key-file.js';
import {loadUnencryptedKey} from '../../source/domain/key-unlock.js';
import type {OpenedShare} from '../../source/domain/format.js';
import {buildDomain, holderPool, openAll, replaceSegment, segment} from '../domain/azure/kit.js';

const holders = holderPool();
let hsmCache: AzureRecoveryHsm | undefined;
/** Tests that do not need a fresh HSM share one: RSA key generation is the slow part. */
const newHsm = () => AzureRecoveryHsm.create({name: 'drill-hsm', bits: 2048});

function restoreBlobFor(domain: AzureDomain, shares: OpenedShare[], exchangePem: string) {
  const r = domain.reconstruct(shares);
  if (!r.ok) throw r.error;
  const plain = r.value.decryptBlobs();
  if (!plain.ok) throw plain.error;
  const exchange = parseExchangeKey('exchange.pem', Buffer.from(exchangePem));
  if (!exchange.ok) throw exchange.error;
  const blob = buildRestoreBlob(plain.value, exchange.value);
  plain.value.forEach((b) => b.plaintext.fill(0));
  const digests = r.value.evidence.blobs;
  r.value.wipe();
  return {blob, digests};
}

describe('simulated Azure Managed HSM in recovery mode', () => {
  it('hands out its exchange key as init-recovery PEM and as the service JWK, naming one certificate', () => {
    const hsm = (hsmCache ??= newHsm());
    const pem = hsm.exchangeCertificatePem();
    expect(pem.startsWith('-----BEGIN CERTIFICATE-----\n')).toBe(true);
    expect(pem.endsWith('-----END CERTIFICATE-----')).toBe(true);
    expect(pem.split('\n')[1]?.length).toBe(65);
    const response = hsm.transferKey();
    expect(response.key_format).toBe('jwk');
    const jwk = JSON.parse(response.transfer_key) as Record<string, unknown>;
    expect(jwk).toMatchObject({
      kty: 'RSA',
      kid: 'not used',
      key_ops: ['wrapKey', 'verify', 'encrypt'],
    });
    const fromPem = parseExchangeKey('exchange.pem', Buffer.from(pem));
    const fromJwk = parseExchangeKey('transfer-key.json', Buffer.from(JSON.stringify(response)));
    expect(fromPem.ok && fromPem.value.x5t256).toBe(hsm.exchangeKey.x5t256);
    expect(fromJwk.ok && fromJwk.value.x5t256).toBe(hsm.exchangeKey.x5t256);
    expect(jwk['x5t#S256']).toBe(hsm.exchangeKey.x5t256);
    expect(hsm.state).toBe('recovery');
  });

  it('accepts a restore blob, verifies every blob, then leaves recovery mode', () => {
    const hsm = newHsm();
    const hs = holders(3);
    const {domain} = buildDomain(hs, 2);
    const {blob, digests} = restoreBlobFor(
      domain,
      openAll(domain, [hs[2]!, hs[0]!]),
      hsm.exchangeCertificatePem(),
    );
    const uploaded = hsm.upload(blob);
    if (!uploaded.ok) throw uploaded.error;
    expect(uploaded.value.blobs).toEqual(digests);
    expect(uploaded.value.x5t256).toBe(hsm.exchangeKey.x5t256);
    expect(hsm.state).toBe('restored');
    expect(hsm.restoredBlobs()).toEqual(digests);
    expect(hsm.verify(digests).ok).toBe(true);
    const altered = digests.map((d, i) => (i === 1 ? {...d, sha256: '0'.repeat(64)} : d));
    const mismatch = hsm.verify(altered);
    expect(!mismatch.ok && mismatch.error.message).toMatch(
      /restored blob 2 is base_enclave_backup/,
    );
    const again = hsm.upload(blob);
    expect(!again.ok && again.error.reason).toBe('not-in-recovery');
  });

  it('refuses a blob for another exchange key and a tampered blob, staying in recovery mode', () => {
    const hsm = (hsmCache ??= newHsm());
    const other = holders(4)[3]!;
    const hs = holders(2);
    const {domain} = buildDomain(hs, 2);
    const forOther = restoreBlobFor(domain, openAll(domain, hs), other.certPem).blob;
    const wrong = hsm.upload(forOther);
    expect(!wrong.ok && wrong.error.reason).toBe('wrong-exchange-key');
    const good = restoreBlobFor(domain, openAll(domain, hs), hsm.exchangeCertificatePem()).blob;
    const json = JSON.parse(good) as {EncData: {data: Array<{compact_jwe: string}>}};
    const d = json.EncData.data[2]!;
    const ct = segment(d.compact_jwe, 3);
    ct[5] = (ct[5] ?? 0) ^ 4;
    d.compact_jwe = replaceSegment(d.compact_jwe, 3, ct);
    const tampered = hsm.upload(JSON.stringify(json));
    expect(!tampered.ok && tampered.error.exitCode).toBe(1);
    expect(!tampered.ok && tampered.error.message).toMatch(
      /"partition_enclave_backup" does not authenticate/,
    );
    expect(hsm.state).toBe('recovery');
    expect(hsm.verify([]).ok).toBe(false);
    hsm.destroy();
    expect(hsm.upload(good).ok).toBe(false);
  });

  it('restores the real azure-cli SD opened with sd1 + sd2', () => {
    const dir = azureVectorsDir;
    const domain = readAzureDomain(join(dir, 'sdfile.json'));
    if (!domain.ok) throw domain.error;
    const shares = ['sd1', 'sd2'].map((name) => {
      const key = loadUnencryptedKey(join(dir, `${name}.pem`));
      const certificate = loadCertificate(join(dir, `${name}.cer`));
      if (!key.ok || !certificate.ok) throw new Error('vector files unreadable');
      const opened = domain.value.openShare({key: key.value, certificate: certificate.value});
      if (!opened.ok) throw opened.error;
      return opened.value;
    });
    const hsm = newHsm();
    const {blob, digests} = restoreBlobFor(domain.value, shares, hsm.exchangeCertificatePem());
    const uploaded = hsm.upload(blob);
    if (!uploaded.ok) throw uploaded.error;
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
      vectors: Array<{
        enc_data: Array<{tag: string; plaintext_len: number; plaintext_sha256: string}>;
      }>;
    };
    const want = expected.vectors[0]!.enc_data.map((e) => ({
      tag: e.tag,
      bytes: e.plaintext_len,
      sha256: e.plaintext_sha256,
    }));
    expect(digests).toEqual(want);
    expect(hsm.verify(want).ok && hsm.state).toBe('restored');
  });
});
