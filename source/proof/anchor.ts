/**
 * What a commitment on record counts under. A report or a native header says which key signed
 * it; that key counts only where it is pinned for this domain: a key the holder has on record
 * (--expect-key), this machine's store (the domain's pin from a passing drill or rotation), or
 * the native file's own header — the weakest, since a forger who rewrites the header writes
 * their own key in: the check says when nothing else confirms it.
 */
import type {OpenedDomain} from '../domain/open.js';
import type {DrillRecord} from '../store/schema.js';
import {checkPin, identityOf, type DomainPin} from '../store/pins.js';

export type Anchor = 'expect-key' | 'store' | 'file';

export interface PinContext {
  /** The domain's report key as the holder has it on record (base64). */
  expectKey?: string;
  pins: readonly DomainPin[];
  history: readonly DrillRecord[];
}

const short = (key: string): string => `${key.slice(0, 12)}…`;

export function anchorsFor(
  key: string,
  opened: OpenedDomain,
  ctx: PinContext,
): {ok: true; anchors: Anchor[]} | {ok: false; message: string} {
  const anchors: Anchor[] = [];
  if (ctx.expectKey !== undefined) {
    if (ctx.expectKey !== key)
      return {
        ok: false,
        message: `it is signed with the report key ${short(key)}, not the key on record ${short(ctx.expectKey)}`,
      };
    anchors.push('expect-key');
  }
  const desc = opened.domain.describe();
  const pin = checkPin(identityOf({...desc, sha256: opened.sha256 ?? null}), key, ctx.pins);
  if (!pin.ok) return {ok: false, message: pin.message};
  if (pin.records.length > 0) anchors.push('store');
  if (desc.reportKey === key) anchors.push('file');
  return {ok: true, anchors};
}
