/**
 * azure-cli's vectors, committed in fixtures/azure-cli-vectors: real HSM output and a
 * synthetic 3-of-5.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {azureVectorsDir} from '../../helpers/paths.js';
import {
  loadCertificate,
  siblingCertificatePaths,
  parsePrivateKey,
} from '../../../source/domain/key-file.js';
import {loadUnencryptedKey} from '../../../source/domain/key-unlock.js';
import {readAzureDomain, type AzureDomain} from '../../../source/domain/azure/reader.js';
import {deriveBlobKey, sp800108HmacSha512} from '../../../source/domain/azure/kdf.js';
import {loadExchangeKey} from '../../../source/domain/azure/exchange-key.js';
import {buildRestoreBlob, openRestoreBlob} from '../../../source/domain/azure/restore-blob.js';
import type {OpenedShare} from '../../../source/domain/format.js';
import {decodeRestoreBlobIndependently} from './independent-decoder.js';

interface Vector {
  name: string;
  sd_file: string;
  required: number;
  combined_secret_hex: string;
  enc_shares: Array<{index: number; wrapping_key_file: string; share_plaintext_hex: string}>;
  enc_data: Array<{
    tag: string;
    plaintext_len: number;
    plaintext_sha256: string;
    derived_key_hex: string;
  }>;
  restore_invocations: Array<{keys: string[]; passwords: Array<string | null>}>;
  exchange_key_from_source?: {certificate_file: string; x5t_256: string};
  upload_roundtrip?: {
    exchange_certificate_file: string;
    exchange_private_key_file: string;
    exchange_x5t_256: string;
    sample_restore_blob_file: string;
    expected_plaintext_sha256_by_tag: Record<string, string>;
  };
}
interface Expected {
  sp800_108_test_vector: {
    key_hex: string;
    label: string;
    context: string;
    output_bits: number;
    expected_hex: string;
  };
  vectors: Vector[];
}

const dir = azureVectorsDir;
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;

/** A subdirectory per vector: the real one sits at the top, synthetic ones in their folder. */
const base = (v: Vector) => (v.name === 'azure-cli-sdtest' ? dir : join(dir, v.name));

function open(v: Vector): AzureDomain {
  const r = readAzureDomain(join(base(v), v.sd_file));
  if (!r.ok) throw r.error;
  return r.value;
}

function openWithKeys(
  domain: AzureDomain,
  v: Vector,
  keys: string[],
  passwords: Array<string | null> = [],
  withCert = true,
): OpenedShare[] {
  return keys.map((k, i) => {
    const file = join(base(v), k);
    const password = passwords[i];
    const key = parsePrivateKey(
      file,
      readFileSync(file),
      password ? Buffer.from(password, 'utf8') : undefined,
    );
    if (!key.ok) throw key.error;
    const cert = loadCertificate(siblingCertificatePaths(file)[0]!);
    if (!cert.ok) throw cert.error;
    const opened = domain.openShare(
      withCert ? {key: key.value, certificate: cert.value} : {key: key.value},
    );
    if (!opened.ok) throw opened.error;
    return opened.value;
  });
}

const expectedDigests = (v: Vector) =>
  v.enc_data.map((d) => ({tag: d.tag, bytes: d.plaintext_len, sha256: d.plaintext_sha256}));

describe('azure-cli vectors', () => {
  it('matches the KDF self-test vector in expected.json', () => {
    const t = expected.sp800_108_test_vector;
    const out = sp800108HmacSha512(
      Buffer.from(t.key_hex, 'hex'),
      t.label,
      t.context,
      t.output_bits,
    );
    expect(out.toString('hex')).toBe(t.expected_hex);
  });

  for (const v of expected.vectors) {
    describe(v.name, () => {
      it.each(v.restore_invocations.map((inv) => [inv.keys.join(' + '), inv] as const))(
        'restores with %s: format azure, expected secret and blob digests',
        (_name, inv) => {
          const domain = open(v);
          expect(domain.describe().required).toBe(v.required);
          const shares = openWithKeys(domain, v, inv.keys, inv.passwords);
          const r = domain.reconstruct(shares);
          if (!r.ok) throw r.error;
          expect(r.value.format).toBe('azure');
          expect(r.value.secret.toString('hex')).toBe(v.combined_secret_hex);
          expect(r.value.evidence.blobs).toEqual(expectedDigests(v));
          expect(r.value.badShares).toEqual([]);
          for (const d of v.enc_data) {
            expect(deriveBlobKey(r.value.secret, d.tag).toString('hex')).toBe(d.derived_key_hex);
          }
        },
      );

      it('opens every share to the expected plaintext, by certificate and by trial decryption', () => {
        const domain = open(v);
        for (const s of v.enc_shares) {
          for (const withCert of [true, false]) {
            const [opened] = openWithKeys(domain, v, [s.wrapping_key_file], [], withCert);
            expect(opened?.holder.index).toBe(s.index + 1);
            expect(opened?.secret.toString('hex')).toBe(s.share_plaintext_hex);
            expect(opened?.match.by).toBe(withCert ? 'certificate' : 'trial-decryption');
            expect(opened?.match.certMissing).toBe(!withCert);
          }
        }
      });

      it(`recovers from every quorum of ${v.required} keys`, () => {
        const domain = open(v);
        const files = v.enc_shares.map((s) => s.wrapping_key_file);
        const all = openWithKeys(domain, v, files);
        const pick = (start: number, size: number): OpenedShare[][] =>
          size === 0
            ? [[]]
            : all
                .slice(start)
                .flatMap((s, i) => pick(start + i + 1, size - 1).map((rest) => [s, ...rest]));
        const subsets = pick(0, v.required);
        expect(subsets.length).toBeGreaterThanOrEqual(3);
        for (const subset of subsets) {
          const r = domain.reconstruct(subset);
          expect(r.ok && r.value.secret.toString('hex')).toBe(v.combined_secret_hex);
        }
        const everyone = domain.reconstruct(all);
        expect(everyone.ok && everyone.value.usedHolders.length).toBe(all.length);
      });
    });
  }

  const real = expected.vectors.find((v) => v.name === 'azure-cli-sdtest');

  it("refuses sd3's key presented with sd1's certificate (azure-cli crashes in RSA)", () => {
    const v = real!;
    const domain = open(v);
    const key = loadUnencryptedKey(join(dir, 'sd3.pem'));
    const cert = loadCertificate(join(dir, 'sd1.cer'));
    if (!key.ok || !cert.ok) throw new Error('vector files unreadable');
    const r = domain.openShare({key: key.value, certificate: cert.value});
    expect(!r.ok && r.error.reason).toBe('key-cert-mismatch');
  });

  it('reads the real init-recovery exchange certificate sdex.pem', () => {
    const ex = loadExchangeKey(join(dir, real!.exchange_key_from_source!.certificate_file));
    expect(ex.ok && ex.value.x5t256).toBe(real!.exchange_key_from_source!.x5t_256);
    expect(ex.ok && ex.value.bits).toBe(4096);
  });

  it("opens azure-cli's restore blob with test-exchange.key, giving the SD's digests", () => {
    const u = real!.upload_roundtrip!;
    const key = loadUnencryptedKey(join(dir, u.exchange_private_key_file));
    const cert = loadExchangeKey(join(dir, u.exchange_certificate_file));
    if (!key.ok || !cert.ok) throw new Error('vector files unreadable');
    expect(cert.value.x5t256).toBe(u.exchange_x5t_256);
    const opened = openRestoreBlob(
      readFileSync(join(dir, u.sample_restore_blob_file)),
      key.value.privateKey,
      {
        exchangeCertificate: cert.value,
      },
    );
    if (!opened.ok) throw opened.error;
    expect(opened.value.digests).toEqual(expectedDigests(real!));
    expect(Object.fromEntries(opened.value.digests.map((d) => [d.tag, d.sha256]))).toEqual(
      u.expected_plaintext_sha256_by_tag,
    );
  });

  it('builds a restore blob for test-exchange.cer that an independent decoder opens', async () => {
    const v = real!;
    const u = v.upload_roundtrip!;
    const domain = open(v);
    const r = domain.reconstruct(openWithKeys(domain, v, ['sd1.pem', 'sd2.pem']));
    if (!r.ok) throw r.error;
    const plain = r.value.decryptBlobs();
    const cert = loadExchangeKey(join(dir, u.exchange_certificate_file));
    const key = loadUnencryptedKey(join(dir, u.exchange_private_key_file));
    if (!plain.ok || !cert.ok || !key.ok) throw new Error('setup failed');
    const payload = buildRestoreBlob(plain.value, cert.value);
    const independent = await decodeRestoreBlobIndependently(payload, key.value.privateKey);
    expect(independent.x5t256).toBe(u.exchange_x5t_256);
    expect(independent.blobs.map(({tag, bytes, sha256}) => ({tag, bytes, sha256}))).toEqual(
      expectedDigests(v),
    );
  });
});
