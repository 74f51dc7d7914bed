import * as z from 'zod';
import {MAX_HOLDERS, MIN_HOLDERS} from '../../limits.js';

export const NATIVE_FORMAT = 'sd-drill.security-domain';
export const NATIVE_VERSION = 1;
export {MAX_HOLDERS, MIN_HOLDERS};

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 fingerprint (64 hex digits)');
const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
const iso = z.string().datetime({offset: true});

export const holderSchema = z.strictObject({
  index: z.number().int().min(1).max(MAX_HOLDERS),
  name: z.string().min(1).max(100),
  certFingerprint: hex64,
  spkiFingerprint: hex64,
  bits: z.number().int().min(2048).max(16384),
  certificate: b64.max(16_384),
});

export const shareSchema = z.strictObject({
  holder: z.number().int().min(1).max(MAX_HOLDERS),
  certFingerprint: hex64,
  alg: z.literal('RSA-OAEP-256'),
  ciphertext: b64.max(2_048),
  /** MACs over this share made with a key derived from each other holder's share. */
  vouchers: z
    .array(z.strictObject({by: z.number().int().min(1).max(MAX_HOLDERS), mac: b64.max(64)}))
    .max(MAX_HOLDERS),
});

export const manifestKeySchema = z.strictObject({
  name: z.string().min(1).max(200),
  version: z.number().int().min(1),
  type: z.enum(['rsa', 'ec', 'aes']),
  digest: hex64,
});

export const canarySchema = z.strictObject({
  key: z.string().min(1).max(200),
  version: z.number().int().min(1),
  iv: b64.max(64),
  ciphertext: b64.max(4096),
  tag: b64.max(64),
  plaintextSha256: hex64,
});

export const nativeDomainSchema = z.strictObject({
  format: z.literal(NATIVE_FORMAT),
  version: z.literal(NATIVE_VERSION),
  domain: z.strictObject({
    id: z.string().uuid(),
    hsmName: z.string().min(1).max(100),
    created: iso,
  }),
  quorum: z
    .strictObject({
      required: z.number().int().min(2).max(MAX_HOLDERS),
      total: z.number().int().min(MIN_HOLDERS).max(MAX_HOLDERS),
    })
    .refine((q) => q.required <= q.total, {message: 'quorum.required is larger than quorum.total'}),
  holders: z.array(holderSchema).min(MIN_HOLDERS).max(MAX_HOLDERS),
  shares: z.array(shareSchema).min(MIN_HOLDERS).max(MAX_HOLDERS),
  keyCheck: b64.max(64),
  payload: z.strictObject({
    alg: z.literal('A256GCM'),
    iv: b64.max(32),
    tag: b64.max(32),
    ciphertext: b64,
  }),
  manifest: z.strictObject({
    keyCount: z.number().int().min(0).max(100_000),
    keys: z.array(manifestKeySchema).max(100_000),
    canaries: z.array(canarySchema).max(100),
  }),
});

export type NativeDomainFile = z.infer<typeof nativeDomainSchema>;
export type NativeHolder = z.infer<typeof holderSchema>;
export type ManifestKey = z.infer<typeof manifestKeySchema>;
export type Canary = z.infer<typeof canarySchema>;
