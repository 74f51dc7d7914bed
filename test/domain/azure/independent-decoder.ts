/**
 * An independent reader of restore blobs, sharing no code with source/domain/azure: jose's
 * compactDecrypt does the JWE work (RSA-OAEP-256 unwrap, A256CBC-HS512 with its own MAC
 * check) and the SP 800-108 block is written out from the spec here. If our builder and
 * reader shared a mistake, this decoder would not share it.
 */
import {createHash, createHmac, type KeyObject} from 'node:crypto';
import {compactDecrypt, importJWK} from 'jose';

function kdfBlock(master: Uint8Array, tag: string): Uint8Array {
  const input = Buffer.concat([
    Buffer.from('00000001', 'hex'),
    Buffer.from(tag, 'utf8'),
    Buffer.from('00', 'hex'),
    Buffer.from('00000200', 'hex'),
  ]);
  return new Uint8Array(createHmac('sha512', master).update(input).digest());
}

/** Each `EncData` blob opened with its SP 800-108 key from the master key (`dir` JWE). */
async function openBlobs(
  master: Uint8Array,
  data: Array<{compact_jwe: string; tag: string}>,
): Promise<IndependentResult['blobs']> {
  const blobs: IndependentResult['blobs'] = [];
  for (const datum of data) {
    const opened = await compactDecrypt(datum.compact_jwe, kdfBlock(master, datum.tag), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256CBC-HS512'],
    });
    blobs.push({
      tag: datum.tag,
      bytes: opened.plaintext.length,
      sha256: createHash('sha256').update(opened.plaintext).digest('hex'),
      header: opened.protectedHeader as Record<string, unknown>,
    });
  }
  return blobs;
}

export interface IndependentResult {
  x5t256: string;
  masterKeyLength: number;
  wrappedHeader: Record<string, unknown>;
  blobs: Array<{tag: string; bytes: number; sha256: string; header: Record<string, unknown>}>;
}

export async function decodeRestoreBlobIndependently(
  json: string,
  exchangePrivateKey: KeyObject,
): Promise<IndependentResult> {
  const payload = JSON.parse(json) as {
    EncData: {data: Array<{compact_jwe: string; tag: string}>};
    WrappedKey: {enc_key: string; x5t_256: string};
  };
  const key = await importJWK(
    exchangePrivateKey.export({format: 'jwk'}) as Parameters<typeof importJWK>[0],
    'RSA-OAEP-256',
  );
  const wrapped = await compactDecrypt(payload.WrappedKey.enc_key, key, {
    keyManagementAlgorithms: ['RSA-OAEP-256'],
    contentEncryptionAlgorithms: ['A256CBC-HS512'],
  });
  const master = wrapped.plaintext;
  const blobs = await openBlobs(master, payload.EncData.data);
  return {
    x5t256: payload.WrappedKey.x5t_256,
    masterKeyLength: master.length,
    wrappedHeader: wrapped.protectedHeader as Record<string, unknown>,
    blobs,
  };
}

/** a^-1 mod 257 by Fermat, written out here (not ours: shamir257.ts). */
function inv257(a: number): number {
  let r = 1;
  let b = ((a % 257) + 257) % 257;
  for (let e = 255; e > 0; e >>= 1) {
    if (e & 1) r = (r * b) % 257;
    b = (b * b) % 257;
  }
  return r;
}

export interface IndependentDomain {
  required: number;
  /** The combined master secret, from the first `required` shares the keys open. */
  secret: Buffer;
  blobs: Array<{tag: string; bytes: number; sha256: string}>;
}

/**
 * Opens an Azure security-domain file the way the spec says, sharing no code with ours:
 * jose unwraps each share (RSA-OAEP-256, A256CBC-HS512) with the keys given, the GF(257)
 * Lagrange combine and the SP 800-108 block are written out here, and jose opens each blob.
 */
export async function decodeSecurityDomainIndependently(
  json: string,
  privateKeys: readonly KeyObject[],
): Promise<IndependentDomain> {
  const sd = JSON.parse(json) as {
    EncData: {data: Array<{compact_jwe: string; tag: string}>};
    SharedKeys: {enc_shares: Array<{enc_key: string}>; required: number};
  };
  const m = sd.SharedKeys.required;
  const points: Array<{x: number; v: number[]}> = [];
  for (const pk of privateKeys) {
    const key = await importJWK(
      pk.export({format: 'jwk'}) as Parameters<typeof importJWK>[0],
      'RSA-OAEP-256',
    );
    for (const entry of sd.SharedKeys.enc_shares) {
      let plain: Uint8Array;
      try {
        plain = (
          await compactDecrypt(entry.enc_key, key, {
            keyManagementAlgorithms: ['RSA-OAEP-256'],
            contentEncryptionAlgorithms: ['A256CBC-HS512'],
          })
        ).plaintext;
      } catch {
        continue;
      }
      const words = Array.from({length: plain.length / 2}, (_, j) =>
        Buffer.from(plain).readUInt16LE(2 * j),
      );
      points.push({x: (words[0] ?? 0) >> 9, v: words.map((w) => w & 0x1ff)});
    }
  }
  if (points.length < m) throw new Error(`only ${points.length} shares opened; ${m} needed`);
  const use = points.slice(0, m);
  const secret = Buffer.alloc(use[0]?.v.length ?? 0);
  for (let j = 0; j < secret.length; j++) {
    let s = 0;
    for (const [i, p] of use.entries()) {
      let l = 1;
      for (const [k, q] of use.entries())
        if (k !== i) l = (l * q.x * inv257(q.x - p.x + 257)) % 257;
      s = (s + (p.v[j] ?? 0) * l) % 257;
    }
    if (s > 255) throw new Error('the shares do not combine to a byte');
    secret[j] = s;
  }
  const blobs = (await openBlobs(secret, sd.EncData.data)).map(({header: _, ...b}) => b);
  return {required: m, secret, blobs};
}
