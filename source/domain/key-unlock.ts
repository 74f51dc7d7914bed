/**
 * Loading a wrapping key with its passphrase. A PBES2 key (what openssl, python cryptography
 * and sd-drill write) is derived off the main thread after its parameters are checked
 * (./key-kdf.ts), so a screen keeps answering keys while a key opens and a hostile key file
 * costs seconds at most; the rest (traditional PEM, the old PBES1/PKCS#12 schemes, capped
 * there too) is opened by OpenSSL as ./key-file.ts parsePrivateKey does.
 */
import {fail, inputError, ok, type Result} from '../errors.js';
import {readSmallFileSync} from '../fs/read-file.js';
import {wipe} from '../secret.js';
import {encryptedPkcs8Der, parsePrivateKey, type LoadedKey} from './key-file.js';
import {decryptPbes2, keyEncryption} from './key-kdf.js';

/**
 * parsePrivateKey, with a PBES2 key's derivation run off the main thread (./key-unlock.ts): the
 * way every passphrase is tried, so a screen keeps answering keys while a key opens.
 */
export async function unlockPrivateKey(
  file: string,
  bytes: Buffer,
  passphrase?: Buffer,
): Promise<Result<LoadedKey>> {
  const der = passphrase && passphrase.length > 0 ? encryptedPkcs8Der(bytes) : undefined;
  const enc = der ? keyEncryption(der) : undefined;
  if (!passphrase || enc?.kind !== 'pbes2') return parsePrivateKey(file, bytes, passphrase);
  const plain = await decryptPbes2(enc, passphrase);
  const wrong = fail(inputError('wrong-passphrase', `wrong passphrase for ${file}`, file));
  if (!plain) return wrong;
  try {
    const key = parsePrivateKey(file, plain);
    // Padding that checks by chance under a wrong passphrase leaves DER that does not parse.
    if (!key.ok)
      return key.error.reason === 'rsa-too-small' || key.error.reason === 'not-rsa' ? key : wrong;
    return ok({...key.value, encrypted: true});
  } finally {
    wipe(plain);
  }
}

/** Reads and unlocks a key file (see unlockPrivateKey); the file's bytes are wiped. */
export async function loadPrivateKey(
  file: string,
  passphrase?: Buffer,
): Promise<Result<LoadedKey>> {
  const bytes = readSmallFileSync(file);
  if (!bytes.ok) return bytes;
  try {
    return await unlockPrivateKey(file, bytes.value, passphrase);
  } finally {
    bytes.value.fill(0);
  }
}

/**
 * A key file read without a passphrase: an unencrypted key, or `passphrase-required` (nothing
 * is derived, so it answers at once: for matching a key before anyone types).
 */
export function loadUnencryptedKey(file: string): Result<LoadedKey> {
  const bytes = readSmallFileSync(file);
  if (!bytes.ok) return bytes;
  try {
    return parsePrivateKey(file, bytes.value);
  } finally {
    bytes.value.fill(0);
  }
}
