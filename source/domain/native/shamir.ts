/**
 * The domain key's m-of-n split, with secrets.js-grempe. Its API works on hex strings, so the
 * secret passes through short-lived strings here; everything outside this file holds shares
 * and keys only as Buffers. `combine` never fails: callers must authenticate its result.
 *
 * Default import only: named imports pass under vitest and crash under plain node (the
 * package is CommonJS).
 */
import secrets from 'secrets.js-grempe';

/** Splits a secret into `total` shares, any `required` of which recombine it. */
export function splitSecret(secret: Buffer, total: number, required: number): Buffer[] {
  const shares = secrets.share(secret.toString('hex'), total, required);
  return shares.map((s) => Buffer.from(s, 'latin1'));
}

/** Combines shares (ASCII share strings as Buffers). The result is NOT checked here. */
export function combineShares(shares: Buffer[]): Buffer {
  const hex = secrets.combine(shares.map((s) => s.toString('latin1')));
  return Buffer.from(hex, 'hex');
}

/** The share's x coordinate, or undefined for bytes that are not a share. */
export function shareId(share: Buffer): number | undefined {
  try {
    return secrets.extractShareComponents(share.toString('latin1')).id;
  } catch {
    return undefined;
  }
}
