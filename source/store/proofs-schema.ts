/**
 * The store's record of what holders proved (`proofs.json`): the share commitments each
 * authenticated reconstruction made (../domain/commitment.ts), and each holder's last proof
 * of their key. Nothing secret: digests, fingerprints, dates, report ids.
 */
import * as z from 'zod';

const isoDate = z.iso.datetime({offset: true});
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest (64 hex digits)');
const holderIndex = z.number().int().min(1).max(10);

export const ShareCommitmentSchema = z.object({
  holder: holderIndex,
  fingerprint: hex64,
  sealed: hex64,
  commitment: hex64.nullable(),
});

export const CommitmentSetSchema = z.object({
  domain: z
    .string()
    .regex(/^(native:[0-9a-f-]{36}|azure:[0-9a-f]{64})$/, 'native:<id> or azure:<EncData sha-256>'),
  format: z.enum(['native', 'azure']),
  generation: z.number().int().min(0).max(1_000_000),
  fileSha256: hex64.nullable(),
  shares: z.array(ShareCommitmentSchema).min(1).max(10),
});
export type CommitmentSetRecord = z.infer<typeof CommitmentSetSchema>;

/** How a holder's key was last shown to work. */
export const PROOF_KINDS = [
  'drill',
  'verify',
  'verify-all',
  'rotation',
  'rotate',
  'check',
  'attestation',
] as const;
export type ProofKind = (typeof PROOF_KINDS)[number];

export const CommitmentRecordSchema = CommitmentSetSchema.extend({
  /** A name for people: the HSM's name, else the file. */
  label: z.string().min(1).max(300),
  /** The report key the reconstruction derived (the key the domain is pinned by). */
  reportKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/)
    .nullable(),
  provenAt: isoDate,
  by: z.enum(PROOF_KINDS),
  /** The drill's report id, where a report was written. */
  ref: z.string().max(200).nullable(),
});
export type CommitmentRecord = z.infer<typeof CommitmentRecordSchema>;

export const HolderProofSchema = z.object({
  domain: CommitmentSetSchema.shape.domain,
  label: z.string().min(1).max(300),
  holder: holderIndex,
  fingerprint: hex64,
  at: isoDate,
  by: z.enum(PROOF_KINDS),
  ref: z.string().max(200).nullable(),
});
export type HolderProofRecord = z.infer<typeof HolderProofSchema>;

export const ProofsFileSchema = z.object({
  version: z.literal(1).default(1),
  commitments: z.array(CommitmentRecordSchema).default([]),
  holders: z.array(HolderProofSchema).default([]),
});
export type ProofsFile = z.infer<typeof ProofsFileSchema>;
