/**
 * The share commitment's exact bytes (docs/share-commitments.md), computed here by hand from
 * the documented layout, and the native header's signed bytes checked with node:crypto alone:
 * an auditor with the docs and any SHA-256 / Ed25519 tool gets the same answers.
 */
import {createHash, createPublicKey, randomBytes, verify} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {canonicalJson} from '../../source/canonical-json.js';
import {COMMITMENT_LABEL, shareCommitment} from '../../source/domain/commitment.js';
import {encDataDigest} from '../../source/domain/azure/reader.js';
import {
  HEADER_COMMITMENTS_PREFIX,
  headerCommitmentsVerify,
  signHeaderCommitments,
} from '../../source/domain/native/commitments.js';
import type {NativeDomainFile} from '../../source/domain/native/schema.js';
import {deriveReportKey} from '../../source/domain/report-key.js';
import {provenShares} from '../../source/domain/commitment.js';
import type {OpenedShare} from '../../source/domain/format.js';

/** The documented layout, written out byte by byte. */
function byHand(domain: string, generation: number, index: number, share: Buffer): string {
  const d = Buffer.from(domain, 'utf8');
  const bytes = Buffer.concat([
    Buffer.from('sd-drill/v1 share commitment', 'ascii'),
    Buffer.from([0]),
    Buffer.from([d.length >> 8, d.length & 0xff]),
    d,
    Buffer.from([
      (generation >>> 24) & 0xff,
      (generation >>> 16) & 0xff,
      (generation >>> 8) & 0xff,
      generation & 0xff,
    ]),
    Buffer.from([index >> 8, index & 0xff]),
    Buffer.from([share.length >> 8, share.length & 0xff]),
    share,
  ]);
  return createHash('sha256').update(bytes).digest('hex');
}

describe('the share commitment', () => {
  it('is SHA-256 over the documented bytes', () => {
    expect(COMMITMENT_LABEL).toBe('sd-drill/v1 share commitment');
    for (const [domain, generation, index, share] of [
      ['native:040bc127-12e8-47e1-b3cc-805effde1a1c', 1, 3, randomBytes(33)],
      [`azure:${'ab'.repeat(32)}`, 0, 2, randomBytes(64)],
      ['native:040bc127-12e8-47e1-b3cc-805effde1a1c', 70_000, 10, randomBytes(300)],
    ] as const)
      expect(shareCommitment({domain, generation, index}, share)).toBe(
        byHand(domain, generation, index, share),
      );
  });

  it('binds every part: another domain, generation, slot or one bit of the share gives another', () => {
    const share = randomBytes(64);
    const base = {domain: `azure:${'00'.repeat(32)}`, generation: 0, index: 1};
    const c = shareCommitment(base, share);
    const flipped = Buffer.from(share);
    flipped[0] = (flipped[0] as number) ^ 1;
    const others = [
      shareCommitment({...base, domain: `azure:${'01'.repeat(32)}`}, share),
      shareCommitment({...base, generation: 1}, share),
      shareCommitment({...base, index: 2}, share),
      shareCommitment(base, flipped),
    ];
    expect(new Set([c, ...others]).size).toBe(5);
  });

  it('names an Azure domain by its EncData: the canonical JSON of its blobs and KDF', () => {
    const blobs = [
      {tag: 'hsm_backup', compact: 'a.b.c.d.e'},
      {tag: 'base_enclave_backup', compact: 'f.g.h.i.j'},
    ];
    const expected = createHash('sha256')
      .update(
        '{"data":[{"compact_jwe":"a.b.c.d.e","tag":"hsm_backup"},{"compact_jwe":"f.g.h.i.j","tag":"base_enclave_backup"}],"kdf":"sp108_kdf"}',
      )
      .digest('hex');
    expect(encDataDigest(blobs, 'sp108_kdf')).toBe(expected);
  });
});

describe('proven shares', () => {
  const share = (index: number): OpenedShare =>
    ({
      holder: {index, certFingerprint: ''},
      file: `k${index}`,
      match: {} as never,
      secret: Buffer.alloc(1),
    }) as OpenedShare;
  it('Azure: only those the reconstruction used (a share repeating another’s proves nothing)', () => {
    const got = provenShares('azure', [share(1), share(2), share(3)], {
      usedHolders: [1, 3],
      badShares: [],
    });
    expect(got.map((s) => s.holder.index)).toEqual([1, 3]);
  });
  it('neither of two holders whose shares are one share', () => {
    const got = provenShares('azure', [share(1), share(2), share(3)], {
      usedHolders: [1, 2],
      badShares: [],
      duplicates: [{holderIndex: 3, sameAs: 1}],
    });
    expect(got.map((s) => s.holder.index)).toEqual([2]);
  });
  it('native: every share not named bad', () => {
    const got = provenShares('native', [share(1), share(2), share(3)], {
      usedHolders: [1, 2],
      badShares: [{holderIndex: 2, reason: 'forged'}],
    });
    expect(got.map((s) => s.holder.index)).toEqual([1, 3]);
  });
});

describe('a native header’s commitments', () => {
  const key = deriveReportKey(randomBytes(32));
  const doc = {
    domain: {
      id: '040bc127-12e8-47e1-b3cc-805effde1a1c',
      hsmName: 'h',
      created: '2025-01-01T00:00:00.000Z',
      generation: 2,
      reportKey: key.publicKey,
    },
    quorum: {required: 2, total: 3},
    holders: [1, 2, 3].map((index) => ({
      index,
      name: `h${index}`,
      certFingerprint: String(index).repeat(64),
      spkiFingerprint: String(index + 3).repeat(64),
      bits: 2048,
      certificate: '',
    })),
  } as unknown as NativeDomainFile;
  const shares = [1, 2, 3].map((holder) => ({
    holder,
    sha256: String.fromCharCode(96 + holder).repeat(64),
  }));

  it('are signed over the documented bytes, verifiable with node:crypto and the raw key alone', () => {
    const signed = signHeaderCommitments(doc, shares, key);
    const message = Buffer.from(
      HEADER_COMMITMENTS_PREFIX +
        canonicalJson({
          domain: `native:${doc.domain.id}`,
          generation: 2,
          reportKey: key.publicKey,
          quorum: {required: 2, total: 3},
          holders: doc.holders.map((h) => ({
            index: h.index,
            certFingerprint: h.certFingerprint,
            spkiFingerprint: h.spkiFingerprint,
          })),
          commitments: shares,
        }),
      'utf8',
    );
    const raw = Buffer.from(key.publicKey, 'base64');
    const publicKey = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]),
      format: 'der',
      type: 'spki',
    });
    expect(verify(null, message, publicKey, Buffer.from(signed.signature, 'base64'))).toBe(true);
    expect(headerCommitmentsVerify({...doc, commitments: signed})).toBe(true);
  });

  it('fail to verify when a commitment, the generation or a holder changes', () => {
    const signed = signHeaderCommitments(doc, shares, key);
    const changedCommitment = {
      ...signed,
      shares: signed.shares.map((s, i) => (i === 1 ? {...s, sha256: 'f'.repeat(64)} : s)),
    };
    expect(headerCommitmentsVerify({...doc, commitments: changedCommitment})).toBe(false);
    expect(
      headerCommitmentsVerify({
        ...doc,
        domain: {...doc.domain, generation: 3},
        commitments: signed,
      }),
    ).toBe(false);
    const holders = doc.holders.map((h, i) =>
      i === 0 ? {...h, spkiFingerprint: '9'.repeat(64)} : h,
    );
    expect(headerCommitmentsVerify({...doc, holders, commitments: signed})).toBe(false);
  });
});
