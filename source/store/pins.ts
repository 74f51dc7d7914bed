/**
 * Pinned domain keys. A report's signature proves something only against a key written where
 * an attacker cannot rewrite it: a native file's authenticated header, or this store's record
 * of the domain's first passing drill here (trust on first use, confirmed by a person; Azure
 * files have no room for a key).
 *
 * A record names what it pins: the key, and every identifier of the domain seen with that key —
 * its id (native), its EncData's SHA-256 (Azure: the domain itself, which a rotation keeps byte
 * for byte and a new download replaces), the SHA-256 of each file it was drilled from, and the
 * HSM's name. A domain is looked up by id, EncData or file, never by its holders' certificates:
 * two HSMs may share one set of wrapping keys, and a holder set names nobody's domain. A
 * domain found under another key is a different domain secret — a substitute file — and a
 * failure. The holder sets are kept to say, when a new domain is about to be pinned, that its
 * holders already wrap another domain here.
 */
import {createHash} from 'node:crypto';
import type {DomainPin} from './pins-schema.js';

export type {DomainPin} from './pins-schema.js';

/** What identifies a domain without its secret. */
export interface DomainIdentity {
  format: 'native' | 'azure';
  label: string;
  /** The HSM's name, where the file carries one (native). */
  name: string | null;
  /** SHA-256 of the file as read, where known. */
  fileSha256: string | null;
  /** SHA-256 over the holders' certificate fingerprints, sorted (see holderSetDigest). */
  holderSet: string;
  domainId: string | null;
  /** Azure: SHA-256 of the file's EncData (see ../domain/azure/reader.ts encDataDigest). */
  encDataSha256: string | null;
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
  encDataSha256?: string | null;
  reportKey?: string | null;
  holders: ReadonlyArray<{certFingerprint: string}>;
}): DomainIdentity {
  return {
    format: domain.format,
    label: domain.name ?? domain.id ?? domain.file,
    name: domain.name ?? null,
    fileSha256: domain.sha256 ?? null,
    holderSet: holderSetDigest(domain.holders.map((h) => h.certFingerprint)),
    domainId: domain.id ?? null,
    encDataSha256: domain.encDataSha256 ?? null,
    headerKey: domain.reportKey ?? null,
  };
}

/** How a record knows this domain: by id, EncData or file; undefined when it does not. */
export function knownBy(p: DomainPin, id: DomainIdentity): string | undefined {
  if (id.domainId !== null && p.domainIds.includes(id.domainId)) return 'the same domain id';
  if (id.encDataSha256 !== null && p.encDataSha256s.includes(id.encDataSha256))
    return 'the same EncData (the same Azure domain)';
  if (id.fileSha256 !== null && p.fileSha256s.includes(id.fileSha256)) return 'the same file';
  return undefined;
}

/** The records that name this domain by its id, its EncData or a file of it. */
export function pinsMatching(pins: readonly DomainPin[], id: DomainIdentity): DomainPin[] {
  return pins.filter((p) => knownBy(p, id) !== undefined);
}

/**
 * Records of *other* domains that look like this one to a person: the same holders'
 * certificates, or the same HSM name, under another key. Not an error (HSMs may share their
 * wrapping keys); said before a new domain is pinned, so a substitute is not pinned unawares.
 */
export function lookalikes(
  pins: readonly DomainPin[],
  id: DomainIdentity,
  key: string,
): Array<{pin: DomainPin; by: 'holders' | 'name'}> {
  const out: Array<{pin: DomainPin; by: 'holders' | 'name'}> = [];
  for (const p of pins) {
    if (p.reportKey === key || knownBy(p, id)) continue;
    if (p.holderSets.includes(id.holderSet)) out.push({pin: p, by: 'holders'});
    else if (id.name !== null && p.names.includes(id.name)) out.push({pin: p, by: 'name'});
  }
  return out;
}

/** The lookalikes of a domain with no record here, one sentence each (said before pinning). */
export function lookalikeNotes(
  pins: readonly DomainPin[],
  id: DomainIdentity,
  key: string,
): string[] {
  return lookalikes(pins, id, key).map(
    ({pin, by}) =>
      `${by === 'holders' ? "its holders' certificates also wrap" : 'its HSM name is also that of'} "${pin.label}", a different domain pinned here under another key (${pin.reportKey.slice(0, 12)}…, ${pinHistory(pin)}): if you meant that domain, this file is not it`,
  );
}

/** How a derived report key stands against the pins. */
export type PinCheck =
  | {ok: true; pinnedBy: 'header' | 'store' | 'first-use'; records: DomainPin[]}
  | {ok: false; expected: string; source: 'header' | 'store'; message: string};

const short = (key: string): string => `${key.slice(0, 12)}…`;

/**
 * Checks the key a reconstruction derived against the file's header and the store's records.
 * A mismatch names what disagrees. `records` are the store's records of this domain: empty
 * means no record here yet, and pinning it is a decision (pinnedBy 'first-use', or 'header'
 * for a native file whose header carries the key).
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
    return {
      ok: false,
      expected: other.reportKey,
      source: 'store',
      message: `this is not the domain on record: ${knownBy(other, id) ?? 'the same domain'} as "${other.label}" (pinned ${other.pinnedAt.slice(0, 10)} by ${other.pinnedBy}), but its report key is ${short(derivedKey)}, not ${short(other.reportKey)} — a substitute file`,
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
      names: add(existing.names, id.name),
      domainIds: add(existing.domainIds, id.domainId),
      encDataSha256s: add(existing.encDataSha256s, id.encDataSha256),
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
      names: add([], id.name),
      domainIds: add([], id.domainId),
      encDataSha256s: add([], id.encDataSha256),
      fileSha256s: add([], id.fileSha256),
      holderSets: [id.holderSet],
      pinnedAt: at,
      pinnedBy: by,
      source,
    },
  ];
}

/** "pinned at first use on 2026-05-01 by drill d-…": how and when a record came to be. */
export function pinHistory(p: DomainPin): string {
  const day = p.pinnedAt.slice(0, 10);
  const how =
    p.source === 'first-use'
      ? 'pinned at first use'
      : p.source === 'header'
        ? "recorded from its file's header at its first drill here"
        : 'recorded by a rotation';
  return `${how} on ${day} by ${p.pinnedBy}`;
}

/**
 * Before a rotation writes its new file: the new file is the same domain (the same id or
 * EncData, the same key), so no record may know it under another key; and its new holders'
 * certificates may already wrap other domains here, which is said (HSMs may share holders)
 * and changes nothing in their records.
 */
export function rotationPinCheck(
  next: DomainIdentity,
  key: string,
  pins: readonly DomainPin[],
): {ok: true; notes: string[]} | {ok: false; message: string} {
  const check = checkPin({...next, headerKey: null}, key, pins);
  if (!check.ok)
    return {
      ok: false,
      message: `the new file would not be the domain on record: ${check.message}; nothing was written`,
    };
  const notes = lookalikes(pins, next, key)
    .filter((l) => l.by === 'holders')
    .map(
      (l) =>
        `the new holders' certificates also wrap "${l.pin.label}" (another domain, ${pinHistory(l.pin)}); its record is left as it is — each domain is known by its own key and ${l.pin.format === 'azure' ? 'EncData' : 'id'}, never by its holders`,
    );
  return {ok: true, notes};
}
