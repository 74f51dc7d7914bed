/**
 * Compact JWE as the Azure security domain writes it: five base64url segments (protected
 * header, encrypted key, IV, ciphertext, tag). We keep the header segment's exact ASCII as
 * the AAD — never a re-serialisation — and decode the rest leniently (padding optional),
 * since azure-cli accepts either form.
 */
import {preview} from '../../errors.js';
import {TAG_BYTES, IV_BYTES, encrypt as sealCbc} from './a256cbc-hs512.js';

const B64_RE = /^[A-Za-z0-9_+/-]*={0,2}$/;

/** Decodes base64url (or standard base64), padded or not; undefined when it is not base64. */
export function b64uDecode(text: string): Buffer | undefined {
  if (!B64_RE.test(text)) return undefined;
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) return undefined;
  return Buffer.from(bare.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
}

export function b64uEncode(bytes: Buffer | Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export interface JweHeader {
  alg?: unknown;
  enc?: unknown;
  kid?: unknown;
  [name: string]: unknown;
}

export interface CompactJwe {
  /** The protected-header segment exactly as in the compact string: this is the AAD. */
  aad: Buffer;
  header: JweHeader;
  encryptedKey: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export type JweProblem = {ok: false; problem: string};

const SEGMENT_NAMES = ['protected header', 'encrypted key', 'IV', 'ciphertext', 'tag'] as const;

/** Parses the five segments and the header JSON; says what is wrong in a few words. */
export function parseCompactJwe(text: string): {ok: true; jwe: CompactJwe} | JweProblem {
  const parts = text.split('.');
  if (parts.length !== 5) {
    return {ok: false, problem: `has ${parts.length} segments; a compact JWE has 5`};
  }
  const decoded: Buffer[] = [];
  for (const [i, part] of parts.entries()) {
    const bytes = b64uDecode(part);
    if (!bytes) return {ok: false, problem: `its ${SEGMENT_NAMES[i]} is not base64url`};
    decoded.push(bytes);
  }
  const [headerBytes, encryptedKey, iv, ciphertext, tag] = decoded as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  let header: unknown;
  try {
    header = JSON.parse(headerBytes.toString('utf8'));
  } catch {
    return {ok: false, problem: 'its protected header is not JSON'};
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return {ok: false, problem: 'its protected header is not a JSON object'};
  }
  const h = header as JweHeader;
  if (h.enc !== 'A256CBC-HS512') {
    return {
      ok: false,
      problem: `uses content encryption ${preview(h.enc ?? null)}; only A256CBC-HS512 is supported`,
    };
  }
  if ('zip' in h) return {ok: false, problem: 'is compressed ("zip"), which Azure never does'};
  if ('crit' in h) return {ok: false, problem: 'has critical header extensions ("crit")'};
  if (iv.length !== IV_BYTES) {
    return {ok: false, problem: `has a ${iv.length}-byte IV; A256CBC-HS512 uses ${IV_BYTES}`};
  }
  if (tag.length !== TAG_BYTES) {
    return {
      ok: false,
      problem: `has a ${tag.length}-byte authentication tag; A256CBC-HS512 needs exactly ${TAG_BYTES} (refusing: a short tag would leave the data unauthenticated)`,
    };
  }
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    return {
      ok: false,
      problem: `has a ${ciphertext.length}-byte ciphertext, not a whole number of AES blocks`,
    };
  }
  return {
    ok: true,
    jwe: {aad: Buffer.from(parts[0] ?? '', 'ascii'), header: h, encryptedKey, iv, ciphertext, tag},
  };
}

/**
 * Builds a compact JWE from the exact header text given (key order matters to Azure's
 * readers only in that the AAD is whatever we emit; we emit what the HSM and azure-cli do).
 */
export function sealCompact(
  headerJson: string,
  key: Buffer,
  plaintext: Buffer,
  encryptedKey: Buffer = Buffer.alloc(0),
): string {
  const headerSegment = b64uEncode(Buffer.from(headerJson, 'utf8'));
  const sealed = sealCbc(key, Buffer.from(headerSegment, 'ascii'), plaintext);
  return [
    headerSegment,
    b64uEncode(encryptedKey),
    b64uEncode(sealed.iv),
    b64uEncode(sealed.ciphertext),
    b64uEncode(sealed.tag),
  ].join('.');
}

/** `{"alg":"dir","enc":"A256CBC-HS512","kid":"<tag>"}`, exactly as the HSM writes it. */
export function dirHeader(tag: string): string {
  return `{"alg":"dir","enc":"A256CBC-HS512","kid":${JSON.stringify(tag)}}`;
}

/** `{"alg":"RSA-OAEP-256","enc":"A256CBC-HS512","kid":"not used"}`, in that key order. */
export const RSA_OAEP_256_HEADER = '{"alg":"RSA-OAEP-256","enc":"A256CBC-HS512","kid":"not used"}';
