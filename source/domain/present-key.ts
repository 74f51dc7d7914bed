/**
 * A holder presents a key file: load it (with its passphrase), find the certificate beside
 * it, and open the holder's share. The headless commands, the plan runner and the TUI all
 * come through here.
 */
import {existsSync} from 'node:fs';
import {fail, ok, type Result} from '../errors.js';
import type {OpenedShare, SecurityDomainFormat} from './format.js';
import {
  loadCertificate,
  siblingCertificatePaths,
  type LoadedCertificate,
  type LoadedKey,
} from './key-file.js';
import {loadPrivateKey} from './key-unlock.js';

export interface Presented {
  opened: OpenedShare;
  /** The unlocked key (a remote holder's contribution is signed with it). */
  key: LoadedKey;
  bits: number;
  /** SHA-256 of the key's public key: one public key is one holder, whatever its files. */
  spkiFingerprint: string;
  certificate?: LoadedCertificate;
  /** Why a certificate beside the key was not used, if one was there. */
  certificateNote?: string;
}

export function findCertificateBeside(keyFile: string): {
  certificate?: LoadedCertificate;
  note?: string;
} {
  for (const path of siblingCertificatePaths(keyFile)) {
    if (!existsSync(path)) continue;
    const cert = loadCertificate(path);
    if (cert.ok) return {certificate: cert.value};
    return {note: cert.error.message};
  }
  return {};
}

/**
 * Loads the key (its derivation off the main thread: ./key-unlock.ts) and opens its holder's
 * share. The passphrase is the caller's to wipe, once this has resolved.
 */
export async function presentKeyFile(
  domain: SecurityDomainFormat,
  file: string,
  passphrase?: Buffer,
): Promise<Result<Presented>> {
  const key = await loadPrivateKey(file, passphrase);
  if (!key.ok) return key;
  const beside = findCertificateBeside(file);
  // A certificate beside the key that belongs to another key is ignored, not trusted.
  const certificate =
    beside.certificate && beside.certificate.spkiFingerprint === key.value.spkiFingerprint
      ? beside.certificate
      : undefined;
  const opened = domain.openShare({key: key.value, ...(certificate ? {certificate} : {})});
  if (!opened.ok) return fail(opened.error);
  const note =
    beside.note ??
    (beside.certificate && !certificate
      ? `${beside.certificate.file} belongs to another key`
      : undefined);
  return ok({
    opened: opened.value,
    key: key.value,
    bits: key.value.bits,
    spkiFingerprint: key.value.spkiFingerprint,
    ...(certificate ? {certificate} : {}),
    ...(note ? {certificateNote: note} : {}),
  });
}
