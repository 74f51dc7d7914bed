/**
 * The ceremony's request to a holder at another site: which domain (the file's SHA-256 and
 * id), which holder (index and certificate fingerprint), a fresh nonce, an expiry, and an
 * ephemeral X25519 public key. The private half lives only in a `PendingRequest`, in this
 * process's memory, and is zeroed when the request is answered, replaced, or the drill ends:
 * a contribution cannot be opened after the ceremony, not even by its operator.
 *
 * The request's digest (SHA-256 of its canonical JSON) is the HPKE `info` a contribution is
 * sealed with, and its first 100 bits are the code the operator reads over the phone and the
 * holder types into `contribute`, which seals nothing until it matches: the same code on both
 * ends means the holder seals to the key this ceremony holds, not to one an attacker swapped
 * in on the way. To pass a request of their own off as this one, an attacker must find one
 * whose digest starts with the same 100 bits — a second preimage: 2^100 SHA-256 hashes on
 * average, ~40,000 years at 10^18 a second, for a request that lives an hour.
 */
import {createHash, randomBytes} from 'node:crypto';
import * as z from 'zod';
import {canonicalJson} from '../canonical-json.js';
import {fail, inputError, ok, type Result} from '../errors.js';
import {parseStrictJsonBytes} from '../strict-json.js';
import {describeIssue, issueMessage} from '../domain/schema-issue.js';
import {HPKE_SUITE, REQUEST_FORMAT} from './names.js';
import type {KemKey, Sealed} from './hpke.js';

export const NONCE_BYTES = 32;
/** How long a request made in the TUI stays open (a plan gives its own timeout). */
export const DEFAULT_REQUEST_MS = 60 * 60 * 1000;
/** A request file is a few hundred bytes. */
export const MAX_REQUEST_BYTES = 16 * 1024;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
/** Base64url of exactly `n` bytes, in its one canonical spelling (no padding, no spare bits). */
export const b64uOf = (n: number) =>
  z.string().refine((s) => {
    const b = Buffer.from(s, 'base64url');
    return b.length === n && b.toString('base64url') === s;
  }, `base64url of ${n} bytes`);
const isoDate = z.iso.datetime();

export const requestSchema = z.strictObject({
  request: z.literal(REQUEST_FORMAT),
  domain: z.strictObject({
    sha256: hex64,
    id: z.string().max(200).nullable(),
    name: z.string().max(200).nullable(),
    format: z.enum(['native', 'azure']),
  }),
  holder: z.strictObject({index: z.number().int().min(1).max(10), certFingerprint: hex64}),
  nonce: b64uOf(NONCE_BYTES),
  createdAt: isoDate,
  expiresAt: isoDate,
  hpke: z.literal(HPKE_SUITE),
  publicKey: b64uOf(32),
});
export type RemoteRequest = z.infer<typeof requestSchema>;

export const requestDigest = (r: RemoteRequest): Buffer =>
  createHash('sha256').update(canonicalJson(r)).digest();

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** How many bits of the request's digest its code carries (README: the code's strength). */
export const CODE_BITS = 100;

/**
 * 100 bits of the digest as 20 Crockford base32 characters in five groups of four, read over
 * the phone and typed back: `7K3Q-M9PX-2HDA-W4TE-5RNB` (no I, L, O or U to mishear).
 */
export function shortCode(digest: Buffer): string {
  let bits = '';
  for (const byte of digest.subarray(0, Math.ceil(CODE_BITS / 8)))
    bits += byte.toString(2).padStart(8, '0');
  const chars = (bits.slice(0, CODE_BITS).match(/.{5}/g) ?? [])
    .map((b) => CROCKFORD[parseInt(b, 2)])
    .join('');
  return (chars.match(/.{4}/g) ?? []).join('-');
}

/** The request as written to its file: pretty JSON, one field a line, for a person to read. */
export const requestFileText = (r: RemoteRequest): string => `${JSON.stringify(r, null, 2)}\n`;

/** Parses a request file; unknown fields, a wrong suite or a malformed key are refused. */
export function parseRequest(file: string, bytes: Buffer): Result<RemoteRequest> {
  const read = parseStrictJsonBytes(bytes, 8);
  if (!read.ok)
    return fail(inputError('not-json', `${file}: ${read.problem} — not an sd-drill request`, file));
  const json = read.value;
  const parsed = requestSchema.safeParse(json, {error: issueMessage});
  if (!parsed.success)
    return fail(
      inputError(
        'bad-request',
        `${file}: is not an sd-drill remote-holder request: ${describeIssue(parsed.error)}`,
        file,
      ),
    );
  return ok(parsed.data);
}

export interface RequestFacts {
  domain: RemoteRequest['domain'];
  holder: RemoteRequest['holder'];
  now: number;
  ttlMs: number;
  /** Tests only: key material to derive the key pair from, so a test knows what to look for. */
  ikm?: Buffer;
}

/** Zeroes the raw bytes @hpke/dhkem-x25519 keeps in its private key object (XCryptoKey.key). */
export function wipeKemPrivateKey(key: KemKey | undefined): void {
  const raw = (key as unknown as {key?: unknown} | undefined)?.key;
  if (raw instanceof Uint8Array) raw.fill(0);
}

/** A request this ceremony made and can still be answered: holds the private key. */
export class PendingRequest {
  readonly digest: Buffer;
  readonly code: string;
  readonly expiresAt: number;
  #privateKey: KemKey | undefined;

  private constructor(
    readonly request: RemoteRequest,
    privateKey: KemKey,
  ) {
    this.#privateKey = privateKey;
    this.digest = requestDigest(request);
    this.code = shortCode(this.digest);
    this.expiresAt = Date.parse(request.expiresAt);
  }

  static async make(facts: RequestFacts): Promise<PendingRequest> {
    const {newKemKeyPair} = await import('./hpke.js');
    const pair = await newKemKeyPair(facts.ikm);
    const request: RemoteRequest = {
      request: REQUEST_FORMAT,
      domain: facts.domain,
      holder: facts.holder,
      nonce: randomBytes(NONCE_BYTES).toString('base64url'),
      createdAt: new Date(facts.now).toISOString(),
      expiresAt: new Date(facts.now + facts.ttlMs).toISOString(),
      hpke: HPKE_SUITE,
      publicKey: pair.publicKey.toString('base64url'),
    };
    return new PendingRequest(request, pair.privateKey);
  }

  get open(): boolean {
    return this.#privateKey !== undefined;
  }

  /** Opens a sealed share with this request's key; undefined once wiped or if it fails. */
  async unseal(aad: Buffer, sealed: Sealed): Promise<Buffer | undefined> {
    const key = this.#privateKey;
    if (!key) return undefined;
    const {openSealed} = await import('./hpke.js');
    return openSealed(key, this.digest, aad, sealed);
  }

  /** Zeroes the private key: nothing sealed to this request can be opened any more. */
  wipe(): void {
    wipeKemPrivateKey(this.#privateKey);
    this.#privateKey = undefined;
  }

  /** Never the private key: a request serialises as the public request only. */
  toJSON(): RemoteRequest {
    return this.request;
  }
}
