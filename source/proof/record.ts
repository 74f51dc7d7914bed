/**
 * Recording a proof in the store: the share commitments an authenticated reconstruction made
 * (../domain/commitment.ts) and, for each holder whose share it proved, the date of their
 * last proof. `verify`, `verify --all`, `rotate`, the drill, a solo `check` and an imported
 * attestation all come through here. A store that cannot be written costs a warning, never
 * the result: the proof happened whether or not it was recorded.
 */
import {commitmentSet, provenShares, type CommitmentSet} from '../domain/commitment.js';
import type {OpenedShare, ReconstructedDomain} from '../domain/format.js';
import type {OpenedDomain} from '../domain/open.js';
import {SdError} from '../errors.js';
import type {CommitmentRecord, HolderProofRecord, ProofKind} from '../store/proofs.js';
import type {Store} from '../store/store.js';

export interface ProofMeta {
  /** A name for people: the HSM's name, else the file. */
  label: string;
  /** The report key the reconstruction derived; null for a solo check (no reconstruction). */
  reportKey: string | null;
  at: string;
  by: ProofKind;
  /** The drill's report id, where there is one. */
  ref: string | null;
}

/** What a proof adds to the store: its commitment set and one record per proven holder. */
export function proofRecords(
  set: CommitmentSet,
  meta: ProofMeta,
): {commitments: CommitmentRecord; holders: HolderProofRecord[]} {
  const label = meta.label.slice(0, 300);
  return {
    commitments: {
      ...set,
      shares: set.shares.map((s) => ({...s})),
      ...meta,
      label,
      provenAt: meta.at,
    },
    holders: set.shares
      .filter((s) => s.commitment !== null)
      .map((s) => ({
        domain: set.domain,
        label,
        holder: s.holder,
        fingerprint: s.fingerprint,
        at: meta.at,
        by: meta.by,
        ref: meta.ref,
      })),
  };
}

/**
 * Records the proof; returns a warning to show when the store could not take it. Without an
 * open store the proofs file is written directly (../store/proofs-file.ts): a command that
 * only records a proof does not load the whole store.
 */
export async function recordProof(
  set: CommitmentSet,
  meta: ProofMeta,
  store?: Store,
): Promise<string | undefined> {
  const {commitments, holders} = proofRecords(set, meta);
  try {
    if (!store) {
      const {appendProofs} = await import('../store/proofs-file.js');
      const warnings = appendProofs(commitments, holders);
      return warnings.length > 0 ? warnings.join('; ') : undefined;
    }
    const r = store.recordProofs(commitments, holders);
    const warnings = store.warnings.splice(0);
    if (!r.ok) return `the proof was not recorded in the store: ${r.error.message}`;
    return warnings.length > 0 ? warnings.join('; ') : undefined;
  } catch (error) {
    if (!(error instanceof SdError)) throw error;
    return `the proof was not recorded in the store: ${error.message}`;
  }
}

/**
 * After an authenticated reconstruction of `opened` (its key checked against the pins): the
 * commitment set of the shares it proved, recorded. Returns the holders proven and a warning.
 */
export async function recordReconstruction(
  opened: OpenedDomain,
  shares: readonly OpenedShare[],
  reconstructed: ReconstructedDomain,
  meta: Omit<ProofMeta, 'label' | 'reportKey'>,
): Promise<{proven: number[]; warning?: string}> {
  const proven = provenShares(opened.format, shares, reconstructed);
  const set = commitmentSet(opened, proven);
  const d = opened.domain.describe();
  const warning = await recordProof(set, {
    ...meta,
    label: d.name ?? d.file,
    reportKey: reconstructed.reportKey,
  });
  return {proven: proven.map((s) => s.holder.index), ...(warning ? {warning} : {})};
}
