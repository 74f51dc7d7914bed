/**
 * The upload payload ("restore blob", interop spec §10): the recovered data blobs re-sealed
 * under a fresh 32-byte transfer master key T (one SP 800-108 key per tag), and T sealed to
 * the recovering HSM's exchange certificate with RSA-OAEP-256 + A256CBC-HS512.
 *
 * The JSON text copies azure-cli's spacing (Python's default `", "` and `": "`); the service
 * does not care, but it makes our output diff cleanly against azure-cli's.
 *
 * Built on node:crypto, synchronously, rather than jose's CompactEncrypt: jose 6 is async
 * (WebCrypto) and this runs inside synchronous services; see a256cbc-hs512.ts. The tests
 * open what we build with jose, as an independent check.
 */
import {randomBytes, type KeyObject} from 'node:crypto';
import type {BlobDigest} from '../format.js';
import {checkError, fail, inputError, ok, preview, type Result} from '../../errors.js';
import {sha256Hex, type LoadedCertificate} from '../key-file.js';
import {wipe} from '../../secret.js';
import {CBC_FAILURE_TEXT, CEK_BYTES, decrypt} from './a256cbc-hs512.js';
import {parseCompactJwe, type CompactJwe} from './compact-jwe.js';
import {deriveBlobKey} from './kdf.js';
import {isWrapAlgorithm, rsaUnwrap, type WrapAlgorithm} from './rsa-oaep.js';
import {describeIssue, issueMessage, restoreBlobSchema} from './schema.js';
import {sealBlob, sealShare} from './writer.js';
import type {DecryptedBlob} from './reconstruct.js';

export const TRANSFER_KEY_BYTES = 32;

/** A word for the shell: quoted unless plainly safe. */
const shellWord = (s: string): string =>
  /^[\w./:@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * What the operator runs next, on the online machine, to restore the new HSM from the blob:
 * the one text `restore-blob` and restore mode's screens and report print.
 */
export function uploadCommand(restoreBlobFile: string): string {
  return `az keyvault security-domain upload --hsm-name <HSM-NAME> --sd-file ${shellWord(restoreBlobFile)} --restore-blob`;
}

/** Builds the payload; the caller still owns (and wipes) the plaintexts. */
export function buildRestoreBlob(
  domainBlobs: ReadonlyArray<{tag: string; plaintext: Buffer}>,
  exchangeCert: LoadedCertificate,
): string {
  const master = randomBytes(TRANSFER_KEY_BYTES);
  try {
    const data = domainBlobs.map(
      ({tag, plaintext}) =>
        `{"compact_jwe": ${JSON.stringify(sealBlob(master, tag, plaintext))}, "tag": ${JSON.stringify(tag)}}`,
    );
    const wrapped = sealShare(exchangeCert.publicKey, master);
    const x5t = Buffer.from(exchangeCert.certFingerprint, 'hex').toString('base64url');
    return (
      `{"EncData": {"data": [${data.join(', ')}], "kdf": "sp108_kdf"}, ` +
      `"WrappedKey": {"enc_key": ${JSON.stringify(wrapped)}, "x5t_256": ${JSON.stringify(x5t)}}}`
    );
  } finally {
    wipe(master);
  }
}

export interface ParsedRestoreBlob {
  x5t256: string;
  wrapAlg: WrapAlgorithm;
  wrappedKey: CompactJwe;
  blobs: Array<{tag: string; jwe: CompactJwe}>;
}

/** Checks a restore blob's structure (no keys needed): what a builder verifies before writing. */
export function parseRestoreBlob(file: string, json: string | Buffer): Result<ParsedRestoreBlob> {
  const bad = (reason: string, what: string) => fail(inputError(reason, `${file}: ${what}`, file));
  let value: unknown;
  try {
    value = JSON.parse(typeof json === 'string' ? json : json.toString('utf8'));
  } catch {
    return bad('not-json', 'is not valid JSON');
  }
  const parsed = restoreBlobSchema.safeParse(value, {error: issueMessage});
  if (!parsed.success) {
    return bad('malformed', `is not a restore blob: ${describeIssue(parsed.error)}`);
  }
  const {EncData, WrappedKey} = parsed.data;
  const wrapped = parseCompactJwe(WrappedKey.enc_key);
  if (!wrapped.ok) return bad('bad-wrapped-key', `WrappedKey.enc_key ${wrapped.problem}`);
  const alg = wrapped.jwe.header.alg;
  if (!isWrapAlgorithm(alg) || wrapped.jwe.encryptedKey.length === 0) {
    return bad('unsupported-alg', `WrappedKey.enc_key uses ${preview(alg ?? null)}`);
  }
  const blobs: ParsedRestoreBlob['blobs'] = [];
  for (const [i, d] of EncData.data.entries()) {
    const jwe = parseCompactJwe(d.compact_jwe);
    if (!jwe.ok) return bad('bad-blob-jwe', `EncData.data[${i}] ${jwe.problem}`);
    if (jwe.jwe.header.alg !== 'dir' || jwe.jwe.encryptedKey.length !== 0) {
      return bad('bad-blob-jwe', `EncData.data[${i}] is not a "dir" JWE`);
    }
    blobs.push({tag: d.tag, jwe: jwe.jwe});
  }
  return ok({x5t256: WrappedKey.x5t_256, wrapAlg: alg, wrappedKey: wrapped.jwe, blobs});
}

export interface OpenedRestoreBlob {
  x5t256: string;
  digests: BlobDigest[];
  /** Present when `keepPlaintext` was asked for; the caller wipes them. */
  blobs?: DecryptedBlob[];
}

/**
 * Opens a restore blob with the exchange private key, as the recovering HSM would: unwrap T,
 * derive each tag's key, and require every blob to authenticate.
 */
export function openRestoreBlob(
  json: string | Buffer,
  exchangePrivateKey: KeyObject,
  options: {file?: string; exchangeCertificate?: LoadedCertificate; keepPlaintext?: boolean} = {},
): Result<OpenedRestoreBlob> {
  const file = options.file ?? 'restore blob';
  const parsed = parseRestoreBlob(file, json);
  if (!parsed.ok) return parsed;
  const blob = parsed.value;
  if (options.exchangeCertificate) {
    const expected = Buffer.from(options.exchangeCertificate.certFingerprint, 'hex').toString(
      'base64url',
    );
    if (blob.x5t256.replace(/=+$/, '') !== expected) {
      return fail(
        inputError(
          'wrong-exchange-key',
          `${file}: is wrapped for exchange key x5t_256 ${blob.x5t256}, not this one (${expected})`,
          file,
        ),
      );
    }
  }
  const cek = rsaUnwrap(blob.wrapAlg, exchangePrivateKey, blob.wrappedKey.encryptedKey);
  if (!cek) {
    return fail(
      inputError(
        'wrong-exchange-key',
        `${file}: its transfer key is not wrapped to this exchange key`,
        file,
      ),
    );
  }
  let master: Buffer | undefined;
  try {
    if (cek.length !== CEK_BYTES) {
      return fail(
        checkError(
          'bad-cek',
          `${file}: WrappedKey content key is ${cek.length} bytes, not 64`,
          file,
        ),
      );
    }
    const {aad, iv, ciphertext, tag} = blob.wrappedKey;
    const opened = decrypt(cek, aad, iv, ciphertext, tag);
    if (!opened.ok) {
      return fail(
        checkError(
          'wrapped-key-authentication',
          `${file}: WrappedKey does not open: ${CBC_FAILURE_TEXT[opened.reason]}`,
          file,
        ),
      );
    }
    master = opened.plaintext;
    if (master.length !== TRANSFER_KEY_BYTES) {
      return fail(
        checkError(
          'bad-transfer-key',
          `${file}: the transfer master key is ${master.length} bytes, not 32`,
          file,
        ),
      );
    }
    const digests: BlobDigest[] = [];
    const kept: DecryptedBlob[] = [];
    for (const b of blob.blobs) {
      const key = deriveBlobKey(master, b.tag);
      const result = decrypt(key, b.jwe.aad, b.jwe.iv, b.jwe.ciphertext, b.jwe.tag);
      wipe(key);
      if (!result.ok) {
        kept.forEach((k) => wipe(k.plaintext));
        return fail(
          checkError(
            'blob-authentication',
            `${file}: data blob "${b.tag}" does not authenticate: ${CBC_FAILURE_TEXT[result.reason]}`,
            file,
          ),
        );
      }
      digests.push({
        tag: b.tag,
        bytes: result.plaintext.length,
        sha256: sha256Hex(result.plaintext),
      });
      if (options.keepPlaintext) kept.push({tag: b.tag, plaintext: result.plaintext});
      else wipe(result.plaintext);
    }
    return ok({x5t256: blob.x5t256, digests, ...(options.keepPlaintext ? {blobs: kept} : {})});
  } finally {
    wipe(cek, master);
  }
}
