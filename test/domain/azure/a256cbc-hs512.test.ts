import {randomBytes} from 'node:crypto';
import {CompactEncrypt, compactDecrypt} from 'jose';
import {describe, expect, it} from 'vitest';
import {decrypt, encrypt, verifyTag} from '../../../source/domain/azure/a256cbc-hs512.js';
import {
  b64uDecode,
  dirHeader,
  parseCompactJwe,
  sealCompact,
} from '../../../source/domain/azure/compact-jwe.js';
import {replaceSegment, segment} from './kit.js';

const key = randomBytes(64);
const aad = Buffer.from('eyJhbGciOiJkaXIifQ', 'ascii');
const options = {keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256CBC-HS512']};

describe('A256CBC-HS512', () => {
  it('round-trips every length around the block size (PKCS#7, full padding block included)', () => {
    for (const n of [0, 1, 15, 16, 17, 31, 32, 2048]) {
      const plaintext = randomBytes(n);
      const sealed = encrypt(key, aad, plaintext);
      expect(sealed.tag.length).toBe(32);
      expect(sealed.ciphertext.length).toBe((Math.floor(n / 16) + 1) * 16);
      const opened = decrypt(key, aad, sealed.iv, sealed.ciphertext, sealed.tag);
      expect(opened.ok && opened.plaintext.equals(plaintext)).toBe(true);
    }
  });

  it('interoperates with jose both ways (RFC 7518 §5.2.5: MAC key first, AAD = header segment)', async () => {
    const plaintext = randomBytes(777);
    const ours = sealCompact(dirHeader('hsm_backup'), key, plaintext);
    const byJose = await compactDecrypt(ours, new Uint8Array(key), options);
    expect(Buffer.from(byJose.plaintext).equals(plaintext)).toBe(true);
    expect(byJose.protectedHeader).toEqual({alg: 'dir', enc: 'A256CBC-HS512', kid: 'hsm_backup'});

    const theirs = await new CompactEncrypt(plaintext)
      .setProtectedHeader({alg: 'dir', enc: 'A256CBC-HS512', kid: 'x'})
      .encrypt(new Uint8Array(key));
    const parsed = parseCompactJwe(theirs);
    if (!parsed.ok) throw new Error(parsed.problem);
    const {jwe} = parsed;
    const opened = decrypt(key, jwe.aad, jwe.iv, jwe.ciphertext, jwe.tag);
    expect(opened.ok && opened.plaintext.equals(plaintext)).toBe(true);
  });

  it('uses the header segment exactly as written: a re-serialised header does not authenticate', () => {
    const text = sealCompact(dirHeader('t'), key, Buffer.from('secret state'));
    const respaced = Buffer.from('{"alg": "dir", "enc": "A256CBC-HS512", "kid": "t"}').toString(
      'base64url',
    );
    const parsed = parseCompactJwe(replaceSegment(text, 0, respaced));
    if (!parsed.ok) throw new Error(parsed.problem);
    const {jwe} = parsed;
    expect(decrypt(key, jwe.aad, jwe.iv, jwe.ciphertext, jwe.tag)).toEqual({
      ok: false,
      reason: 'mac',
    });
  });

  it('requires a tag of exactly 32 bytes before any MAC work, and refuses a changed byte', () => {
    const sealed = encrypt(key, aad, Buffer.from('x'.repeat(40)));
    for (const n of [0, 16, 31]) {
      expect(verifyTag(key, aad, sealed.iv, sealed.ciphertext, sealed.tag.subarray(0, n))).toBe(
        'tag-length',
      );
    }
    const long = Buffer.concat([sealed.tag, Buffer.from([0])]);
    expect(verifyTag(key, aad, sealed.iv, sealed.ciphertext, long)).toBe('tag-length');
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[3] = (flipped[3] ?? 0) ^ 1;
    expect(decrypt(key, aad, sealed.iv, flipped, sealed.tag)).toEqual({ok: false, reason: 'mac'});
    expect(decrypt(randomBytes(64), aad, sealed.iv, sealed.ciphertext, sealed.tag)).toEqual({
      ok: false,
      reason: 'mac',
    });
  });

  it('refuses keys that are not 64 bytes and IVs that are not 16', () => {
    const sealed = encrypt(key, aad, Buffer.from('abc'));
    expect(verifyTag(key.subarray(0, 32), aad, sealed.iv, sealed.ciphertext, sealed.tag)).toBe(
      'key-length',
    );
    expect(verifyTag(key, aad, sealed.iv.subarray(0, 12), sealed.ciphertext, sealed.tag)).toBe(
      'iv-length',
    );
    expect(() => encrypt(key.subarray(0, 48), aad, Buffer.from('abc'))).toThrow(RangeError);
  });
});

describe('compact JWE parsing', () => {
  const good = sealCompact(dirHeader('hsm_backup'), key, Buffer.from('data'));

  it('takes padded and unpadded base64url, and keeps the header segment as the AAD', () => {
    const parsed = parseCompactJwe(good);
    expect(parsed.ok && parsed.jwe.aad.toString('ascii')).toBe(good.split('.')[0]);
    const padded = replaceSegment(good, 4, `${good.split('.')[4]}=`);
    const reparsed = parseCompactJwe(padded);
    expect(reparsed.ok && reparsed.jwe.tag.equals(segment(good, 4))).toBe(true);
    expect(b64uDecode('ab+/')?.equals(Buffer.from('ab+/', 'base64'))).toBe(true);
  });

  it('says what is wrong: segment count, base64, enc, tag and IV lengths', () => {
    const problem = (text: string) => {
      const r = parseCompactJwe(text);
      return r.ok ? 'ok' : r.problem;
    };
    expect(problem(good.split('.').slice(0, 4).join('.'))).toMatch(
      /4 segments; a compact JWE has 5/,
    );
    expect(problem(replaceSegment(good, 3, 'ab$c'))).toMatch(/ciphertext is not base64url/);
    const gcm = Buffer.from('{"alg":"dir","enc":"A128GCM"}').toString('base64url');
    expect(problem(replaceSegment(good, 0, gcm))).toMatch(/"A128GCM"; only A256CBC-HS512/);
    expect(problem(replaceSegment(good, 4, segment(good, 4).subarray(0, 16)))).toMatch(
      /16-byte authentication tag; A256CBC-HS512 needs exactly 32/,
    );
    expect(problem(replaceSegment(good, 2, Buffer.alloc(12)))).toMatch(/12-byte IV/);
    expect(problem(replaceSegment(good, 0, 'bm90IGpzb24'))).toMatch(/header is not JSON/);
  });
});
