/**
 * The drill report, shaped like an after-action report (NIST SP 800-84): scope, objectives,
 * participants, timeline, findings, recommendations, verdict, restore results and a proof of
 * recovery. The JSON file is the record (validated here on read); the Markdown renders it.
 * It never carries a passphrase, private key, share or domain secret.
 */
import * as z from 'zod';
import {CompromiseReportSchema} from './compromise-schema.js';

export const REPORT_SCHEMA_VERSION = 1;

const isoDate = z.iso.datetime({offset: true});
const nonNegInt = z.number().int().nonnegative();

export const FINDING_RULES = [
  'quorum-size',
  'holders-count',
  'key-size',
  'custodian-holds-quorum',
  'key-not-on-removable-media',
  'same-device-multiple-keys',
  'review-overdue',
  'holder-absent',
  'passphrase-failures',
  'share-corrupt',
  'cert-missing',
  'rto-exceeded',
  'domain-key-mismatch',
  'duplicate-wrapping-key',
  'share-damaged',
  'rotation-destroy-pending',
  'quorum-at-one-site',
  'roles-not-separate',
  'keys-not-migrated',
  'quorum-lowered',
  'custodian-mismatch',
  'duplicate-share',
] as const;
export type FindingRule = (typeof FINDING_RULES)[number];

export const FindingSchema = z.object({
  rule: z.enum(FINDING_RULES),
  severity: z.enum(['error', 'warning', 'info']),
  /** One sentence with the facts. */
  evidence: z.string().min(1),
  /** What to do about it. */
  remedy: z.string().min(1),
});
export type Finding = z.infer<typeof FindingSchema>;
export type Severity = Finding['severity'];

export const StickSchema = z.object({
  path: z.string(),
  label: z.string(),
  source: z.enum(['mount', 'folder']),
  removable: z.boolean().nullable(),
  device: z.string().nullable(),
});

export const ParticipantSchema = z.object({
  holderIndex: nonNegInt,
  holderName: z.string().nullable(),
  fingerprint: z.string(),
  bits: nonNegInt.nullable(),
  custodian: z.string().nullable(),
  role: z.string().nullable(),
  /**
   * `drill`: named at the machine; `confirmed`: the holder registry's custodian, confirmed at the
   * machine with one key; `practice`: an onboarding practice stand-in (nobody keeps it);
   * `registry`: from the holder registry (not present).
   */
  custodianSource: z.enum(['drill', 'confirmed', 'practice', 'registry']).nullable(),
  keyFile: z.string().nullable(),
  stick: StickSchema.nullable(),
  presentedAt: isoDate.nullable(),
  outcome: z.enum(['accepted', 'absent', 'failed', 'waiting']),
  passphraseFailures: nonNegInt,
  certMissing: z.boolean().nullable(),
  matchedBy: z.enum(['certificate', 'public-key', 'trial-decryption']).nullable(),
  note: z.string().nullable(),
  /** A holder at another site, called with a request (optional: older reports lack it). */
  remote: z.boolean().optional(),
  /** Their sealed contribution, once accepted: the file's SHA-256 and when it was accepted. */
  contribution: z.object({sha256: z.string(), acceptedAt: isoDate}).nullable().optional(),
});
export type Participant = z.infer<typeof ParticipantSchema>;

export const TimelineStepSchema = z.object({
  step: z.string(),
  title: z.string(),
  start: isoDate,
  end: isoDate,
  durationMs: nonNegInt,
  outcome: z.enum(['completed', 'failed', 'aborted', 'in-progress']),
});

export const RestoreResultsSchema = z.object({
  keysExpected: nonNegInt,
  keysRestored: nonNegInt,
  canaries: z.object({total: nonNegInt, passed: nonNegInt}),
  blobs: z.array(z.object({tag: z.string(), bytes: nonNegInt, sha256: z.string()})),
  restoreBlobFile: z.string().nullable(),
  /**
   * Restore mode with --exchange-key: the blob written for the operator's new HSM, its SHA-256,
   * the exchange certificate it is wrapped to (WrappedKey.x5t_256) and the upload command.
   * When present, the counts above are the simulated HSM's rehearsal of that upload.
   */
  restoreBlob: z
    .object({file: z.string(), sha256: z.string(), x5t256: z.string(), upload: z.string()})
    .nullable()
    .optional(),
  verified: z.boolean(),
  mismatched: z.array(z.string()),
});
export type RestoreResults = z.infer<typeof RestoreResultsSchema>;

const HolderRefSchema = z.object({
  holder: nonNegInt,
  name: z.string().nullable(),
  fingerprint: z.string(),
});

/**
 * A rotation (mode `rotation`): the old file and the new one, who was kept, added and
 * departed (by public key where known, else by certificate), each new holder's proof that
 * their key opens their share of the new file, and what must now be destroyed.
 */
export const RotationReportSchema = z.object({
  from: z.object({
    file: z.string(),
    sha256: z.string().nullable(),
    required: nonNegInt,
    total: nonNegInt,
  }),
  to: z
    .object({
      file: z.string(),
      sha256: z.string().nullable(),
      required: nonNegInt,
      total: nonNegInt,
      generation: nonNegInt.nullable(),
    })
    .nullable(),
  kept: z.array(
    z.object({
      from: HolderRefSchema,
      to: HolderRefSchema,
      by: z.enum(['certificate', 'public-key']),
    }),
  ),
  added: z.array(HolderRefSchema),
  departed: z.array(HolderRefSchema.extend({knownBy: z.enum(['public-key', 'certificate'])})),
  proofs: z.array(
    HolderRefSchema.extend({
      outcome: z.enum(['proven', 'not-proven']),
      custodian: z.string().nullable(),
      role: z.string().nullable(),
      keyFile: z.string().nullable(),
      stick: StickSchema.nullable(),
      note: z.string().nullable(),
    }),
  ),
  destroy: z.array(
    z.object({
      what: z.enum(['domain-file', 'wrapping-key']),
      text: z.string(),
      fingerprint: z.string().nullable(),
      file: z.string().nullable(),
      sha256: z.string().nullable(),
      /** Who holds it until it is destroyed: the custodian, or the quorum for the file. */
      custodian: z.string(),
      /** How to record the destruction once done. */
      record: z.string(),
    }),
  ),
});
export type RotationReport = z.infer<typeof RotationReportSchema>;

export const ProofSchema = z.discriminatedUnion('signed', [
  z.object({
    signed: z.literal(true),
    algorithm: z.literal('Ed25519'),
    /** The raw 32-byte Ed25519 public key, base64: the same for every drill of a domain. */
    publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a base64 Ed25519 public key'),
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'a base64 Ed25519 signature'),
  }),
  z.object({signed: z.literal(false), reason: z.string().min(1)}),
]);
export type Proof = z.infer<typeof ProofSchema>;

export const DrillReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({name: z.literal('sd-drill'), version: z.string()}),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a drill id (letters, digits, . _ -)'),
  generatedAt: isoDate,
  startedAt: isoDate,
  endedAt: isoDate,
  durationMs: nonNegInt,
  scope: z.object({
    domain: z
      .object({
        format: z.enum(['native', 'azure']),
        file: z.string(),
        name: z.string().nullable(),
        id: z.string().nullable(),
        created: z.string().nullable(),
        quorum: z.object({required: nonNegInt, total: nonNegInt}),
        /** SHA-256 of the domain file the drill ran on (`report verify --sd` compares it). */
        sha256: z.string().nullable().optional(),
        /** Native version 2: the domain's generation (one higher at every rotation). */
        generation: nonNegInt.nullable().optional(),
        /** Azure: SHA-256 of the file's EncData, the domain itself (`report verify` compares it). */
        encDataSha256: z.string().nullable().optional(),
        holders: z.array(
          z.object({
            index: nonNegInt,
            name: z.string().nullable(),
            fingerprint: z.string(),
            bits: nonNegInt.nullable(),
          }),
        ),
      })
      .nullable(),
    mode: z.enum(['rehearsal', 'restore', 'onboarding', 'rotation', 'compromise']).nullable(),
    scenario: z.enum(['destroyed', 'purged', 'archived-and-deleted']).nullable(),
    newHsm: z.object({id: z.string(), exchangeFingerprint: z.string()}).nullable(),
    /**
     * Restore mode with --exchange-key: the operator's new HSM, known by its exchange
     * certificate (x5t#S256 = the restore blob's WrappedKey.x5t_256; SHA-256 in hex). `newHsm`
     * is then the simulated HSM the upload was rehearsed into.
     */
    exchangeCertificate: z
      .object({file: z.string(), x5t256: z.string(), sha256: z.string()})
      .nullable()
      .optional(),
    /** Onboarding: the newcomer whose own key must open their own share. */
    newcomer: z.object({holder: z.string(), certFingerprint: z.string()}).nullable(),
  }),
  objectives: z.array(z.string()),
  participants: z.array(ParticipantSchema),
  timeline: z.array(TimelineStepSchema),
  findings: z.array(FindingSchema),
  recommendations: z.array(z.string()),
  verdict: z.enum(['pass', 'fail', 'aborted']),
  verdictReason: z.string(),
  reconstruction: z
    .object({
      ok: z.boolean(),
      usedHolders: z.array(nonNegInt),
      badShares: z.array(z.object({holderIndex: nonNegInt, reason: z.string()})),
      message: z.string().nullable(),
    })
    .nullable(),
  restore: RestoreResultsSchema.nullable(),
  /**
   * The report key the reconstruction derived and how it was pinned at drill time: by the
   * file's header, by this machine's record, or first use (an Azure file's first pass).
   */
  identity: z
    .object({
      reportKey: z.string(),
      pinnedBy: z.enum(['header', 'store', 'first-use']).nullable(),
      mismatch: z.string().nullable(),
      /** The drill's machine already had this domain's key on record. */
      recorded: z.boolean().optional(),
      /** It had not: whether the operator pinned the key at this first use, and when. */
      firstPin: z.object({pinned: z.boolean(), at: isoDate}).nullable().optional(),
    })
    .nullable()
    .optional(),
  /** Rotation only; absent from reports of other uses and from older reports. */
  rotation: RotationReportSchema.nullable().optional(),
  /** Compromise rehearsal only: the move to a new HSM (./compromise-schema.ts). */
  compromise: CompromiseReportSchema.nullable().optional(),
  proof: ProofSchema,
});
export type DrillReport = z.infer<typeof DrillReportSchema>;
export type ReportTimelineStep = z.infer<typeof TimelineStepSchema>;

/** What each kind of drill sets out to show, for the report's objectives. */
export function objectivesFor(
  mode: 'rehearsal' | 'restore' | 'onboarding' | 'rotation' | 'compromise' | null,
  required: number | null,
  total: number | null,
  /** Restore mode: an Azure domain's restore is a blob for the operator's HSM, not a restored HSM. */
  format?: 'native' | 'azure',
): string[] {
  const q = required !== null && total !== null ? `${required} of ${total}` : 'a quorum of';
  switch (mode) {
    case 'restore':
      return [
        `reconstruct the security domain from ${q} holders`,
        format === 'azure'
          ? 'write the restore blob for the new HSM, wrapped to its exchange certificate, and rehearse its upload into a simulated HSM, every data blob verified'
          : "restore every key into sd-drill's simulated HSM and verify it before it returns to service",
        'keep the wrapping private keys on the offline machine throughout',
        'record custodians and hand-offs',
      ];
    case 'rotation':
      return [
        `open the domain with ${q} of its current holders`,
        "write the same domain to a new file wrapped to the new holders' certificates",
        'show that every new holder’s key opens their share of the new file',
        'list what must now be destroyed: every copy of the old file and the departed holders’ keys',
      ];
    case 'compromise':
      return [
        `bring the old instance up with ${q} of its holders (simulated: a real old HSM is still running)`,
        "provision a new HSM with a new security domain wrapped to its holders' certificates, and show that every holder's key opens their share",
        "migrate every key: re-protect each key's data under a new key in the new HSM and check it there",
        'purge the old instance only once every key is migrated, and time each phase against the recovery time objective',
      ];
    case 'onboarding':
      return [
        "enrol the newcomer's wrapping key and show that it opens their own share",
        `practise the ceremony on a practice domain: ${q} holders reconstruct it`,
        'record custodians and hand-offs',
      ];
    default:
      return [
        `prove ${q} holders can reconstruct the domain`,
        'restore every key into a new HSM and verify',
        'record custodians and hand-offs',
      ];
  }
}
