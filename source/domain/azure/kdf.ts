/**
 * NIST SP 800-108 counter-mode KDF with HMAC-SHA512, as the Azure security domain uses it to
 * derive one key per data blob: input = [1]be32 ‖ label ‖ 0x00 ‖ context ‖ [L]be32.
 *
 * Only one PRF block is ever needed (L ≤ 512). azure-cli's own implementation is wrong for
 * longer outputs, so we refuse them instead of guessing which wrong answer to match.
 */
import {createHmac} from 'node:crypto';
import {wipe} from '../../secret.js';

export const BLOB_KEY_BITS = 512;

export function sp800108HmacSha512(
  key: Buffer,
  label: Buffer | string,
  context: Buffer | string = Buffer.alloc(0),
  outputBits = BLOB_KEY_BITS,
): Buffer {
  if (!Number.isInteger(outputBits) || outputBits <= 0 || outputBits % 8 !== 0) {
    throw new RangeError('SP 800-108 output must be a positive whole number of bytes');
  }
  if (outputBits > 512) {
    throw new RangeError('SP 800-108 with HMAC-SHA512 is implemented for one block (≤ 512 bits)');
  }
  const counter = Buffer.from([0, 0, 0, 1]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(outputBits);
  const block = createHmac('sha512', key)
    .update(counter)
    .update(typeof label === 'string' ? Buffer.from(label, 'utf8') : label)
    .update(Buffer.from([0]))
    .update(typeof context === 'string' ? Buffer.from(context, 'utf8') : context)
    .update(length)
    .digest();
  if (outputBits === 512) return block;
  const out = Buffer.from(block.subarray(0, outputBits / 8));
  wipe(block);
  return out;
}

/** K_tag: the 64-byte A256CBC-HS512 key of the data blob named `tag`. */
export function deriveBlobKey(secret: Buffer, tag: string): Buffer {
  return sp800108HmacSha512(secret, tag);
}
