/**
 * A remote holder's contribution: their share, sealed on their own machine to a ceremony's
 * request, and signed.
 *
 * Why a signature as well as HPKE. HPKE base mode authenticates nobody: anyone who has seen
 * the request (it travels on a stick, its code is read over the phone) can seal *something* to
 * its key, with the right `info` and AAD. Sealing alone would let a stranger, or another
 * holder, put a share into holder 3's place: at best refused at reconstruction, and then named
 * as holder 3's bad share — blaming an honest holder. So the holder also signs the whole
 * contribution (RSA-PSS, SHA-256, with their wrapping key, over a domain-separated prefix and
 * the canonical JSON of everything but the signature), and the ceremony verifies it against
 * what the domain file says about that holder:
 *
 * - native: the signer's public key must be the holder's (the file lists each holder's
 *   certificate and public-key fingerprint, bound to the authenticated header);
 * - azure: the file lists only certificate thumbprints, so the holder includes their
 *   certificate; its SHA-256 must be the share's x5t#S256 and its key the signer's. Without a
 *   certificate the signature binds nothing, and the check is the payload itself: the share's
 *   content key must open that share of the file (../domain/remote-share.ts), which only the
 *   holder's key could unwrap.
 *
 * Signing with a key pair that also decrypts (RSA-OAEP) is the usual worry of key reuse; PSS and
 * OAEP on one RSA key are known to be jointly secure, and the prefix keeps the signed bytes from
 * ever being a valid anything else. A certificate whose keyUsage names only keyEncipherment is
 * not consulted: the certificate is used here as a name for the key, as the file uses it.
 *
 * Every byte matters: the file must be exactly the canonical JSON `contribute` writes (and each
 * base64url field its one canonical spelling), so a byte changed anywhere is refused — as
 * damaged, as not signed by the holder, or as failing the signature or HPKE's AEAD tag.
 */
import {constants, createPublicKey, sign, verify, X509Certificate} from 'node:crypto';
import * as z from 'zod';
import {canonicalJson} from '../canonical-json.js';
import {fail, inputError, ok, type Result} from '../errors.js';
import {parseStrictJsonBytes} from '../strict-json.js';
import type {Holder, KeyMatch} from '../domain/format.js';
import {sha256Hex, type LoadedCertificate, type LoadedKey} from '../domain/key-file.js';
import {describeIssue, issueMessage} from '../domain/schema-issue.js';
import type {Sealed} from './hpke.js';
import {CONTRIBUTION_FORMAT} from './names.js';
import {b64uOf, NONCE_BYTES, type RemoteRequest} from './request.js';

export const MAX_CONTRIBUTION_BYTES = 64 * 1024;
const SIGNED_PREFIX = Buffer.from('sd-drill remote contribution, signed by its holder\n');

/** Base64url, canonical spelling, decoding to between `min` and `max` bytes. */
const b64u = (min: number, max: number) =>
  z.string().refine((s) => {
    const b = Buffer.from(s, 'base64url');
    return b.length >= min && b.length <= max && b.toString('base64url') === s;
  }, `base64url of ${min} to ${max} bytes`);

export const contributionSchema = z.strictObject({
  contribution: z.literal(CONTRIBUTION_FORMAT),
  /** SHA-256 of the request answered (hex): also the HPKE `info`. */
  request: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
  holder: z.strictObject({
    index: z.number().int().min(1).max(10),
    certFingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
  }),
  nonce: b64uOf(NONCE_BYTES),
  sealed: z.strictObject({enc: b64uOf(32), ciphertext: b64u(17, 1024)}),
  signer: z.strictObject({publicKey: b64u(64, 2048), certificate: b64u(64, 16384).optional()}),
  signature: b64u(64, 1024),
});
export type Contribution = z.infer<typeof contributionSchema>;

/** The AAD every contribution is sealed with: the holder's index and the request's nonce. */
export function sealAad(holderIndex: number, nonce: string): Buffer {
  const index = Buffer.alloc(2);
  index.writeUInt16BE(holderIndex);
  return Buffer.concat([index, Buffer.from(nonce, 'base64url')]);
}

const signedBytes = (c: Omit<Contribution, 'signature'>): Buffer =>
  Buffer.concat([SIGNED_PREFIX, Buffer.from(canonicalJson(c), 'utf8')]);

const PSS = {padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32} as const;

export const contributionText = (c: Contribution): string => `${canonicalJson(c)}\n`;

export interface MakeInput {
  request: RemoteRequest;
  requestDigest: Buffer;
  /** The bytes to seal (../domain/remote-share.ts); not wiped here. */
  payload: Buffer;
  key: LoadedKey;
  /** The holder's certificate, when it is the one the domain file names (Azure). */
  certificate?: LoadedCertificate;
}

export async function makeContribution(input: MakeInput): Promise<Contribution> {
  const {request} = input;
  const {seal} = await import('./hpke.js');
  let sealed: Sealed;
  try {
    sealed = await seal(
      Buffer.from(request.publicKey, 'base64url'),
      input.requestDigest,
      sealAad(request.holder.index, request.nonce),
      input.payload,
    );
  } catch {
    // An all-zero or low-order X25519 key: DH with it gives no shared secret (RFC 7748 §6.1).
    throw inputError(
      'bad-request-key',
      "the request's public key is not a usable X25519 key, so nothing can be sealed to it; nothing was written — ask the ceremony for a new request",
    );
  }
  const spki = createPublicKey(input.key.privateKey).export({type: 'spki', format: 'der'});
  const unsigned = {
    contribution: CONTRIBUTION_FORMAT,
    request: input.requestDigest.toString('hex'),
    holder: {index: request.holder.index, certFingerprint: request.holder.certFingerprint},
    nonce: request.nonce,
    sealed: {
      enc: sealed.enc.toString('base64url'),
      ciphertext: sealed.ciphertext.toString('base64url'),
    },
    signer: {
      publicKey: spki.toString('base64url'),
      ...(input.certificate ? {certificate: input.certificate.der.toString('base64url')} : {}),
    },
  } as const;
  const signature = sign('sha256', signedBytes(unsigned), {key: input.key.privateKey, ...PSS});
  return {...unsigned, signature: signature.toString('base64url')};
}

export interface ParsedContribution {
  contribution: Contribution;
  /** SHA-256 of the file's bytes (hex): what the report records. */
  sha256: string;
}

/** Parses a contribution; anything but the exact bytes `contribute` writes is `damaged`. */
export function parseContribution(bytes: Buffer): Result<ParsedContribution, string> {
  const read = parseStrictJsonBytes(bytes, 8);
  if (!read.ok)
    return fail(
      read.problem.startsWith('is ')
        ? `it ${read.problem}`
        : `it is not sd-drill JSON: ${read.problem}`,
    );
  const json = read.value;
  const parsed = contributionSchema.safeParse(json, {error: issueMessage});
  if (!parsed.success) return fail(describeIssue(parsed.error));
  if (!bytes.equals(Buffer.from(contributionText(parsed.data), 'utf8')))
    return fail('its bytes are not those contribute writes');
  return ok({contribution: parsed.data, sha256: sha256Hex(bytes)});
}

/**
 * Is the signature good over exactly these bytes, under the public key the contribution
 * carries? Says nothing yet about whose key that is (`bindSigner`). Returns the key's SPKI
 * fingerprint, or undefined: the file was altered (or was never whole).
 */
export function verifySignature(c: Contribution): string | undefined {
  const der = Buffer.from(c.signer.publicKey, 'base64url');
  let publicKey;
  try {
    publicKey = createPublicKey({key: der, format: 'der', type: 'spki'});
  } catch {
    return undefined;
  }
  if (publicKey.asymmetricKeyType !== 'rsa') return undefined;
  const {signature, ...unsigned} = c;
  const good = verify(
    'sha256',
    signedBytes(unsigned),
    {key: publicKey, ...PSS},
    Buffer.from(signature, 'base64url'),
  );
  return good ? sha256Hex(der) : undefined;
}

/** Does the signer's key belong to `holder`, as the domain file names it? */
function signedBy(c: Contribution, spki: string, holder: Holder): boolean {
  if (holder.spkiFingerprint !== undefined) return spki === holder.spkiFingerprint;
  if (c.signer.certificate === undefined) return false;
  const der = Buffer.from(c.signer.certificate, 'base64url');
  if (sha256Hex(der) !== holder.certFingerprint) return false;
  try {
    const certKey = new X509Certificate(der).publicKey.export({type: 'spki', format: 'der'});
    return sha256Hex(certKey) === spki;
  } catch {
    return false;
  }
}

export type SignerBinding =
  | {ok: true; match: Omit<KeyMatch, 'holder'>}
  /** `other`: the key of another holder of this domain, if it is one. */
  | {ok: false; other?: Holder};

/**
 * Binds a contribution whose signature verified (`spki`) to the requested holder: see the top
 * of this file. An Azure holder without their certificate is bound by the payload instead.
 */
export function bindSigner(
  c: Contribution,
  spki: string,
  holder: Holder,
  holders: readonly Holder[],
): SignerBinding {
  if (signedBy(c, spki, holder))
    return {
      ok: true,
      match: {
        by: holder.spkiFingerprint !== undefined ? 'public-key' : 'certificate',
        certMissing: false,
      },
    };
  const other = holders.find((h) => h.index !== holder.index && signedBy(c, spki, h));
  if (other) return {ok: false, other};
  // Azure without a certificate: nothing names the key; the share's content key must open
  // this holder's share of the file (../domain/remote-share.ts).
  if (holder.spkiFingerprint === undefined && c.signer.certificate === undefined)
    return {ok: true, match: {by: 'trial-decryption', certMissing: true}};
  return {ok: false};
}

export function sealedOf(c: Contribution): Sealed {
  return {
    enc: Buffer.from(c.sealed.enc, 'base64url'),
    ciphertext: Buffer.from(c.sealed.ciphertext, 'base64url'),
  };
}
