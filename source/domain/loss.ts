/**
 * What a loss calls for, by the domain document's rules (`sd-drill assess`). Pure: the command
 * reads the file and the store and prints; this decides.
 *
 * - Nothing lost: no action.
 * - Fewer than m sticks lost, the file safe, and m holders still able to come: **rotate now**.
 *   Whoever has the sticks still needs the file and more keys; a rotation wraps the same domain
 *   to new keys, and once every copy of the old file is destroyed the lost sticks open nothing.
 * - The file lost or exposed, or m or more sticks lost: **compromised**. The document counts a
 *   lost file as a compromise ("A lost security domain is considered compromised"): it still
 *   needs m keys, but you no longer control who tries. A rotation cannot help — the copy that
 *   got away still opens with the old keys — so: a new HSM with a new security domain, every
 *   key's data moved to it, the old HSM purged.
 * - Fewer than m holders left (whatever else): the domain can no longer be opened at all, so it
 *   can be neither rotated nor restored — crypto lockout the day the HSM fails. While the HSM
 *   still runs, the only way out is the same move to a new HSM.
 */
import {basename, dirname, join} from 'node:path';
import {custodianKey, normaliseFingerprint} from '../store/schema.js';
import type {Holder} from './format.js';

export type LossVerdict = 'no-loss' | 'rotate' | 'compromised';

export interface LossRegistryEntry {
  fingerprint: string;
  custodian: string;
  role: string;
  location: string | null;
}

/** A lost stick, and how the operator's word for it was matched to a holder. */
export interface LostHolder {
  index: number;
  name?: string;
  certFingerprint: string;
  /** The registered custodian, when the registry knows the key. */
  custodian?: string;
  location?: string;
  /** What the operator typed. */
  given: string;
  identifiedBy: 'number' | 'name' | 'custodian' | 'fingerprint';
}

export interface LossFile {
  file: string;
  format: 'native' | 'azure';
  name?: string;
  sha256?: string;
  generation?: number;
  required: number;
  total: number;
  holders: readonly Holder[];
}

export interface Assessment {
  verdict: LossVerdict;
  lost: LostHolder[];
  fileExposed: boolean;
  /** Holders whose sticks are not reported lost. */
  remaining: number[];
  /** Fewer than m holders remain: the domain can no longer be opened. */
  lockout: boolean;
  /** Why the domain counts as compromised (empty unless it does). */
  because: Array<'file' | 'quorum-of-keys' | 'below-quorum'>;
  /** One paragraph: why this is the answer. */
  why: string;
  /** What to do, in order; commands in full. */
  next: string[];
  /** `rotate` only: the rotation to run, with placeholders for the key and certificate files. */
  rotateCommand?: string;
}

export const HOW_TO_NAME_A_HOLDER =
  'name a lost stick by its holder: the number the domain gives them (1 to N), their name in the file or the holder registry, or their certificate SHA-256 fingerprint (in full, or its first 8 or more hex digits)';

const label = (h: {index: number; name?: string}): string =>
  h.name ? `holder ${h.index} (${h.name})` : `holder ${h.index}`;

export type Identified = {ok: true; holder: LostHolder} | {ok: false; message: string};

/**
 * The holder `given` names: a number 1..n, a name (the file's holder name, or a custodian in
 * the registry) compared ignoring case and spaces, or a certificate fingerprint (colons
 * allowed) in full or by a prefix of 8 or more hex digits. Two holders answering to one name
 * is refused: guessing which stick is lost would be worse than asking.
 */
export function identifyHolder(
  given: string,
  domain: LossFile,
  registry: readonly LossRegistryEntry[],
): Identified {
  const text = given.trim();
  const list = domain.holders.map(label).join(', ');
  const registered = (h: Holder) =>
    registry.find((r) => r.fingerprint === normaliseFingerprint(h.certFingerprint));
  const found = (h: Holder, by: LostHolder['identifiedBy']): Identified => {
    const r = registered(h);
    return {
      ok: true,
      holder: {
        index: h.index,
        ...(h.name ? {name: h.name} : {}),
        certFingerprint: h.certFingerprint,
        ...(r ? {custodian: r.custodian} : {}),
        ...(r?.location ? {location: r.location} : {}),
        given: text,
        identifiedBy: by,
      },
    };
  };
  const how = HOW_TO_NAME_A_HOLDER.replace('1 to N', `1 to ${domain.total}`);
  if (text === '') return {ok: false, message: `--lost "": ${how}`};
  if (/^\d{1,2}$/.test(text)) {
    const h = domain.holders.find((x) => x.index === Number(text));
    return h
      ? found(h, 'number')
      : {
          ok: false,
          message: `--lost ${text}: ${domain.file} has holders 1 to ${domain.total} (${list})`,
        };
  }
  const hex = normaliseFingerprint(text);
  if (/^[0-9a-f]{8,64}$/.test(hex)) {
    const hits = domain.holders.filter((h) => h.certFingerprint.toLowerCase().startsWith(hex));
    if (hits.length === 1 && hits[0]) return found(hits[0], 'fingerprint');
    if (hits.length > 1)
      return {
        ok: false,
        message: `--lost ${text}: the certificates of ${hits.map(label).join(' and ')} all begin so; give more of the fingerprint`,
      };
  }
  const key = custodianKey(text);
  const byName = domain.holders.filter((h) => h.name && custodianKey(h.name) === key);
  const byCustodian = domain.holders.filter((h) => {
    const r = registered(h);
    return r !== undefined && custodianKey(r.custodian) === key;
  });
  const all = [...new Set([...byName, ...byCustodian])];
  if (all.length === 1 && all[0]) return found(all[0], byName.length === 1 ? 'name' : 'custodian');
  if (all.length > 1)
    return {
      ok: false,
      message: `--lost ${text}: names ${all.map(label).join(' and ')} (one custodian may keep several keys); name each lost stick by its holder number or fingerprint`,
    };
  const what = /^[0-9a-f]{8,64}$/.test(hex)
    ? 'no certificate of it has this fingerprint and no holder is called that'
    : 'no holder of it is called that, in the file or the holder registry';
  return {
    ok: false,
    message: `--lost ${text}: ${domain.file}: ${what} (${list}); ${how}`,
  };
}

/** A word for the shell: quoted unless plainly safe. */
export const shellWord = (s: string): string =>
  /^[\w./:@+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;

const placeholder = (h: {index: number; name?: string}, ext: string): string =>
  `<${h.name ?? `holder-${h.index}`}.${ext}>`;

/** Where a rotation's new file goes: beside the old one, named for what it is. */
export function rotatedFileName(domain: LossFile): string {
  const stem = basename(domain.file).replace(/\.json$/i, '');
  const suffix = domain.format === 'native' ? `-gen${(domain.generation ?? 1) + 1}` : '-rotated';
  return join(dirname(domain.file), `${stem}${suffix}.json`);
}

function rotateCommand(domain: LossFile, lost: readonly LostHolder[], remaining: Holder[]): string {
  const presenters = remaining.slice(0, domain.required);
  const newCerts = lost.map((_, i) => `--cert <new-holder-${i + 1}.cer>`);
  return [
    `sd-drill rotate --sd ${shellWord(domain.file)}`,
    ...presenters.map((h) => `--key ${placeholder(h, 'key')}`),
    '--passphrase-file <their-passphrases.txt>',
    ...remaining.map((h) => `--cert ${placeholder(h, 'cer')}`),
    ...newCerts,
    `--quorum ${domain.required}`,
    `--out ${shellWord(rotatedFileName(domain))}`,
  ].join(' ');
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function assessLoss(
  domain: LossFile,
  lost: readonly LostHolder[],
  fileExposed: boolean,
): Assessment {
  const m = domain.required;
  const n = domain.total;
  const k = lost.length;
  const gone = new Set(lost.map((h) => h.index));
  const remainingHolders = domain.holders.filter((h) => !gone.has(h.index));
  const r = remainingHolders.length;
  const lockout = r < m;
  const because: Assessment['because'] = [
    ...(fileExposed ? (['file'] as const) : []),
    ...(k >= m ? (['quorum-of-keys'] as const) : []),
    ...(lockout && k < m ? (['below-quorum'] as const) : []),
  ];
  const verdict: LossVerdict = because.length > 0 ? 'compromised' : k > 0 ? 'rotate' : 'no-loss';
  const base = `${basename(domain.file)} opens with any ${m} of its ${n} keys: the file alone opens nothing, and keys alone open nothing without a copy of the file.`;
  const lostText = k === 0 ? '' : `${plural(k, 'stick')} lost (${lost.map(label).join(', ')})`;
  const lockoutText = `Only ${plural(r, 'holder')} ${r === 1 ? 'is' : 'are'} left, fewer than the quorum of ${m}: nobody can open this domain any more, so it can be neither rotated nor restored — if the HSM fails now, its keys are gone for good (crypto lockout). While the HSM still runs, move to a new one.`;
  let why: string;
  const next: string[] = [];
  let rotate: string | undefined;
  if (verdict === 'no-loss') {
    why = `${base} Nothing is reported lost, so the quorum stands and nothing needs to change. Run assess again, naming each lost stick, the moment one goes missing: the answer depends on how many.`;
    next.push('No action. Keep the custody log current: sd-drill custody add for every hand-off.');
  } else if (verdict === 'rotate') {
    rotate = rotateCommand(domain, lost, remainingHolders);
    why = `${base} ${lostText[0]?.toUpperCase()}${lostText.slice(1)}: fewer than the quorum of ${m}, and the file is safe, so whoever has ${k === 1 ? 'it' : 'them'} still needs a copy of the file and ${plural(m - k, 'more key')}. Rotate now: ${plural(r, 'remaining holder')} can open the domain and wrap the same domain to new keys; once every copy of the old file is destroyed, the lost ${k === 1 ? 'stick opens' : 'sticks open'} nothing. The HSM and its keys stay as they are. The domain document counts a lost stick as a reason to review the quorum at once, and a lost file — which this is not — as a compromise.`;
    next.push(
      `Rotate (replace each <…> with the file on that holder's stick; any ${m} of the remaining holders present their keys): ${rotate}`,
      `Or the same as a ceremony, with people at the machine: sd-drill drill --mode rotation --sd ${shellWord(domain.file)}`,
      `Then every new holder proves their key: sd-drill verify --all --sd ${shellWord(rotatedFileName(domain))} --key … (one per new holder)`,
      `Then destroy every copy of ${basename(domain.file)}: until then, the lost ${k === 1 ? 'stick' : 'sticks'} and ${plural(m - k, 'more old key')} open it. Record each destruction: sd-drill custody add --from <custodian> --to destroyed --note '<what>'`,
    );
  } else {
    const parts: string[] = [];
    if (fileExposed)
      parts.push(
        `The file was lost or exposed. It still needs ${m} keys, but you no longer control who tries: any ${m} keys obtained later — a stolen stick, a holder coerced or careless — open it, and with it an attacker can "create their own managed HSM instance" and decrypt the data protected by its keys. The domain document counts it so: "A lost security domain is considered compromised."`,
      );
    if (k >= m)
      parts.push(
        `${lostText[0]?.toUpperCase()}${lostText.slice(1)}: that reaches the quorum of ${m}; with any copy of the file — and every holder may keep one — they open the domain.`,
      );
    if (lockout) parts.push(lockoutText);
    why = `${base} ${parts.join(' ')} A rotation cannot answer this: it wraps the same domain again, and ${fileExposed ? 'the copy that got away still opens with the old keys' : 'it needs a quorum of the old keys to open the domain first'}. The domain document's answer: decrypt what the current HSM protects with its current keys, provision a new HSM with a new security domain (at its new URL), move the data there under new keys, and purge the old HSM.`;
    next.push(
      'Follow the compromise runbook (docs/compromise-runbook.md in sd-drill): provision a new HSM, download its new security domain to new wrapping keys, create new keys there, re-protect every key’s data under them and check it, re-point every application to the new HSM’s URL, then purge the old HSM and destroy the old file and keys.',
      domain.format === 'native'
        ? `Rehearse the move on the simulated HSM: sd-drill drill --mode compromise --sd ${shellWord(domain.file)}${lost.map((h) => ` --lost ${h.index}`).join('')}; it reports each phase's time against your recovery time objective.`
        : "Rehearse the move on the simulated HSM (an Azure file's keys live in Azure, so the rehearsal runs on a practice domain): sd-drill init --out practice --holders N --quorum M, then sd-drill drill --mode compromise --sd practice/security-domain.json; it reports each phase's time against your recovery time objective.",
      ...(k > 0
        ? [
            `Never wrap the new security domain to a lost key (${lost.map(label).join(', ')}): each replacement holder makes a new key pair on a new stick (sd-drill keygen).`,
          ]
        : []),
      'Until the old HSM is purged, its keys keep working for whoever restores the old domain into an HSM of their own: keep the old HSM running only until every key’s data is moved, and no longer.',
    );
  }
  return {
    verdict,
    lost: [...lost],
    fileExposed,
    remaining: remainingHolders.map((h) => h.index),
    lockout,
    because,
    why,
    next,
    ...(rotate ? {rotateCommand: rotate} : {}),
  };
}
