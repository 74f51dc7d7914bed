/**
 * The pinned domain keys' file, as zod reads it (./pins.ts says what a pin means). Apart from
 * the pure functions, so that \`verify\` — which only compares keys — does not load zod's
 * classic API.
 */
import {existsSync} from 'node:fs';
import * as z from 'zod';
import {readSmallFileSync} from '../fs/read-file.js';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest (64 hex digits)');
export const reportKeySchema = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a base64 Ed25519 key');

export const DomainPinSchema = z
  .object({
    reportKey: reportKeySchema,
    /** A name for people: the HSM's name, else the domain id, else the first file's name. */
    label: z.string().min(1),
    format: z.enum(['native', 'azure']),
    /** The HSM names its files carry (native); a record made before names were kept has its label. */
    names: z.array(z.string().min(1)).optional(),
    domainIds: z.array(z.string().min(1)).default([]),
    /** Azure: SHA-256 of each file's EncData (the domain itself; a rotation keeps it). */
    encDataSha256s: z.array(hex64).default([]),
    fileSha256s: z.array(hex64).default([]),
    /** Each file's holders' certificates: shown, never an identity (HSMs may share holders). */
    holderSets: z.array(hex64).default([]),
    pinnedAt: z.iso.datetime({offset: true}),
    /** What pinned it: a drill's id, or a rotation. */
    pinnedBy: z.string().min(1),
    /**
     * header: a native file's header key, recorded at the domain's first passing drill here;
     * first-use: an Azure (or v1) file's key, pinned at its first passing drill here;
     * rotation: a record made by a rotation. Either way the first record was confirmed by a
     * person (on screen, or a plan's `pinFirstUse`), unless it predates that rule.
     */
    source: z.enum(['header', 'first-use', 'rotation']),
  })
  .transform((p) => ({...p, names: p.names ?? (p.format === 'native' ? [p.label] : [])}));
export type DomainPin = z.infer<typeof DomainPinSchema>;

export const PinsFileSchema = z.object({
  version: z.literal(1).default(1),
  domains: z.array(DomainPinSchema).default([]),
});

/**
 * The pins as a read-only command sees them, straight from their file (conf, which loads and
 * checks all five of the store's files, costs \`verify\` ~50 ms it need not pay to compare one
 * key). A file that is missing pins nothing; one that is damaged is the store's to set aside
 * (the next drill does), and pins nothing here either — said in `problem`.
 */
export function readPins(file: string): {pins: DomainPin[]; problem?: string} {
  const bytes = readSmallFileSync(file, 16 * 1024 * 1024, 'pinned-keys file');
  if (!bytes.ok)
    return bytes.error.reason === 'unreadable' && !existsSync(file)
      ? {pins: []}
      : {pins: [], problem: bytes.error.message};
  let json: unknown;
  try {
    json = JSON.parse(bytes.value.toString('utf8'));
  } catch {
    return {pins: [], problem: `${file}: is not valid JSON; no domain key is pinned from it`};
  }
  const parsed = PinsFileSchema.safeParse(json);
  return parsed.success
    ? {pins: parsed.data.domains}
    : {
        pins: [],
        problem: `${file}: is not a valid pinned-keys file; no domain key is pinned from it`,
      };
}
