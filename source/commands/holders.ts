/** `sd-drill holders register|list`: the holder registry (who keeps which wrapping key). */
import {unwrap, usageError} from '../errors.js';
import {openStore} from '../store/store.js';
import {lastProofOf, proofWords} from '../store/proofs.js';
import {parseDateOption, parseFingerprintOption} from './custody.js';
import {reportStoreWarnings} from './history.js';
import {out, printJson} from './io.js';

export interface RegisterOptions {
  fingerprint: string;
  custodian: string;
  role: string;
  location?: string;
  since?: string;
}

function register(options: RegisterOptions): number {
  if (options.custodian.trim() === '') throw usageError('empty', '--custodian: must not be empty');
  if (options.role.trim() === '') throw usageError('empty', '--role: must not be empty');
  const store = openStore();
  const entry = {
    fingerprint: parseFingerprintOption(options.fingerprint),
    custodian: options.custodian.trim(),
    role: options.role.trim(),
    location: options.location?.trim() ? options.location.trim() : null,
    since: parseDateOption(options.since, '--since'),
  };
  const {previous} = unwrap(store.register(entry));
  reportStoreWarnings(store);
  out(
    `Registered key ${entry.fingerprint}: ${entry.custodian}, ${entry.role}${entry.location ? `, ${entry.location}` : ''}`,
  );
  if (previous && previous.custodian.trim().toLowerCase() !== entry.custodian.toLowerCase())
    out(`  (was ${previous.custodian}; the hand-off is recorded in the custody log)`);
  return 0;
}

function list(options: {json?: boolean}): number {
  const store = openStore();
  const holders = store.registry();
  const proofs = store.proofs().holders;
  reportStoreWarnings(store);
  // Each holder's last proof of their key, for any domain it wraps (`history` has it per domain).
  const last = (fp: string) => lastProofOf(proofs, fp);
  if (options.json) {
    printJson({
      store: store.dir,
      holders: holders.map((h) => {
        const p = last(h.fingerprint);
        return {...h, lastProof: p ? {at: p.at, by: p.by, ref: p.ref, domain: p.label} : null};
      }),
    });
    return 0;
  }
  if (holders.length === 0) {
    out(`No holders registered yet (store: ${store.dir}).`);
    return 0;
  }
  for (const h of holders) {
    const p = last(h.fingerprint);
    out(
      `${h.fingerprint}  ${h.custodian}, ${h.role}${h.location ? `, ${h.location}` : ''}  since ${h.since.slice(0, 10)}`,
    );
    out(
      `    last proved their key: ${p ? `${proofWords(p)}, ${p.label}` : 'never, on record here'}`,
    );
  }
  return 0;
}

/** `sd-drill holders register` (registered in ./register-records.ts). */
export function holdersRegisterAction(options: RegisterOptions): void {
  process.exitCode = register(options);
}

/** `sd-drill holders list` (registered in ./register-records.ts). */
export function holdersListAction(options: {json?: boolean}): void {
  process.exitCode = list(options);
}
