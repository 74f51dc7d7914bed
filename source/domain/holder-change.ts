/**
 * Who a rotation keeps, adds and lets go — by public key where it is known, else by
 * certificate — and what must be destroyed afterwards. Until every copy of the old file and
 * every departed key is gone, the old file and any quorum of old keys still open the domain.
 *
 * One public key is one holder: a holder whose certificate was re-issued for the same key is
 * kept, not departed and added. An Azure file names its holders only by certificate, so a
 * departed Azure holder who did not present today is known only by certificate: their key
 * might be a new holder's under a new certificate, and the destruction list says so.
 */
import type {Holder} from './format.js';

export interface OldHolderKey {
  index: number;
  name?: string;
  certFingerprint: string;
  /** Known for native files, and for Azure holders whose key was presented. */
  spkiFingerprint?: string;
}

/**
 * The old file's holders by key: the public key the file lists (native), else the one the
 * holder presented today (`presentedSpki`, by holder index; Azure files list none).
 */
export function oldHolderKeys(
  holders: readonly Holder[],
  presentedSpki: (holderIndex: number) => string | undefined,
): OldHolderKey[] {
  return holders.map((h) => {
    const spki = h.spkiFingerprint ?? presentedSpki(h.index);
    return {
      index: h.index,
      ...(h.name ? {name: h.name} : {}),
      certFingerprint: h.certFingerprint,
      ...(spki ? {spkiFingerprint: spki} : {}),
    };
  });
}

export interface NewHolderKey {
  index: number;
  name?: string;
  certFingerprint: string;
  spkiFingerprint: string;
}

export interface HolderChange {
  kept: Array<{old: OldHolderKey; next: NewHolderKey; by: 'certificate' | 'public-key'}>;
  added: NewHolderKey[];
  departed: Array<{old: OldHolderKey; known: 'public-key' | 'certificate'}>;
}

export function holderChange(
  old: readonly OldHolderKey[],
  next: readonly NewHolderKey[],
): HolderChange {
  const kept: HolderChange['kept'] = [];
  const added: NewHolderKey[] = [];
  const matched = new Set<number>();
  for (const n of next) {
    const byCert = old.find((o) => o.certFingerprint === n.certFingerprint);
    const byKey = old.find((o) => o.spkiFingerprint === n.spkiFingerprint);
    const o = byCert ?? byKey;
    if (o && !matched.has(o.index)) {
      matched.add(o.index);
      kept.push({old: o, next: n, by: byCert ? 'certificate' : 'public-key'});
    } else added.push(n);
  }
  const departed = old
    .filter((o) => !matched.has(o.index))
    .map((o) => ({
      old: o,
      known: o.spkiFingerprint ? ('public-key' as const) : ('certificate' as const),
    }));
  return {kept, added, departed};
}

export interface Destruction {
  what: 'domain-file' | 'wrapping-key';
  /** One line: what, which, and why. */
  text: string;
  holder?: {index: number; name?: string};
  certFingerprint?: string;
  file?: string;
  sha256?: string;
}

const who = (h: {index: number; name?: string}): string =>
  h.name ? `holder ${h.index} (${h.name})` : `holder ${h.index}`;

/** Everything that must be destroyed once every new holder has proven their key. */
export function destructions(
  oldFile: {file: string; sha256?: string; required: number},
  change: HolderChange,
): Destruction[] {
  const m = oldFile.required;
  return [
    {
      what: 'domain-file',
      text: `every copy of the old security domain ${oldFile.file}${oldFile.sha256 ? ` (sha256 ${oldFile.sha256})` : ''}: with any ${m} of its old keys it still opens the domain`,
      file: oldFile.file,
      ...(oldFile.sha256 ? {sha256: oldFile.sha256} : {}),
    },
    ...change.departed.map(({old, known}) => ({
      what: 'wrapping-key' as const,
      text:
        known === 'public-key'
          ? `the wrapping key of departed ${who(old)} (certificate ${old.certFingerprint.slice(0, 16)}…): it opens a share of the old file`
          : `the wrapping key of departed ${who(old)} (certificate ${old.certFingerprint.slice(0, 16)}…): it opens a share of the old file — known by certificate only (it was not presented), so first make sure it is not a new holder's key under a new certificate`,
      holder: {index: old.index, ...(old.name ? {name: old.name} : {})},
      certFingerprint: old.certFingerprint,
    })),
  ];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * A new holder's name in a native file: the old name of a holder who is kept, else the
 * certificate's common name (keygen writes the holder's name there) when it is a plain name,
 * else `holder-N`.
 */
export function newHolderName(subject: string, index: number, kept?: string): string {
  if (kept) return kept;
  const cn = /(?:^|[,\n/]\s*)CN=([^,\n/]+)/.exec(subject)?.[1]?.trim();
  return cn && NAME.test(cn) ? cn : `holder-${index}`;
}
