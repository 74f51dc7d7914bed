import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {SdError} from '../../../source/errors.js';
import {writeAzureDomain} from '../../../source/domain/azure/writer.js';
import {digestsOf, holderPool, openAll, openJson, sampleBlobs, segment} from './kit.js';

const holders = holderPool();

describe('writing an Azure SD file (spec §13)', () => {
  it('emits compact JSON in the HSM key order, with the exact JWE headers', () => {
    const hs = holders(3);
    const {json} = writeAzureDomain({
      certificates: hs.map((h) => h.cert),
      required: 2,
      blobs: sampleBlobs(),
    });
    const sd = JSON.parse(json) as Record<string, Record<string, unknown>>;
    expect(JSON.stringify(sd)).toBe(json);
    expect(Object.keys(sd)).toEqual(['EncData', 'SharedKeys', 'version']);
    expect(Object.keys(sd.EncData!)).toEqual(['data', 'kdf']);
    expect(Object.keys(sd.SharedKeys!)).toEqual(['enc_shares', 'key_algorithm', 'required']);
    expect(json).toMatch(/^\{"EncData":\{"data":\[\{"compact_jwe":"[^"]+","tag":"hsm_backup"\},/);
    expect(json).toMatch(
      /"kdf":"sp108_kdf"\},"SharedKeys":\{"enc_shares":\[\{"enc_key":"[^"]+","x5t_256":"/,
    );
    expect(json.endsWith('"key_algorithm":"shamir_share","required":2},"version":2}')).toBe(true);
    const data = sd.EncData!.data as Array<{compact_jwe: string; tag: string}>;
    for (const d of data) {
      expect(segment(d.compact_jwe, 0).toString()).toBe(
        `{"alg":"dir","enc":"A256CBC-HS512","kid":"${d.tag}"}`,
      );
      expect(d.compact_jwe.split('.')[1]).toBe('');
      expect(segment(d.compact_jwe, 2).length).toBe(16);
      expect(segment(d.compact_jwe, 4).length).toBe(32);
      expect(d.compact_jwe).not.toContain('=');
    }
    const shares = sd.SharedKeys!.enc_shares as Array<{enc_key: string; x5t_256: string}>;
    expect(shares.map((s) => s.x5t_256)).toEqual(hs.map((h) => h.x5t256));
    for (const s of shares) {
      expect(segment(s.enc_key, 0).toString()).toBe(
        '{"alg":"RSA-OAEP-256","enc":"A256CBC-HS512","kid":"not used"}',
      );
      expect(segment(s.enc_key, 1).length).toBe(256);
      expect(segment(s.enc_key, 3).length).toBe(80); // 64-byte share + a full padding block
    }
  });

  it('writes share i as little-endian (x << 9) | v words with x = i + 1', () => {
    const hs = holders(3);
    const {json} = writeAzureDomain({
      certificates: hs.map((h) => h.cert),
      required: 3,
      blobs: sampleBlobs(),
    });
    const domain = openJson(json);
    for (const [i, share] of openAll(domain, hs).entries()) {
      expect(share.secret.length).toBe(64);
      for (let j = 0; j < 64; j += 2) {
        const word = share.secret.readUInt16LE(j);
        expect(word >> 9).toBe(i + 1);
        expect(word & 0x1ff).toBeLessThanOrEqual(256);
      }
    }
  });

  it('round-trips through the reader for any 2 ≤ m ≤ n ≤ 10 and any quorum (property)', () => {
    const pool = holders(10);
    fc.assert(
      fc.property(
        fc
          .integer({min: 2, max: 10})
          .chain((m) => fc.tuple(fc.constant(m), fc.integer({min: m, max: 10})))
          .chain(([m, n]) =>
            fc.tuple(
              fc.constant(m),
              fc.constant(n),
              fc.shuffledSubarray([...Array(n).keys()], {minLength: m, maxLength: m}),
            ),
          ),
        ([m, n, picks]) => {
          const blobs = sampleBlobs([50, 16, 1]);
          const {json, secret} = writeAzureDomain({
            certificates: pool.slice(0, n).map((h) => h.cert),
            required: m,
            blobs,
          });
          const domain = openJson(json);
          const r = domain.reconstruct(
            openAll(
              domain,
              picks.map((i) => pool[i]!),
            ),
          );
          if (!r.ok) throw r.error;
          expect(r.value.secret.equals(secret)).toBe(true);
          expect(r.value.evidence.blobs).toEqual(digestsOf(blobs));
        },
      ),
      {numRuns: 12},
    );
  });

  it('refuses quorums and holder counts outside 2 ≤ m ≤ n ≤ 10', () => {
    const hs = holders(10);
    const certs = hs.map((h) => h.cert);
    const attempt = (required: number, n: number) => () =>
      writeAzureDomain({
        certificates: [...certs, ...certs].slice(0, n),
        required,
        blobs: sampleBlobs(),
      });
    expect(attempt(1, 3)).toThrow(SdError);
    expect(attempt(2.5, 3)).toThrow(/whole number from 2 to 10/);
    expect(attempt(4, 3)).toThrow(/between 4 and 10 certificates, got 3/);
    expect(attempt(2, 11)).toThrow(/got 11/);
    expect(() =>
      writeAzureDomain({certificates: certs.slice(0, 2), required: 2, blobs: []}),
    ).toThrow(SdError);
  });

  it('accepts certificates as DER buffers', () => {
    const hs = holders(2);
    const {json, secret} = writeAzureDomain({
      certificates: hs.map((h) => h.certDer),
      required: 2,
      blobs: sampleBlobs(),
    });
    const domain = openJson(json);
    const r = domain.reconstruct(openAll(domain, hs));
    expect(r.ok && r.value.secret.equals(secret)).toBe(true);
  });
});
