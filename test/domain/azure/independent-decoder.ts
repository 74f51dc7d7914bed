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
  const blobs: IndependentResult['blobs'] = [];
  for (const datum of payload.EncData.data) {
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
  return {
    x5t256: payload.WrappedKey.x5t_256,
    masterKeyLength: master.length,
    wrappedHeader: wrapped.protectedHeader as Record<string, unknown>,
    blobs,
  };
}
