/** `sd-drill custody add|list`: the custody log of wrapping-key hand-offs. */
import {unwrap, usageError} from '../errors.js';
import {normaliseFingerprint, sameCustodian} from '../store/schema.js';
import {openStore} from '../store/store.js';
import {reportStoreWarnings} from './history.js';
import {out, printJson, warn} from './io.js';

/** A date from the command line as ISO 8601 (UTC); now when not given. */
export function parseDateOption(value: string | undefined, option: string): string {
  if (value === undefined) return new Date().toISOString();
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim()) || Number.isNaN(at))
    throw usageError(
      'bad-date',
      `${option} ${JSON.stringify(value)}: give a date as YYYY-MM-DD or an ISO 8601 time`,
    );
  return new Date(at).toISOString();
}

/** A SHA-256 fingerprint from the command line (hex, colons allowed). */
export function parseFingerprintOption(value: string): string {
  const fp = normaliseFingerprint(value);
  if (!/^[0-9a-f]{64}$/.test(fp))
    throw usageError(
      'bad-fingerprint',
      `--fingerprint ${JSON.stringify(value)}: give the key's SHA-256 certificate fingerprint (64 hex digits, as sd-drill media shows it)`,
    );
  return fp;
}

export interface AddOptions {
  from: string;
  to: string;
  fingerprint?: string;
  note?: string;
  date?: string;
}

function nonEmpty(value: string, option: string): string {
  if (value.trim() === '') throw usageError('empty', `${option}: must not be empty`);
  return value.trim();
}

function add(options: AddOptions): number {
  const entry = {
    date: parseDateOption(options.date, '--date'),
    from: nonEmpty(options.from, '--from'),
    to: nonEmpty(options.to, '--to'),
    fingerprint: options.fingerprint ? parseFingerprintOption(options.fingerprint) : null,
    note: options.note?.trim() ? options.note.trim() : null,
  };
  const store = openStore();
  const added = unwrap(store.addCustody(entry));
  const registered = added.fingerprint
    ? store.registry().find((r) => r.fingerprint === added.fingerprint)
    : undefined;
  reportStoreWarnings(store);
  out(
    `Recorded: ${added.date.slice(0, 10)} ${added.from} → ${added.to}${added.fingerprint ? ` (key ${added.fingerprint})` : ''}`,
  );
  if (added.fingerprint && !registered)
    warn(
      `key ${added.fingerprint} is not in the holder registry; register it with: sd-drill holders register`,
    );
  else if (registered && !sameCustodian(registered.custodian, added.to))
    warn(
      `the holder registry still lists ${registered.custodian} as this key's custodian; update it with: sd-drill holders register --fingerprint ${added.fingerprint} --custodian "${added.to}" --role ROLE`,
    );
  return 0;
}

function list(options: {json?: boolean}): number {
  const store = openStore();
  const entries = [...store.custody()].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  reportStoreWarnings(store);
  if (options.json) {
    printJson({store: store.dir, custody: entries});
    return 0;
  }
  if (entries.length === 0) {
    out(`No hand-offs recorded yet (store: ${store.dir}).`);
    return 0;
  }
  for (const e of entries) {
    out(
      `${e.date.slice(0, 10)}  ${e.from} → ${e.to}${e.fingerprint ? `  key ${e.fingerprint}` : ''}${e.note ? `  — ${e.note}` : ''}`,
    );
  }
  return 0;
}

/** `sd-drill custody add` (registered in ./register-records.ts). */
export function custodyAddAction(options: AddOptions): void {
  process.exitCode = add(options);
}

/** `sd-drill custody list` (registered in ./register-records.ts). */
export function custodyListAction(options: {json?: boolean}): void {
  process.exitCode = list(options);
}
