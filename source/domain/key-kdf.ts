/**
 * Opening an encrypted PKCS#8 key without letting its file decide how long that takes. The
 * key-derivation parameters of PBES2 (PBKDF2's iteration count, scrypt's N, r and p) come from
 * the file itself, and OpenSSL honours whatever they say, synchronously: a key with 2^31 − 1
 * iterations on a hostile stick held every command (and the whole TUI, q and Ctrl-C included)
 * for hours. So the parameters are read here first, from the DER, before any derivation:
 *
 * - PBKDF2 iterations above 10,000,000 are refused. sd-drill writes 600,000 (OWASP's figure
 *   for HMAC-SHA256; its highest, for SHA-1, is 1,300,000); the cap is 16 times what sd-drill
 *   writes and ~4 s of one core here, so a genuine key made with a stronger setting than ours
 *   still opens, and a hostile one costs seconds at most.
 * - scrypt is refused above 2^22 for N·r·p (32 times `openssl pkcs8 -scrypt`'s 2^14·8·1) or
 *   256 MiB of memory (128·N·r).
 * - The old PBES1 and PKCS#12 schemes (`-v1 PBE-SHA1-3DES`, made 2,048 iterations by default)
 *   are refused above 100,000 iterations: OpenSSL opens them synchronously, and 100,000 is a
 *   few tens of milliseconds.
 *
 * Then PBES2 keys are derived off the main thread (node:crypto's pbkdf2 and scrypt run on
 * libuv's thread pool) and decrypted here with the cipher the file names; the screens keep
 * answering keys while a key opens. The derived key and the decrypted DER are wiped.
 */
import {createDecipheriv, pbkdf2, scrypt} from 'node:crypto';
import {promisify} from 'node:util';
import {wipe} from '../secret.js';

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (
  password: Buffer,
  salt: Buffer,
  keylen: number,
  options: {N: number; r: number; p: number; maxmem: number},
) => Promise<Buffer>;

export const MAX_PBKDF2_ITERATIONS = 10_000_000;
export const MAX_SCRYPT_WORK = 2 ** 22;
export const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
export const MAX_LEGACY_ITERATIONS = 100_000;

interface Tlv {
  tag: number;
  body: Buffer;
}

/** One DER element at `at`; undefined when the bytes are not DER. */
function tlv(buf: Buffer, at: number): {el: Tlv; next: number} | undefined {
  const tag = buf[at];
  let len = buf[at + 1];
  if (tag === undefined || len === undefined) return undefined;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[start + i] ?? 0);
    start += n;
  }
  if (start + len > buf.length) return undefined;
  return {el: {tag, body: buf.subarray(start, start + len)}, next: start + len};
}

/** The elements of a SEQUENCE's body. */
function items(body: Buffer): Tlv[] | undefined {
  const out: Tlv[] = [];
  for (let at = 0; at < body.length;) {
    const r = tlv(body, at);
    if (!r) return undefined;
    out.push(r.el);
    at = r.next;
  }
  return out;
}

function oid(el: Tlv | undefined): string | undefined {
  if (!el || el.tag !== 0x06 || el.body.length === 0) return undefined;
  const b = el.body;
  const first = b[0] as number;
  const parts = [
    Math.min(2, Math.floor(first / 40)),
    first - Math.min(2, Math.floor(first / 40)) * 40,
  ];
  let v = 0;
  for (const byte of b.subarray(1)) {
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** A DER INTEGER as a number, or Infinity when it is too big to matter (or negative/absent). */
function int(el: Tlv | undefined): number {
  if (!el || el.tag !== 0x02 || el.body.length === 0) return NaN;
  if ((el.body[0] as number) & 0x80) return NaN;
  if (el.body.length > 7) return Infinity;
  return el.body.reduce((n, byte) => n * 256 + byte, 0);
}

const PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const CIPHER: Record<string, {name: string; keyBytes: number; ivBytes: number}> = {
  '2.16.840.1.101.3.4.1.2': {name: 'aes-128-cbc', keyBytes: 16, ivBytes: 16},
  '2.16.840.1.101.3.4.1.22': {name: 'aes-192-cbc', keyBytes: 24, ivBytes: 16},
  '2.16.840.1.101.3.4.1.42': {name: 'aes-256-cbc', keyBytes: 32, ivBytes: 16},
  '1.2.840.113549.3.7': {name: 'des-ede3-cbc', keyBytes: 24, ivBytes: 8},
};
const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const SCRYPT = '1.3.6.1.4.1.11591.4.11';
const LEGACY = /^1\.2\.840\.113549\.1\.(5\.(1|3|4|6|10|11)|12\.1\.[1-6])$/;

type Kdf =
  | {kind: 'pbkdf2'; salt: Buffer; iterations: number; prf: string}
  | {kind: 'scrypt'; salt: Buffer; N: number; r: number; p: number};

/** What an EncryptedPrivateKeyInfo asks for, read without deriving anything. */
export type KeyEncryption =
  | {kind: 'pbes2'; kdf: Kdf; cipher: string; keyBytes: number; iv: Buffer; data: Buffer}
  | {kind: 'legacy'; iterations: number}
  /** Not something read here (OpenSSL decides; its parameters cost nothing to read). */
  | {kind: 'other'}
  | {kind: 'refused'; why: string};

const refused = (why: string): KeyEncryption => ({kind: 'refused', why});

/** Reads the encryption parameters of a DER EncryptedPrivateKeyInfo and checks their cost. */
export function keyEncryption(der: Buffer): KeyEncryption {
  const outer = tlv(der, 0);
  const top = outer?.el.tag === 0x30 ? items(outer.el.body) : undefined;
  const alg = top?.[0]?.tag === 0x30 ? items(top[0].body) : undefined;
  const data = top?.[1];
  const id = oid(alg?.[0]);
  if (!alg || !id || !data || data.tag !== 0x04) return {kind: 'other'};
  if (LEGACY.test(id)) {
    const params = alg[1]?.tag === 0x30 ? items(alg[1].body) : undefined;
    const iterations = int(params?.[1]);
    if (!(iterations >= 1)) return refused('its encryption parameters are damaged');
    if (iterations > MAX_LEGACY_ITERATIONS)
      return refused(
        `it asks for ${describe(iterations)} iterations of an old key-encryption scheme; sd-drill opens at most ${MAX_LEGACY_ITERATIONS.toLocaleString('en-US')}`,
      );
    return {kind: 'legacy', iterations};
  }
  if (id !== PBES2) return {kind: 'other'};
  const params = alg[1]?.tag === 0x30 ? items(alg[1].body) : undefined;
  const kdfAlg = params?.[0]?.tag === 0x30 ? items(params[0].body) : undefined;
  const encAlg = params?.[1]?.tag === 0x30 ? items(params[1].body) : undefined;
  const kdfId = oid(kdfAlg?.[0]);
  const encId = oid(encAlg?.[0]);
  const kdfParams = kdfAlg?.[1]?.tag === 0x30 ? items(kdfAlg[1].body) : undefined;
  if (!kdfId || !encId || !kdfParams) return refused('its PBES2 parameters are damaged');
  const cipher = CIPHER[encId];
  const iv = encAlg?.[1];
  if (!cipher)
    return refused(
      `it is encrypted with a cipher sd-drill does not open (OID ${encId}); re-encrypt it with \`openssl pkcs8 -topk8 -v2 aes-256-cbc\``,
    );
  if (!iv || iv.tag !== 0x04 || iv.body.length !== cipher.ivBytes)
    return refused('its PBES2 parameters are damaged (the IV)');
  const salt = kdfParams[0];
  if (!salt || salt.tag !== 0x04)
    return refused('its key-derivation salt is not one sd-drill reads');
  let kdf: Kdf;
  let keyLength: number | undefined;
  if (kdfId === PBKDF2) {
    const iterations = int(kdfParams[1]);
    let rest = kdfParams.slice(2);
    if (rest[0]?.tag === 0x02) {
      keyLength = int(rest[0]);
      rest = rest.slice(1);
    }
    const prfId = rest[0]?.tag === 0x30 ? oid(items(rest[0].body)?.[0]) : '1.2.840.113549.2.7';
    const prf = prfId ? PRF[prfId] : undefined;
    if (!(iterations >= 1)) return refused('its PBKDF2 iteration count is damaged');
    if (iterations > MAX_PBKDF2_ITERATIONS)
      return refused(
        `it asks for ${describe(iterations)} PBKDF2 iterations; sd-drill opens at most ${MAX_PBKDF2_ITERATIONS.toLocaleString('en-US')} (it writes 600,000) — a key that costs more is refused, not waited for`,
      );
    if (!prf) return refused(`its PBKDF2 uses a hash sd-drill does not know (OID ${prfId ?? '?'})`);
    kdf = {kind: 'pbkdf2', salt: salt.body, iterations, prf};
  } else if (kdfId === SCRYPT) {
    const [N, r, p] = [int(kdfParams[1]), int(kdfParams[2]), int(kdfParams[3])];
    if (kdfParams[4]) keyLength = int(kdfParams[4]);
    if (!(N >= 2 && r >= 1 && p >= 1)) return refused('its scrypt parameters are damaged');
    if (N * r * p > MAX_SCRYPT_WORK || 128 * N * r > MAX_SCRYPT_MEMORY)
      return refused(
        `it asks for scrypt with N=${describe(N)}, r=${describe(r)}, p=${describe(p)}; sd-drill opens at most N·r·p = 2^22 and 256 MiB — a key that costs more is refused, not waited for`,
      );
    kdf = {kind: 'scrypt', salt: salt.body, N, r, p};
  } else return refused(`its key derivation is one sd-drill does not know (OID ${kdfId})`);
  if (keyLength !== undefined && keyLength !== cipher.keyBytes)
    return refused('its PBES2 parameters are damaged (the key length)');
  return {
    kind: 'pbes2',
    kdf,
    cipher: cipher.name,
    keyBytes: cipher.keyBytes,
    iv: iv.body,
    data: data.body,
  };
}

function describe(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : 'more than 2^53';
}

/**
 * Derives (on the thread pool) and decrypts a PBES2 key: the PKCS#8 DER, which the caller
 * wipes, or undefined for a wrong passphrase (the padding, or later the DER, does not check).
 */
export async function decryptPbes2(
  enc: KeyEncryption & {kind: 'pbes2'},
  passphrase: Buffer,
): Promise<Buffer | undefined> {
  const {kdf} = enc;
  const key =
    kdf.kind === 'pbkdf2'
      ? await pbkdf2Async(passphrase, kdf.salt, kdf.iterations, enc.keyBytes, kdf.prf)
      : await scryptAsync(passphrase, kdf.salt, enc.keyBytes, {
          N: kdf.N,
          r: kdf.r,
          p: kdf.p,
          maxmem: MAX_SCRYPT_MEMORY + 1024 * 1024,
        });
  try {
    const decipher = createDecipheriv(enc.cipher, key, enc.iv);
    const head = decipher.update(enc.data);
    try {
      return Buffer.concat([head, decipher.final()]);
    } catch {
      return undefined;
    } finally {
      wipe(head);
    }
  } finally {
    wipe(key);
  }
}
