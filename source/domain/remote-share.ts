/**
 * What a holder at another site seals for the ceremony, by format, and how the ceremony turns
 * it back into an opened share with the checks a key presented at the machine gets.
 *
 * - native: the opened share itself. Its x coordinate must be the holder's; the key check and
 *   the vouchers at reconstruction then judge it like any other share (a wrong share is named
 *   only when an authenticated reconstruction excludes it).
 * - azure: the content key (CEK) of the holder's share JWE in the file, which the holder's
 *   wrapping key unwraps. The ceremony opens the file's own share with it, so A256CBC-HS512's
 *   tag proves at arrival that what counts is exactly that share of this file — nothing the
 *   sender chose. (The file lists no public keys, so this is also what binds a contribution to
 *   the file when the holder has no certificate.)
 */
import {checkError, fail, ok, type Result} from '../errors.js';
import {openAzureEntryWithCek, unwrapAzureCek} from './azure/match.js';
import {holderLabel, type Holder, type KeyMatch, type OpenedShare} from './format.js';
import type {LoadedKey} from './key-file.js';
import {shareId} from './native/shamir.js';
import type {OpenedDomain} from './open.js';

export function holderOf(opened: OpenedDomain, index: number): Holder | undefined {
  return opened.domain.describe().holders.find((h) => h.index === index);
}

/**
 * The bytes to seal, from the share the holder's key opened (presentKeyFile's checks done).
 * The caller wipes what it gets; `share.secret` is left alone.
 */
export function payloadToSeal(
  opened: OpenedDomain,
  share: OpenedShare,
  key: LoadedKey,
): Result<Buffer> {
  if (opened.format === 'native') return ok(Buffer.from(share.secret));
  const entry = opened.domain.shares[share.holder.index - 1];
  const cek = entry ? unwrapAzureCek(entry, key) : undefined;
  if (!cek)
    return fail(
      checkError(
        'share-unreadable',
        `${key.file}: cannot unwrap the content key of ${holderLabel(share.holder)}'s share`,
        key.file,
      ),
    );
  return ok(cek);
}

/**
 * The holder's share from an opened contribution's payload (not wiped here). `match` says how
 * the contribution was bound to the holder (see ../remote/contribution.ts).
 */
export function shareFromPayload(
  opened: OpenedDomain,
  holderIndex: number,
  payload: Buffer,
  file: string,
  match: Omit<KeyMatch, 'holder'>,
): Result<OpenedShare> {
  const holder = holderOf(opened, holderIndex);
  if (!holder)
    return fail(
      checkError(
        'not-a-holder',
        `${file}: names holder ${holderIndex}, who is not one of this domain's holders`,
        file,
      ),
    );
  const notTheShare = (why: string) =>
    fail(
      checkError(
        'not-the-share',
        `${file}: does not carry ${holderLabel(holder)}'s share of this domain file (${why})`,
        file,
      ),
    );
  if (opened.format === 'native') {
    const id = shareId(payload);
    if (id !== holderIndex)
      return notTheShare(id === undefined ? 'it is not a share' : `it is share ${id}`);
    return ok({holder, file, match: {holder, ...match}, secret: Buffer.from(payload)});
  }
  const entry = opened.domain.shares[holderIndex - 1];
  if (!entry) return notTheShare('the file has no such share');
  const r = openAzureEntryWithCek(opened.domain, entry, payload, `content key from ${file}`);
  if (!r.ok) return notTheShare(r.error.message);
  return ok({holder, file, match: {holder, ...match}, secret: r.secret});
}
