/**
 * The native security-domain file's shape, checked with zod (its mini API: see
 * ../schema-issue.ts). Strict: an unknown field anywhere is refused.
 */
import * as z from 'zod/mini';
import {MAX_HOLDERS, MIN_HOLDERS} from '../../limits.js';

export const NATIVE_FORMAT = 'sd-drill.security-domain';
/**
 * Version 2 pins the domain's report key (and a generation, one higher at every rotation) in
 * the authenticated header. Version 3 adds every holder's share commitment, signed by that key
 * (./commitments.ts), so a holder can check their share alone. Version 1 files (before the
 * pin) still open; their key is pinned like an Azure file's, in the store at the first
 * passing drill.
 */
export const NATIVE_VERSION = 3;
export const NATIVE_VERSIONS = [1, 2, 3] as const;
export {MAX_HOLDERS, MIN_HOLDERS};

const hex64 = z
  .string()
  .check(z.regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 fingerprint (64 hex digits)'));
const b64 = (max?: number) =>
  z
    .string()
    .check(
      z.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
      ...(max === undefined ? [] : [z.maxLength(max)]),
    );
const int = (min: number, max?: number) =>
  z.int().check(z.minimum(min), ...(max === undefined ? [] : [z.maximum(max)]));
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const holderIndex = int(1, MAX_HOLDERS);

export const holderSchema = z.strictObject({
  index: holderIndex,
  name: text(100),
  certFingerprint: hex64,
  spkiFingerprint: hex64,
  bits: int(2048, 16384),
  certificate: b64(16_384),
});

export const shareSchema = z.strictObject({
  holder: holderIndex,
  certFingerprint: hex64,
  alg: z.literal('RSA-OAEP-256'),
  ciphertext: b64(2_048),
  /** MACs over this share made with a key derived from each other holder's share. */
  vouchers: z
    .array(z.strictObject({by: holderIndex, mac: b64(64)}))
    .check(z.maxLength(MAX_HOLDERS)),
});

export const manifestKeySchema = z.strictObject({
  name: text(200),
  version: int(1),
  type: z.enum(['rsa', 'ec', 'aes']),
  digest: hex64,
});

export const canarySchema = z.strictObject({
  key: text(200),
  version: int(1),
  iv: b64(64),
  ciphertext: b64(4096),
  tag: b64(64),
  plaintextSha256: hex64,
});

const quorumSchema = z
  .strictObject({
    required: int(2, MAX_HOLDERS),
    total: int(MIN_HOLDERS, MAX_HOLDERS),
  })
  .check(
    z.refine((q) => q.required <= q.total, {
      message: 'quorum.required is larger than quorum.total',
    }),
  );

/** Version 3: each holder's share commitment, signed by the domain's report key. */
export const headerCommitmentsSchema = z.strictObject({
  shares: z
    .array(z.strictObject({holder: holderIndex, sha256: hex64}))
    .check(z.minLength(MIN_HOLDERS), z.maxLength(MAX_HOLDERS)),
  signature: z
    .string()
    .check(z.regex(/^[A-Za-z0-9+/]{86}==$/, 'expected a base64 Ed25519 signature')),
});

export const nativeDomainSchema = z.strictObject({
  format: z.literal(NATIVE_FORMAT),
  version: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  domain: z.strictObject({
    id: z.uuid(),
    hsmName: text(100),
    created: z.iso.datetime({offset: true}),
    /** Version 2: 1 at `init`, one higher at every rotation. */
    generation: z.optional(int(1, 1_000_000)),
    /** Version 2: the domain's Ed25519 report key (raw, base64): its pinned identity. */
    reportKey: z.optional(
      z.string().check(z.regex(/^[A-Za-z0-9+/]{43}=$/, 'expected a base64 Ed25519 public key')),
    ),
  }),
  quorum: quorumSchema,
  holders: z.array(holderSchema).check(z.minLength(MIN_HOLDERS), z.maxLength(MAX_HOLDERS)),
  shares: z.array(shareSchema).check(z.minLength(MIN_HOLDERS), z.maxLength(MAX_HOLDERS)),
  commitments: z.optional(headerCommitmentsSchema),
  keyCheck: b64(64),
  payload: z.strictObject({
    alg: z.literal('A256GCM'),
    iv: b64(32),
    tag: b64(32),
    ciphertext: b64(),
  }),
  manifest: z.strictObject({
    keyCount: int(0, 100_000),
    keys: z.array(manifestKeySchema).check(z.maxLength(100_000)),
    canaries: z.array(canarySchema).check(z.maxLength(100)),
  }),
});

export type NativeDomainFile = z.infer<typeof nativeDomainSchema>;
export type NativeHolder = z.infer<typeof holderSchema>;
export type ManifestKey = z.infer<typeof manifestKeySchema>;
export type Canary = z.infer<typeof canarySchema>;
