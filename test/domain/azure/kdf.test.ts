import {createHmac} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {deriveBlobKey, sp800108HmacSha512} from '../../../source/domain/azure/kdf.js';

describe('SP 800-108 counter-mode KDF with HMAC-SHA512', () => {
  it("reproduces azure-cli's self-test constant (key 32×0x41, label, context, 256 bits)", () => {
    const out = sp800108HmacSha512(Buffer.alloc(32, 0x41), 'label', 'context', 256);
    expect(out.toString('hex')).toBe(
      'f0ca51f6308791404bf68b56024ee7c64d6c737716f81d47e1e68b5c4e399575',
    );
  });

  it('feeds the PRF exactly the input the spec spells out for base_enclave_backup', () => {
    const secret = Buffer.from(
      '47ade6a160d6581885bd64e1d036716ce01f87dcca3a81165d098baf49e4b4e2',
      'hex',
    );
    const input = Buffer.from(
      '00000001' + Buffer.from('base_enclave_backup').toString('hex') + '00' + '00000200',
      'hex',
    );
    const expected = createHmac('sha512', secret).update(input).digest();
    expect(deriveBlobKey(secret, 'base_enclave_backup').equals(expected)).toBe(true);
    // The first bytes the spec's worked example gives for this tag.
    expect(expected.subarray(0, 8).toString('hex')).toBe('cf9d4b858a0923d2');
  });

  it('derives the 64-byte K_tag of the real sdtest domain (MAC key first, AES key second)', () => {
    const secret = Buffer.from(
      '47ade6a160d6581885bd64e1d036716ce01f87dcca3a81165d098baf49e4b4e2',
      'hex',
    );
    const key = deriveBlobKey(secret, 'hsm_backup');
    expect(key.length).toBe(64);
    expect(key.toString('hex')).toBe(
      '70240e70c3e2ec8672f89c10085275a3ff711b1a39cfe0afa786b0f424ed0d8a' +
        '01f1d714e5a1853328d5d159adb60e1bd7f7a707b2318a5eccdc3eb885dc8ffc',
    );
  });

  it('refuses outputs longer than one block, where azure-cli is wrong', () => {
    expect(() => sp800108HmacSha512(Buffer.alloc(32), 'x', '', 1024)).toThrow(RangeError);
    expect(() => sp800108HmacSha512(Buffer.alloc(32), 'x', '', 100)).toThrow(RangeError);
    expect(() => sp800108HmacSha512(Buffer.alloc(32), 'x', '', 0)).toThrow(RangeError);
  });
});
