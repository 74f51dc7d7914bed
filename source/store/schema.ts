/**
 * What the sd-drill store keeps, as zod schemas: read back and validated on every load, so a
 * hand-edited or damaged file is set aside instead of being trusted. Nothing here is secret:
 * key fingerprints, names, dates, verdicts and the paths of the report files.
 */
import * as z from 'zod';

const isoDate = z.iso.datetime({offset: true});
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 fingerprint (64 hex digits)');

export const DrillRecordSchema = z.object({
  id: z.string().min(1),
  domainId: z.string().nullable(),
  domainFile: z.string(),
  domainName: z.string().nullable(),
  date: isoDate,
  mode: z.enum(['rehearsal', 'restore', 'onboarding', 'rotation', 'compromise']).nullable(),
  verdict: z.enum(['pass', 'fail', 'aborted']),
  durationMs: z.number().int().nonnegative(),
  /** Paths of the report files, when they were written. */
  reportJson: z.string().nullable(),
  reportMarkdown: z.string().nullable(),
  /** The report's Ed25519 public key (base64, raw 32 bytes); null for an unsigned report. */
  publicKey: z.string().nullable(),
});
export type DrillRecord = z.infer<typeof DrillRecordSchema>;

export const RegistryEntrySchema = z.object({
  fingerprint: hex64,
  custodian: z.string().trim().min(1),
  role: z.string().trim().min(1),
  location: z.string().nullable().default(null),
  since: isoDate,
});
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;
export type RegistryInput = z.input<typeof RegistryEntrySchema>;

export const CustodyEntrySchema = z.object({
  date: isoDate,
  fingerprint: hex64.nullable().default(null),
  from: z.string().trim().min(1),
  to: z.string().trim().min(1),
  note: z.string().nullable().default(null),
});
export type CustodyEntry = z.infer<typeof CustodyEntrySchema>;
export type CustodyInput = z.input<typeof CustodyEntrySchema>;

export const DEFAULT_SETTINGS = {
  reviewDays: 90,
  rtoMinutes: 60,
  idleMinutes: 10,
  reportDir: './drill-reports',
} as const;

export const SettingsSchema = z.object({
  reviewDays: z.number().int().min(1).max(3650).default(DEFAULT_SETTINGS.reviewDays),
  rtoMinutes: z.number().int().min(1).max(10080).default(DEFAULT_SETTINGS.rtoMinutes),
  idleMinutes: z.number().int().min(1).max(1440).default(DEFAULT_SETTINGS.idleMinutes),
  reportDir: z.string().min(1).default(DEFAULT_SETTINGS.reportDir),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** One file each, so a damaged history does not take the holder registry with it. */
export const HistoryFileSchema = z.object({
  version: z.literal(1).default(1),
  drills: z.array(DrillRecordSchema).default([]),
});
export const HoldersFileSchema = z.object({
  version: z.literal(1).default(1),
  holders: z.array(RegistryEntrySchema).default([]),
});
export const CustodyFileSchema = z.object({
  version: z.literal(1).default(1),
  custody: z.array(CustodyEntrySchema).default([]),
});
export const SettingsFileSchema = z.object({
  version: z.literal(1).default(1),
  settings: SettingsSchema.default(() => SettingsSchema.parse({})),
});

/** Fingerprints are compared as lower-case hex without separators (`AB:CD…` → `abcd…`). */
export function normaliseFingerprint(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/^sha-?256:/, '')
    .replace(/[\s:]/g, '');
}

/** Custodian names are compared case-insensitively, trimmed and with inner spaces collapsed. */
export function sameCustodian(a: string, b: string): boolean {
  return custodianKey(a) === custodianKey(b);
}
export function custodianKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}
