import {randomBytes} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {SdError} from '../../../source/errors.js';
import {AzureDomain, detectAzure, openAzureDomain} from '../../../source/domain/azure/reader.js';
import {openDomainJson} from '../../../source/domain/open.js';
import {rsaWrap} from '../../../source/domain/azure/rsa-oaep.js';
import {sealShare, writeAzureDomain} from '../../../source/domain/azure/writer.js';
import {encodeShare, splitSecret} from '../../../source/domain/azure/shamir257.js';
import {sha256Hex} from '../../../source/domain/key-file.js';
import {
  buildDomain,
  digestsOf,
  editJson,
  holderPool,
  openAll,
  openJson,
  replaceSegment,
  sampleBlobs,
  segment,
  type TestHolder,
} from './kit.js';

const holders = holderPool();

function openError(json: string): SdError {
  const r = openAzureDomain('sd.json', Buffer.from(json));
  if (r.ok) throw new Error('expected the file to be refused');
  return r.error;
}

function expectOneLine(error: SdError, exitCode: 1 | 2) {
  expect(error).toBeInstanceOf(SdError);
  expect(error.exitCode).toBe(exitCode);
  expect(error.message).not.toMatch(/\n/);
  expect(error.message).not.toMatch(/SyntaxError|TypeError|RangeError|ZodError|undefined/);
}

describe('opening an Azure SD file', () => {
  it('describes the quorum, holders (thumbprint as hex) and blobs', () => {
    const hs = holders(3);
    const {domain} = buildDomain(hs, 2);
    const d = domain.describe();
    expect(d).toMatchObject({format: 'azure', file: 'test-sd.json', required: 2, total: 3});
    expect(d.holders.map((h) => h.certFingerprint)).toEqual(hs.map((h) => sha256Hex(h.certDer)));
    expect(d.holders.map((h) => h.bits)).toEqual([2048, 2048, 2048]);
    expect(d.details.blobs).toBe('hsm_backup, base_enclave_backup, partition_enclave_backup');
    expect(domain.matchByFingerprint({certFingerprint: hs[1]?.cert.certFingerprint})?.index).toBe(
      2,
    );
    expect(
      domain.matchByFingerprint({spkiFingerprint: hs[1]?.key.spkiFingerprint}),
    ).toBeUndefined();
    expect(domain.thumbprint(3)).toBe(hs[2]?.x5t256);
  });

  it('detects Azure files by their EncData and SharedKeys sections', () => {
    const {json} = buildDomain(holders(2), 2);
    expect(detectAzure(JSON.parse(json))).toBe(true);
    expect(detectAzure({EncData: {}, SharedKeys: {}})).toBe(true);
    expect(detectAzure({format: 'sd-drill', shares: []})).toBe(false);
    expect(detectAzure(null)).toBe(false);
    expect(detectAzure([{EncData: {}, SharedKeys: {}}])).toBe(false);
  });

  it('registers with the format dispatcher, which then opens Azure files', () => {
    const {json} = buildDomain(holders(2), 2);
    const opened = openDomainJson('sd.json', JSON.parse(json));
    expect(opened.ok && opened.value.format).toBe('azure');
    expect(opened.ok && opened.value.domain).toBeInstanceOf(AzureDomain);
    const bad = openDomainJson('sd.json', {EncData: {data: []}, SharedKeys: {}});
    expect(!bad.ok && bad.error.message).toMatch(
      /^sd\.json: is not a valid Azure security-domain file/,
    );
  });

  it('refuses what is not JSON or not an SD, in one line without JS error names', () => {
    const e1 = openError('{"EncData": ');
    expectOneLine(e1, 2);
    expect(e1.message).toMatch(/^sd\.json: is not valid JSON/);
    const e2 = openError('{"hello": 1}');
    expect(e2.message).toBe(
      'sd.json: is not an Azure security-domain file (it has no EncData or SharedKeys)',
    );
    const {json} = buildDomain(holders(2), 2);
    const e3 = openError(editJson(json, (sd) => delete (sd as Partial<typeof sd>).SharedKeys));
    expectOneLine(e3, 2);
    expect(e3.message).toMatch(/SharedKeys is missing/);
    const e4 = openError(
      editJson(json, (sd) => ((sd.SharedKeys.enc_shares[1] as {x5t_256: unknown}).x5t_256 = 7)),
    );
    expectOneLine(e4, 2);
    expect(e4.message).toMatch(/SharedKeys\.enc_shares\[1\]\.x5t_256: expected string/);
  });

  it.each([
    [1, 'is 1'],
    [11, 'is 11'],
    [0, 'is 0'],
    [2.5, 'is 2.5'],
    ['2', 'is "2"'],
    [null, 'is null'],
    [undefined, 'is missing'],
  ])('refuses required = %j: the quorum must be a whole number from 2 to 10', (required, shown) => {
    const {json} = buildDomain(holders(2), 2);
    const e = openError(editJson(json, (sd) => (sd.SharedKeys.required = required)));
    expectOneLine(e, 2);
    expect(e.kind).toBe('input');
    expect(e.reason).toBe('bad-quorum');
    expect(e.message).toBe(
      `sd.json: SharedKeys.required ${shown}; the quorum must be a whole number from 2 to 10`,
    );
  });

  it('refuses a quorum larger than the shares, more than ten shares, and other sharing schemes', () => {
    const {json} = buildDomain(holders(3), 2);
    expect(openError(editJson(json, (sd) => (sd.SharedKeys.required = 4))).reason).toBe(
      'quorum-unreachable',
    );
    const eleven = editJson(json, (sd) => {
      const first = sd.SharedKeys.enc_shares[0];
      if (first) sd.SharedKeys.enc_shares = Array.from({length: 11}, () => ({...first}));
    });
    expect(openError(eleven).message).toMatch(/has 11 shares; .* at most 10/);
    const other = openError(editJson(json, (sd) => (sd.SharedKeys.key_algorithm = 'xor')));
    expect(other.message).toMatch(/key_algorithm is "xor"; only shamir_share/);
    expect(openError(editJson(json, (sd) => (sd.EncData.kdf = 'hkdf'))).reason).toBe(
      'unsupported-kdf',
    );
  });

  it('refuses a data blob whose tag is not exactly 32 bytes (azure-cli skips the MAC); a share so damaged is named', () => {
    const hs = holders(2);
    const {json} = buildDomain(hs, 2);
    for (const n of [16, 31, 33]) {
      const resize = (jwe: string) => {
        const tag = segment(jwe, 4);
        return replaceSegment(
          jwe,
          4,
          n < 32 ? tag.subarray(0, n) : Buffer.concat([tag, Buffer.alloc(n - 32)]),
        );
      };
      const blob = openError(
        editJson(json, (sd) => {
          const d = sd.EncData.data[0] as {compact_jwe: string};
          d.compact_jwe = resize(d.compact_jwe);
        }),
      );
      expectOneLine(blob, 2);
      expect(blob.message).toContain(
        `EncData.data[0] ("hsm_backup") has a ${n}-byte authentication tag`,
      );
      const edited = editJson(json, (sd) => {
        const s = sd.SharedKeys.enc_shares[1] as {enc_key: string};
        s.enc_key = resize(s.enc_key);
      });
      expectDamaged(edited, hs[1]!, 2, `has a ${n}-byte authentication tag`);
    }
  });

  it('names a share with an unknown content encryption or RSA1_5 (by its certificate, or the key given for it); refuses a non-dir data blob', () => {
    const hs = holders(2);
    const {json} = buildDomain(hs, 2);
    const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url');
    const withHeader = (h: object) =>
      editJson(json, (sd) => {
        const s = sd.SharedKeys.enc_shares[0] as {enc_key: string};
        s.enc_key = replaceSegment(s.enc_key, 0, header(h));
      });
    expectDamaged(
      withHeader({alg: 'RSA-OAEP-256', enc: 'A256GCM'}),
      hs[0]!,
      1,
      'uses content encryption "A256GCM"; only A256CBC-HS512 is supported',
    );
    expectDamaged(
      withHeader({alg: 'RSA1_5', enc: 'A256CBC-HS512'}),
      hs[0]!,
      1,
      'key wrapping "RSA1_5"; only RSA-OAEP-256 and RSA-OAEP',
    );
    expectDamaged(
      editJson(json, (sd) => {
        (sd.SharedKeys.enc_shares[0] as {enc_key: string}).enc_key = 'abc';
      }),
      hs[0]!,
      1,
      'has 1 segments; a compact JWE has 5',
    );
    const blobEnc = openError(
      editJson(json, (sd) => {
        const d = sd.EncData.data[2] as {compact_jwe: string};
        d.compact_jwe = replaceSegment(
          d.compact_jwe,
          0,
          header({alg: 'dir', enc: 'A128CBC-HS256'}),
        );
      }),
    );
    expect(blobEnc.message).toMatch(/partition_enclave_backup.*"A128CBC-HS256"/);
    const notDir = openError(
      editJson(json, (sd) => {
        const d = sd.EncData.data[0] as {compact_jwe: string};
        d.compact_jwe = replaceSegment(
          d.compact_jwe,
          0,
          header({alg: 'A256KW', enc: 'A256CBC-HS512'}),
        );
      }),
    );
    expect(notDir.reason).toBe('unsupported-alg');
  });
});

/**
 * A damaged share does not stop the file from opening (the other holders may still recover
 * it): the file names it by its certificate, and presenting its key names the key file.
 */
function expectDamaged(json: string, holder: TestHolder, index: number, what: string): void {
  const domain = openJson(json);
  const problem = domain.describe().problems.find((p) => p.rule === 'share-damaged');
  expect(problem?.shares).toEqual([index]);
  expect(problem?.text).toContain(
    `share ${index} (certificate x5t#S256 ${holder.x5t256.slice(0, 12)}…) is damaged: its enc_key`,
  );
  expect(problem?.text).toContain(what);
  const r = domain.openShare({key: holder.key, certificate: holder.cert});
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expectOneLine(r.error, 1);
  expect(r.error.message).toContain(`share ${index} (certificate x5t#S256`);
  expect(r.error.message).toContain(`(opened with ${holder.key.file}) is damaged`);
  expect(r.error.message).toContain(what);
}

describe('matching keys to shares', () => {
  it('matches by the certificate beside the key, as azure-cli does', () => {
    const hs = holders(3);
    const {domain} = buildDomain(hs, 2);
    const opened = domain.openShare({key: hs[1]!.key, certificate: hs[1]!.cert});
    expect(opened.ok && opened.value.match).toEqual({
      holder: expect.objectContaining({index: 2}),
      by: 'certificate',
      certMissing: false,
    });
  });

  it('finds the share of a key without its certificate by trial decryption (certMissing)', () => {
    const hs = holders(3);
    const {domain} = buildDomain(hs, 2);
    for (const [i, h] of hs.entries()) {
      const opened = domain.openShare({key: h.key});
      if (!opened.ok) throw opened.error;
      expect(opened.value.holder.index).toBe(i + 1);
      expect(opened.value.match.by).toBe('trial-decryption');
      expect(opened.value.match.certMissing).toBe(true);
    }
    const r = domain.reconstruct(openAll(domain, [hs[2]!, hs[0]!], false));
    expect(r.ok && r.value.usedHolders).toEqual([3, 1]);
  });

  it('refuses a key whose certificate is a holder but which is another key, comparing up front', () => {
    const hs = holders(3);
    const {domain} = buildDomain(hs, 2);
    const r = domain.openShare({key: hs[2]!.key, certificate: hs[0]!.cert});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expectOneLine(r.error, 2);
    expect(r.error.reason).toBe('key-cert-mismatch');
    expect(r.error.message).toBe(
      "holder3.pem: is not the private key of holder1.cer, holder 1's certificate in test-sd.json — the key and certificate files have been mixed up",
    );
  });

  it('refuses a key that is not a holder (a check, as a native file does), listing the thumbprints the file expects', () => {
    const hs = holders(4);
    const {domain} = buildDomain(hs.slice(0, 3), 2);
    const outsider = hs[3]!;
    for (const presented of [
      {key: outsider.key},
      {key: outsider.key, certificate: outsider.cert},
    ]) {
      const r = domain.openShare(presented);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expectOneLine(r.error, 1);
      expect(r.error.reason).toBe('not-a-holder');
      expect(r.error.message).toMatch(/this key is not one of this domain's 3 wrapping keys/);
      for (const h of hs.slice(0, 3)) expect(r.error.message).toContain(h.x5t256);
    }
  });

  it('refuses a content key that is not 64 bytes', () => {
    const hs = holders(2);
    const {json} = buildDomain(hs, 2);
    const domain = openJson(
      editJson(json, (sd) => {
        const s = sd.SharedKeys.enc_shares[0] as {enc_key: string};
        s.enc_key = replaceSegment(s.enc_key, 1, rsaWrap(hs[0]!.cert.publicKey, randomBytes(32)));
      }),
    );
    const r = domain.openShare({key: hs[0]!.key, certificate: hs[0]!.cert});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expectOneLine(r.error, 2);
    expect(r.error.reason).toBe('bad-cek');
    expect(r.error.message).toMatch(/content key is 32 bytes; A256CBC-HS512 needs 64/);
  });

  it('fails a share whose MAC does not check, or whose words are malformed', () => {
    const hs = holders(2);
    const {json} = buildDomain(hs, 2);
    const tampered = openJson(
      editJson(json, (sd) => {
        const s = sd.SharedKeys.enc_shares[1] as {enc_key: string};
        const ct = segment(s.enc_key, 3);
        ct[0] = (ct[0] ?? 0) ^ 0x80;
        s.enc_key = replaceSegment(s.enc_key, 3, ct);
      }),
    );
    const r = tampered.openShare({key: hs[1]!.key, certificate: hs[1]!.cert});
    expect(!r.ok && r.error.kind).toBe('check');
    expect(!r.ok && r.error.message).toMatch(
      /share 2 \(certificate x5t#S256 .*\) of test-sd.json .* does not authenticate/,
    );

    const mixed = Buffer.concat([
      encodeShare({x: 1, values: Uint16Array.of(5)}),
      encodeShare({x: 2, values: Uint16Array.of(5)}),
    ]);
    const bad = openJson(
      editJson(json, (sd) => {
        (sd.SharedKeys.enc_shares[0] as {enc_key: string}).enc_key = sealShare(
          hs[0]!.cert.publicKey,
          mixed,
        );
      }),
    );
    const r2 = bad.openShare({key: hs[0]!.key});
    expect(!r2.ok && r2.error.reason).toBe('bad-share');
    expect(!r2.ok && r2.error.message).toMatch(/different x coordinates/);
  });
});

describe('reconstructing', () => {
  it('combines a quorum and proves it with every blob: digests, never plaintext', () => {
    const hs = holders(3);
    const {domain, secret, blobs} = buildDomain(hs, 2);
    const r = domain.reconstruct(openAll(domain, [hs[1]!, hs[2]!]));
    if (!r.ok) throw r.error;
    expect(r.value.format).toBe('azure');
    expect(r.value.secret.equals(secret)).toBe(true);
    expect(r.value.evidence.blobs).toEqual(digestsOf(blobs));
    expect(r.value.usedHolders).toEqual([2, 3]);
    expect(r.value.badShares).toEqual([]);
    const plain = r.value.decryptBlobs();
    expect(
      plain.ok &&
        plain.value.map((b) => b.plaintext.equals(blobs.find((x) => x.tag === b.tag)!.plaintext)),
    ).toEqual([true, true, true]);
    r.value.wipe();
    expect(r.value.secret.every((b) => b === 0)).toBe(true);
  });

  it('says how many shares are required when fewer are given', () => {
    const hs = holders(5);
    const {domain} = buildDomain(hs, 3);
    const r = domain.reconstruct(openAll(domain, hs.slice(0, 2)));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expectOneLine(r.error, 1);
    expect(r.error.reason).toBe('quorum-not-met');
    expect(r.error.message).toBe(
      '3 distinct shares are required to reconstruct test-sd.json; 2 were given',
    );
  });

  it('counts the same key given under two names once', () => {
    const hs = holders(3);
    const {domain} = buildDomain(hs, 2);
    const a = domain.openShare({key: hs[0]!.key, certificate: hs[0]!.cert});
    const b = domain.openShare({key: {...hs[0]!.key, file: 'copy-of-holder1.pem'}});
    if (!a.ok || !b.ok) throw new Error('open failed');
    const r = domain.reconstruct([a.value, b.value]);
    expect(!r.ok && r.error.message).toBe(
      '2 distinct shares are required to reconstruct test-sd.json; 1 was given (copy-of-holder1.pem and holder1.pem open the same share (holder 1); counted once)',
    );
    const c = domain.openShare({key: hs[2]!.key});
    if (!c.ok) throw c.error;
    const r2 = domain.reconstruct([a.value, b.value, c.value]);
    expect(r2.ok && r2.value.usedHolders).toEqual([1, 3]);
    expect(r2.ok && r2.value.notes).toEqual([
      'copy-of-holder1.pem and holder1.pem open the same share (holder 1); counted once',
    ]);
  });

  it('counts a share listed twice in the file once (same x5t_256 twice)', () => {
    const hs = holders(2);
    // The same certificate given twice at download: one key can open two shares.
    const {json} = writeAzureDomain({
      certificates: [hs[0]!.cert, hs[0]!.cert, hs[1]!.cert],
      required: 2,
      blobs: sampleBlobs(),
    });
    const domain = openJson(json);
    expect(domain.describe().details.duplicateThumbprints).toBe(1);
    const first = openAll(domain, [hs[0]!, hs[0]!]);
    expect(first.map((s) => s.holder.index)).toEqual([1, 1]);
    const r = domain.reconstruct(first);
    expect(!r.ok && r.error.reason).toBe('quorum-not-met');
    const r2 = domain.reconstruct(openAll(domain, [hs[0]!, hs[1]!]));
    expect(r2.ok && r2.value.usedHolders).toEqual([1, 3]);
  });

  it('counts two entries carrying the same share (duplicate x) once', () => {
    const hs = holders(3);
    const secret = randomBytes(32);
    const blobs = sampleBlobs();
    const {json} = writeAzureDomain({
      certificates: hs.map((h) => h.cert),
      required: 2,
      blobs,
      secret,
    });
    const [s1] = splitSecret(secret, 2, 3); // a different polynomial: only x = 1 reused below
    const copyOfFirst = openJson(json).openShare({key: hs[0]!.key});
    if (!copyOfFirst.ok) throw copyOfFirst.error;
    const dupJson = editJson(json, (sd) => {
      (sd.SharedKeys.enc_shares[2] as {enc_key: string}).enc_key = sealShare(
        hs[2]!.cert.publicKey,
        copyOfFirst.value.secret,
      );
    });
    const domain = openJson(dupJson);
    const r = domain.reconstruct(openAll(domain, [hs[0]!, hs[2]!]));
    expect(!r.ok && r.error.message).toMatch(
      /1 was given \(holder 3 \(holder3\.pem\) carries the same share as holder 1 \(holder1\.pem\) \(x=1\); counted once\)/,
    );
    // A conflicting share with the same x is kept apart and named when it disagrees.
    const conflicting = openJson(
      editJson(json, (sd) => {
        (sd.SharedKeys.enc_shares[2] as {enc_key: string}).enc_key = sealShare(
          hs[2]!.cert.publicKey,
          s1!,
        );
      }),
    );
    const r2 = conflicting.reconstruct(openAll(conflicting, hs));
    if (!r2.ok) throw r2.error;
    expect(r2.value.usedHolders).toEqual([1, 2]);
    expect(r2.value.badShares).toEqual([
      expect.objectContaining({
        holderIndex: 3,
        file: 'holder3.pem',
        reason: expect.stringMatching(/does not agree/),
      }),
    ]);
  });

  it('fails clearly (exit 1) when the combined secret does not open a data blob', () => {
    const hs = holders(2);
    const {json} = buildDomain(hs, 2);
    const domain = openJson(
      editJson(json, (sd) => {
        const d = sd.EncData.data[1] as {compact_jwe: string};
        const ct = segment(d.compact_jwe, 3);
        ct[10] = (ct[10] ?? 0) ^ 1;
        d.compact_jwe = replaceSegment(d.compact_jwe, 3, ct);
      }),
    );
    const r = domain.reconstruct(openAll(domain, hs));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expectOneLine(r.error, 1);
    expect(r.error.reason).toBe('reconstruction-failed');
    expect(r.error.message).toMatch(
      /^reconstruction of test-sd\.json failed: the combined secret does not authenticate data blob "base_enclave_backup"/,
    );
  });

  it('names the bad share when more than the quorum was given, wherever it stands', () => {
    const hs = holders(4);
    const {json} = buildDomain(hs, 2);
    // Holder 2's share is replaced by one that authenticates but has wrong values.
    const wrong = encodeShare({x: 2, values: Uint16Array.from({length: 32}, (_, i) => i)});
    const domain = openJson(
      editJson(json, (sd) => {
        (sd.SharedKeys.enc_shares[1] as {enc_key: string}).enc_key = sealShare(
          hs[1]!.cert.publicKey,
          wrong,
        );
      }),
    );
    for (const order of [
      [1, 0, 2, 3],
      [0, 1, 2],
      [2, 3, 1],
    ]) {
      const r = domain.reconstruct(
        openAll(
          domain,
          order.map((i) => hs[i]!),
        ),
      );
      if (!r.ok) throw r.error;
      expect(r.value.badShares).toEqual([
        expect.objectContaining({holderIndex: 2, file: 'holder2.pem'}),
      ]);
      expect(r.value.usedHolders).not.toContain(2);
      expect(r.value.usedHolders.length).toBe(order.length - 1);
    }
    const r = domain.reconstruct(openAll(domain, [hs[1]!, hs[0]!]));
    expect(!r.ok && r.error.message).toMatch(
      /one of the 2 shares is wrong .* bring another holder's key/,
    );
  });
});
