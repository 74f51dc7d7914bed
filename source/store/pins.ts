/**
 * Pinned domain keys. A report's signature proves something only against a key written where
 * an attacker cannot rewrite it: a native file's authenticated header, or this store's record
 * of the domain's first passing drill (trust on first use; Azure files have no room for a
 * key). A domain is known here by every name it has shown: its id (native), the SHA-256 of
 * each file it was drilled from, and the SHA-256 of each set of holders' certificates that
 * wrapped it. A drill or report whose domain matches a record by any of them must carry that
 * record's key; another key is a different domain secret — a substitute file, or another
 * domain that reuses these wrapping keys — and a failure, not a notice.
 */
import {createHash} from 'node:crypto';
import type {DomainPin} from './pins-schema.js';

export type {DomainPin} from './pins-schema.js';

/** What identifies a domain without its secret. */
export interface DomainIdentity {
  format: 'native' | 'azure';
  label: string;
  /** SHA-256 of the file as read, where known. */
  fileSha256: string | null;
  /** SHA-256 over the holders' certificate fingerprints, sorted (see holderSetDigest). */
  holderSet: string;
  domainId: string | null;
  /** Native version 2: the key pinned in the file's authenticated header. */
  headerKey: string | null;
}

/** One digest for a set of holders, whatever order the file lists them in. */
export function holderSetDigest(certFingerprints: readonly string[]): string {
  const sorted = certFingerprints.map((f) => f.toLowerCase()).sort();
  return createHash('sha256').update(sorted.join(',')).digest('hex');
}

export function identityOf(domain: {
  format: 'native' | 'azure';
  file: string;
  name?: string | null;
  id?: string | null;
  sha256?: string | null;
  reportKey?: string | null;
  holders: ReadonlyArray<{certFingerprint: string}>;
}): DomainIdentity {
  return {
    format: domain.format,
    label: domain.name ?? domain.id ?? domain.file,
    fileSha256: domain.sha256 ?? null,
    holderSet: holderSetDigest(domain.holders.map((h) => h.certFingerprint)),
    domainId: domain.id ?? null,
    headerKey: domain.reportKey ?? null,
  };
}

/** The records that name this domain by any of its identifiers. */
export function pinsMatching(pins: readonly DomainPin[], id: DomainIdentity): DomainPin[] {
  return pins.filter(
    (p) =>
      (id.domainId !== null && p.domainIds.includes(id.domainId)) ||
      (id.fileSha256 !== null && p.fileSha256s.includes(id.fileSha256)) ||
      p.holderSets.includes(id.holderSet),
  );
}

/** How a derived report key stands against the pins. */
export type PinCheck =
  | {ok: true; pinnedBy: 'header' | 'store' | 'first-use'; records: DomainPin[]}
  | {ok: false; expected: string; source: 'header' | 'store'; message: string};

const short = (key: string): string => `${key.slice(0, 12)}…`;

/**
 * Checks the key a reconstruction derived against the file's header and the store's records.
 * A mismatch names what disagrees; with no pin anywhere the answer is first use.
 */
export function checkPin(
  id: DomainIdentity,
  derivedKey: string,
  pins: readonly DomainPin[],
): PinCheck {
  if (id.headerKey !== null && id.headerKey !== derivedKey) {
    return {
      ok: false,
      expected: id.headerKey,
      source: 'header',
      message: `the domain's report key ${short(derivedKey)} is not the key ${short(id.headerKey)} pinned in the file's header: the file was not made by a genuine sd-drill init or rotation of this domain`,
    };
  }
  const records = pinsMatching(pins, id);
  const other = records.find((p) => p.reportKey !== derivedKey);
  if (other) {
    const how =
      id.domainId !== null && other.domainIds.includes(id.domainId)
        ? `the same domain id`
        : id.fileSha256 !== null && other.fileSha256s.includes(id.fileSha256)
          ? `the same file`
          : `the same holders' certificates`;
    return {
      ok: false,
      expected: other.reportKey,
      source: 'store',
      message: `this is not the domain on record: ${how} as "${other.label}" (pinned ${other.pinnedAt.slice(0, 10)} by ${other.pinnedBy}), but its report key is ${short(derivedKey)}, not ${short(other.reportKey)} — a substitute file, or another domain that reuses these wrapping keys`,
    };
  }
  if (id.headerKey !== null) return {ok: true, pinnedBy: 'header', records};
  return {ok: true, pinnedBy: records.length > 0 ? 'store' : 'first-use', records};
}

/**
 * The pins after a passing drill (or a rotation) of `id` with `key`: the record with that key
 * learns the domain's identifiers, or a new record is made. Never changes another key's record.
 */
export function withPin(
  pins: readonly DomainPin[],
  id: DomainIdentity,
  key: string,
  at: string,
  by: string,
  source: DomainPin['source'],
): DomainPin[] {
  const add = (list: readonly string[], v: string | null): string[] =>
    v === null || list.includes(v) ? [...list] : [...list, v];
  const existing = pins.find((p) => p.reportKey === key);
  if (existing) {
    const merged: DomainPin = {
      ...existing,
      domainIds: add(existing.domainIds, id.domainId),
      fileSha256s: add(existing.fileSha256s, id.fileSha256),
      holderSets: add(existing.holderSets, id.holderSet),
    };
    return pins.map((p) => (p === existing ? merged : p));
  }
  return [
    ...pins,
    {
      reportKey: key,
      label: id.label,
      format: id.format,
      domainIds: add([], id.domainId),
      fileSha256s: add([], id.fileSha256),
      holderSets: [id.holderSet],
      pinnedAt: at,
      pinnedBy: by,
      source,
    },
  ];
}
