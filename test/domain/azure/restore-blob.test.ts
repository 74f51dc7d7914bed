import {createHash} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {
  buildRestoreBlob,
  openRestoreBlob,
  parseRestoreBlob,
} from '../../../source/domain/azure/restore-blob.js';
import {initRecoveryPem, parseExchangeKey} from '../../../source/domain/azure/exchange-key.js';
import {decodeRestoreBlobIndependently} from './independent-decoder.js';
import {buildDomain, digestsOf, holderPool, openAll, replaceSegment, segment} from './kit.js';

const holders = holderPool();

function reconstructedBlobs() {
  const hs = holders(4);
  const built = buildDomain(hs.slice(0, 3), 2);
  const r = built.domain.reconstruct(openAll(built.domain, hs.slice(0, 2)));
  if (!r.ok) throw r.error;
  const plain = r.value.decryptBlobs();
  if (!plain.ok) throw plain.error;
  return {plaintexts: plain.value, expected: digestsOf(built.blobs), exchange: hs[3]!};
}

describe('restore blob (upload payload)', () => {
  it('opens by an independent jose-based decoder with the same digests', async () => {
    const {plaintexts, expected, exchange} = reconstructedBlobs();
    const payload = buildRestoreBlob(plaintexts, exchange.cert);
    const independent = await decodeRestoreBlobIndependently(payload, exchange.privateKey);
    expect(independent.x5t256).toBe(exchange.x5t256);
    expect(independent.masterKeyLength).toBe(32);
    expect(independent.wrappedHeader).toEqual({
      alg: 'RSA-OAEP-256',
      enc: 'A256CBC-HS512',
      kid: 'not used',
    });
    expect(independent.blobs.map(({tag, bytes, sha256}) => ({tag, bytes, sha256}))).toEqual(
      expected,
    );
    expect(independent.blobs.map((b) => b.header)).toEqual(
      expected.map((e) => ({alg: 'dir', enc: 'A256CBC-HS512', kid: e.tag})),
    );
    const ours = openRestoreBlob(payload, exchange.privateKey, {
      exchangeCertificate: exchange.cert,
    });
    expect(ours.ok && ours.value.digests).toEqual(expected);
  });

  it("copies azure-cli's layout and spacing, and wraps a fresh key every time", () => {
    const {plaintexts, exchange} = reconstructedBlobs();
    const a = buildRestoreBlob(plaintexts, exchange.cert);
    const b = buildRestoreBlob(plaintexts, exchange.cert);
    expect(a).toMatch(
      /^\{"EncData": \{"data": \[\{"compact_jwe": "[^"]+", "tag": "hsm_backup"\}, \{"compact_jwe": /,
    );
    expect(a).toMatch(
      /\], "kdf": "sp108_kdf"\}, "WrappedKey": \{"enc_key": "[^"]+", "x5t_256": "[^"]+"\}\}$/,
    );
    const wrapped = (JSON.parse(a) as {WrappedKey: {enc_key: string}}).WrappedKey.enc_key;
    expect(segment(wrapped, 3).length).toBe(48); // 32-byte T → 48-byte ciphertext
    expect(segment(wrapped, 4).length).toBe(32);
    expect(a).not.toBe(b);
  });

  it('refuses the wrong exchange key, a mismatched thumbprint and a tampered blob', () => {
    const {plaintexts, exchange} = reconstructedBlobs();
    const other = holders(1)[0]!;
    const payload = buildRestoreBlob(plaintexts, exchange.cert);
    const wrongKey = openRestoreBlob(payload, other.privateKey);
    expect(!wrongKey.ok && wrongKey.error.reason).toBe('wrong-exchange-key');
    const wrongCert = openRestoreBlob(payload, exchange.privateKey, {
      exchangeCertificate: other.cert,
    });
    expect(!wrongCert.ok && wrongCert.error.message).toMatch(/is wrapped for exchange key x5t_256/);
    const json = JSON.parse(payload) as {EncData: {data: Array<{compact_jwe: string}>}};
    const d = json.EncData.data[0]!;
    const ct = segment(d.compact_jwe, 3);
    ct[0] = (ct[0] ?? 0) ^ 1;
    d.compact_jwe = replaceSegment(d.compact_jwe, 3, ct);
    const tampered = openRestoreBlob(JSON.stringify(json), exchange.privateKey);
    expect(!tampered.ok && tampered.error.exitCode).toBe(1);
    expect(!tampered.ok && tampered.error.message).toMatch(
      /data blob "hsm_backup" does not authenticate/,
    );
    const broken = parseRestoreBlob('rb.json', '{"EncData": {"data": []}}');
    expect(!broken.ok && broken.error.message).toMatch(/^rb\.json: is not a restore blob: /);
  });
});

describe('exchange key forms', () => {
  it('reads the init-recovery PEM (65-character lines, no final newline)', () => {
    const ex = holders(1)[0]!;
    const pem = initRecoveryPem(ex.certDer);
    expect(pem.endsWith('-----END CERTIFICATE-----')).toBe(true);
    expect(pem.split('\n')[1]?.length).toBe(65);
    const parsed = parseExchangeKey('sdex.pem', Buffer.from(pem));
    expect(parsed.ok && parsed.value.x5t256).toBe(ex.x5t256);
    expect(parsed.ok && parsed.value.form).toBe('pem');
    const der = parseExchangeKey('sdex.der', ex.certDer);
    expect(der.ok && der.value.x5t256).toBe(ex.x5t256);
  });

  it('reads the JWK with x5c, bare or as the transfer_key response, and checks x5t#S256 and n', () => {
    const ex = holders(1)[0]!;
    const pub = ex.cert.publicKey.export({format: 'jwk'});
    const jwk = {
      kty: 'RSA',
      n: pub.n,
      e: pub.e,
      kid: 'not used',
      key_ops: ['wrapKey', 'verify', 'encrypt'],
      x5c: [ex.certDer.toString('base64')],
      x5t: createHash('sha1').update(ex.certDer).digest('base64url'),
      'x5t#S256': ex.x5t256,
    };
    for (const text of [
      JSON.stringify(jwk),
      JSON.stringify({key_format: 'jwk', transfer_key: JSON.stringify(jwk)}),
    ]) {
      const parsed = parseExchangeKey('transfer-key.json', Buffer.from(text));
      expect(parsed.ok && parsed.value.x5t256).toBe(ex.x5t256);
      expect(parsed.ok && parsed.value.form).toBe('jwk');
    }
    const bad = (j: object) => {
      const r = parseExchangeKey('k.json', Buffer.from(JSON.stringify(j)));
      return r.ok ? 'ok' : r.error.reason;
    };
    expect(bad({...jwk, 'x5t#S256': holders(2)[1]!.x5t256})).toBe('jwk-thumbprint-mismatch');
    expect(bad({...jwk, n: holders(2)[1]!.cert.publicKey.export({format: 'jwk'}).n})).toBe(
      'jwk-key-mismatch',
    );
    expect(bad({kty: 'RSA', n: pub.n, e: pub.e})).toBe('no-x5c');
    expect(bad({...jwk, kty: 'EC'})).toBe('not-rsa');
    const key = parseExchangeKey('exchange.key', Buffer.from(ex.keyPem));
    expect(!key.ok && key.error.message).toBe('exchange.key: is a private key, not a certificate');
  });
});
