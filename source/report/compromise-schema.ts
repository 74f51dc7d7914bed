/**
 * The shape of a compromise rehearsal's section of the report (./compromise.ts builds it):
 * apart from the report model so that the model can include it without the builder.
 */
import * as z from 'zod';

const nonNegInt = z.number().int().nonnegative();
const ref = z.object({holder: nonNegInt, name: z.string().nullable(), fingerprint: z.string()});

export const CompromiseReportSchema = z.object({
  /** The compromised domain, and the report key its quorum derived. */
  from: z.object({
    file: z.string(),
    sha256: z.string().nullable(),
    id: z.string().nullable(),
    name: z.string().nullable(),
    reportKey: z.string().nullable(),
    required: nonNegInt,
    total: nonNegInt,
  }),
  /** The new HSM's security domain (this report is signed with its key). */
  to: z
    .object({
      file: z.string(),
      sha256: z.string().nullable(),
      id: z.string().nullable(),
      name: z.string().nullable(),
      reportKey: z.string().nullable(),
      required: nonNegInt,
      total: nonNegInt,
      holders: z.array(ref),
    })
    .nullable(),
  lost: z.array(ref),
  kept: z.array(z.object({from: ref, to: ref, by: z.enum(['certificate', 'public-key'])})),
  added: z.array(ref),
  proofs: z.array(
    ref.extend({
      outcome: z.enum(['proven', 'not-proven']),
      custodian: z.string().nullable(),
      role: z.string().nullable(),
      keyFile: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
  migration: z
    .object({
      total: nonNegInt,
      tried: nonNegInt,
      migrated: nonNegInt,
      failed: nonNegInt,
      records: z.object({total: nonNegInt, verified: nonNegInt}),
      keys: z.array(
        z.object({
          name: z.string(),
          version: nonNegInt,
          type: z.enum(['rsa', 'ec', 'aes']),
          outcome: z.enum(['migrated', 'failed']),
          records: nonNegInt,
          verified: nonNegInt,
          newKey: z.string().nullable(),
          reason: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
  oldPurged: z.boolean(),
  /** What a purge of the old HSM now would lose: each key not migrated and checked. */
  atRisk: z.array(z.string()),
  phases: z.array(z.object({phase: z.string(), durationMs: nonNegInt})),
  rto: z.object({minutes: nonNegInt, totalMs: nonNegInt, within: z.boolean()}),
  checklist: z.array(z.object({item: z.string(), record: z.string()})),
});
export type CompromiseReport = z.infer<typeof CompromiseReportSchema>;
