/**
 * Matching a wrapping key to an Azure share, and opening it. An Azure file names each share
 * only by its certificate's x5t#S256, so a key whose certificate is missing or re-issued (a
 * new thumbprint for the same key) is found by trial decryption: RSA-unwrapping each of the
 * at most ten shares' content keys. The same trial tells whether the file wraps two shares to
 * one key (one person holding two votes), which no certificate can show.
 */
import {checkError, inputError, type SdError} from '../../errors.js';
import type {LoadedKey} from '../key-file.js';
import type {Holder, KeyEvidence, KeyMatch} from '../format.js';
import {wipe} from '../../secret.js';
import {CBC_FAILURE_TEXT, CEK_BYTES, decrypt} from './a256cbc-hs512.js';
import type {CompactJwe} from './compact-jwe.js';
import {rsaUnwrap, type WrapAlgorithm} from './rsa-oaep.js';
import {decodeShare, SHARE_PROBLEM_TEXT, wipeShare} from './shamir257.js';

export interface AzureShareEntry {
  /** 1-based position in SharedKeys.enc_shares. */
  index: number;
  x5t256: string;
  /** SHA-256 of the certificate DER, lowercase hex (x5t_256 decoded). */
  certFingerprint: string;
  /** The enc_key exactly as the file has it (its digest is recorded with a share's commitment). */
  compact: string;
  /** The share's JWE, or why it cannot be read (the rest of the file may still recover). */
  sealed: {ok: true; alg: WrapAlgorithm; jwe: CompactJwe} | {ok: false; damage: string};
}

/** What matching needs of the domain (kept narrow so this module does not import the reader). */
export interface AzureShares {
  readonly file: string;
  readonly shares: readonly AzureShareEntry[];
  holder(index: number): Holder | undefined;
}

export type OpenedEntry =
  {ok: true; secret: Buffer} | {ok: false; rsaFailed: boolean; error: SdError};

/** "share 2 (certificate x5t#S256 qBJlg1j1…)" — how a share is named when no key is. */
export function shareName(entry: AzureShareEntry): string {
  return `share ${entry.index} (certificate x5t#S256 ${entry.x5t256.slice(0, 12)}…)`;
}

/** Does this key unwrap the share's content key? (RSA only: cheap, and proof enough.) */
function unwraps(entry: AzureShareEntry, key: LoadedKey): boolean {
  if (!entry.sealed.ok || entry.sealed.jwe.encryptedKey.length !== Math.ceil(key.bits / 8))
    return false;
  const cek = rsaUnwrap(entry.sealed.alg, key.privateKey, entry.sealed.jwe.encryptedKey);
  wipe(cek);
  return cek !== undefined;
}

/**
 * Certificate thumbprint first; then, with the key in hand, trial decryption. With the key,
 * every other share is tried too, so a file wrapping two shares to one key is caught.
 */
export function matchAzureKey(domain: AzureShares, evidence: KeyEvidence): KeyMatch | undefined {
  const cert = evidence.certificate;
  const key = evidence.key;
  const listed = cert
    ? domain.shares.filter((s) => s.certFingerprint === cert.certFingerprint)
    : [];
  // The shares listed for the certificate are opened anyway: only the others are tried here.
  const opens = key ? domain.shares.filter((s) => !listed.includes(s) && unwraps(s, key)) : [];
  const first = listed[0] ?? opens[0];
  const holder = first ? domain.holder(first.index) : undefined;
  if (!first || !holder) return undefined;
  const others = new Set([...listed, ...opens].map((s) => s.index));
  others.delete(first.index);
  const byCert = listed.length > 0;
  return {
    holder,
    by: byCert ? 'certificate' : 'trial-decryption',
    certMissing: !cert,
    ...(cert && !byCert ? {certReissued: true} : {}),
    ...(others.size > 0 ? {alsoOpens: [...others].sort((a, b) => a - b)} : {}),
  };
}

/** RSA-unwraps the CEK, checks it, authenticates and decrypts the share, checks its words. */
export function openAzureEntry(
  domain: AzureShares,
  entry: AzureShareEntry,
  key: LoadedKey,
): OpenedEntry {
  if (!entry.sealed.ok)
    return damaged(domain, entry, entry.sealed.damage, `opened with ${key.file}`);
  const {alg, jwe} = entry.sealed;
  const cek = rsaUnwrap(alg, key.privateKey, jwe.encryptedKey);
  if (!cek) {
    return {
      ok: false,
      rsaFailed: true,
      error: inputError('rsa-unwrap', `${key.file}: cannot unwrap share ${entry.index}`, key.file),
    };
  }
  try {
    return openAzureEntryWithCek(domain, entry, cek, `opened with ${key.file}`);
  } finally {
    wipe(cek);
  }
}

/** The share's content key, RSA-unwrapped with the holder's key (a remote holder sends it). */
export function unwrapAzureCek(entry: AzureShareEntry, key: LoadedKey): Buffer | undefined {
  return entry.sealed.ok
    ? rsaUnwrap(entry.sealed.alg, key.privateKey, entry.sealed.jwe.encryptedKey)
    : undefined;
}

function damaged(
  domain: AzureShares,
  entry: AzureShareEntry,
  damage: string,
  how: string,
): OpenedEntry {
  return {
    ok: false,
    rsaFailed: false,
    error: checkError(
      'share-damaged',
      `${shareName(entry)} of ${domain.file} (${how}) is damaged: its enc_key ${damage} — restore the security-domain file from a backup copy`,
      domain.file,
    ),
  };
}

/**
 * With the content key in hand (unwrapped here, or sent sealed by a remote holder): checks
 * it, authenticates and decrypts the share in the file, checks its words. The CEK is not
 * wiped here. A CEK that is not this share's fails the JWE's HMAC tag.
 */
export function openAzureEntryWithCek(
  domain: AzureShares,
  entry: AzureShareEntry,
  cek: Buffer,
  how: string,
): OpenedEntry {
  if (!entry.sealed.ok) return damaged(domain, entry, entry.sealed.damage, how);
  const {jwe} = entry.sealed;
  const where = `${shareName(entry)} of ${domain.file} (${how})`;
  if (cek.length !== CEK_BYTES) {
    return {
      ok: false,
      rsaFailed: false,
      error: inputError(
        'bad-cek',
        `${where}: its content key is ${cek.length} bytes; A256CBC-HS512 needs ${CEK_BYTES} — refusing the share`,
        domain.file,
      ),
    };
  }
  const result = decrypt(cek, jwe.aad, jwe.iv, jwe.ciphertext, jwe.tag);
  if (!result.ok) {
    return {
      ok: false,
      rsaFailed: false,
      error: checkError(
        'share-authentication',
        `${where} does not authenticate: ${CBC_FAILURE_TEXT[result.reason]}`,
        domain.file,
      ),
    };
  }
  const decoded = decodeShare(result.plaintext);
  if (!decoded.ok) {
    wipe(result.plaintext);
    return {
      ok: false,
      rsaFailed: false,
      error: checkError(
        'bad-share',
        `${where} is malformed: ${SHARE_PROBLEM_TEXT[decoded.problem]}`,
        domain.file,
      ),
    };
  }
  wipeShare(decoded.share);
  return {ok: true, secret: result.plaintext};
}
