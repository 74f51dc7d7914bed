/**
 * Questions asked of the store's proofs (./proofs-schema.ts): the commitments on record for a
 * domain's slot, and when each holder last proved their key. Pure functions; the store reads
 * and writes the file under its lock.
 */
import type {CommitmentRecord, HolderProofRecord, ProofsFile} from './proofs-schema.js';

export type {CommitmentRecord, HolderProofRecord, ProofKind, ProofsFile} from './proofs-schema.js';

/** Commitment sets kept per domain: the latest, enough to span many rotations. */
export const SETS_KEPT_PER_DOMAIN = 20;

const sameSet = (a: CommitmentRecord, b: CommitmentRecord): boolean =>
  a.domain === b.domain &&
  a.generation === b.generation &&
  a.fileSha256 === b.fileSha256 &&
  a.by === b.by &&
  a.ref === b.ref &&
  a.shares.length === b.shares.length &&
  a.shares.every((s, i) => s.commitment === b.shares[i]?.commitment);

/** The file with `record` added (the same proof twice is kept once); old sets pruned. */
export function withCommitments(file: ProofsFile, record: CommitmentRecord): ProofsFile {
  const kept = file.commitments.filter((r) => !sameSet(r, record));
  const all = [...kept, record];
  const ofDomain = all.filter((r) => r.domain === record.domain);
  const drop = new Set(ofDomain.slice(0, Math.max(0, ofDomain.length - SETS_KEPT_PER_DOMAIN)));
  return {...file, commitments: all.filter((r) => !drop.has(r))};
}

const holderKey = (p: HolderProofRecord): string => `${p.domain} ${p.fingerprint}`;

/** The file with each holder's proof taking the place of an older one for the same domain. */
export function withHolderProofs(
  file: ProofsFile,
  proofs: readonly HolderProofRecord[],
): ProofsFile {
  const latest = new Map(file.holders.map((p) => [holderKey(p), p] as const));
  for (const p of proofs) {
    const before = latest.get(holderKey(p));
    if (!before || Date.parse(before.at) <= Date.parse(p.at)) latest.set(holderKey(p), p);
  }
  return {...file, holders: [...latest.values()]};
}

/** A holder's last proof: for this domain when given, else of their key for any domain. */
export function lastProofOf(
  holders: readonly HolderProofRecord[],
  fingerprint: string,
  domain?: string,
): HolderProofRecord | undefined {
  const fp = fingerprint.toLowerCase();
  return holders
    .filter((p) => p.fingerprint === fp && (domain === undefined || p.domain === domain))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
}

/** The commitment sets on record for a domain, oldest first. */
export function setsOf(
  commitments: readonly CommitmentRecord[],
  domain: string,
): CommitmentRecord[] {
  return commitments
    .filter((r) => r.domain === domain)
    .sort((a, b) => Date.parse(a.provenAt) - Date.parse(b.provenAt));
}

const KIND_WORDS: Record<HolderProofRecord['by'], string> = {
  drill: 'a drill',
  verify: 'verify',
  'verify-all': 'verify --all',
  rotation: 'a rotation ceremony',
  rotate: 'rotate (old quorum)',
  check: 'a solo check',
  attestation: 'a solo check (attestation)',
};

/** "2025-03-01 by a drill (20250301-101500-3f9a1c)" */
export function proofWords(p: Pick<HolderProofRecord, 'at' | 'by' | 'ref'>): string {
  return `${p.at.slice(0, 10)} by ${KIND_WORDS[p.by]}${p.ref ? ` (${p.ref})` : ''}`;
}

/**
 * How the proofs name a loaded domain: native by its id; Azure by its EncData's digest, here
 * found through a proof of the same file (or given, where the domain's description has it).
 */
export function proofDomainOf(
  d: {format: 'native' | 'azure'; id?: string; sha256?: string; encDataSha256?: string},
  commitments: readonly CommitmentRecord[],
): string | undefined {
  if (d.format === 'native') return d.id ? `native:${d.id}` : undefined;
  if (d.encDataSha256) return `azure:${d.encDataSha256}`;
  return commitments.find((r) => r.fileSha256 !== null && r.fileSha256 === d.sha256)?.domain;
}

export interface HolderStanding {
  holder: number;
  fingerprint: string;
  last?: HolderProofRecord;
  /** Not proven within the review interval (or never). */
  overdue: boolean;
}

/**
 * Per domain proven on this machine: each holder (the slots of its latest proof, and any
 * holder with a proof of their own) with their last proof and whether it is overdue.
 */
export function holderStandings(
  file: ProofsFile,
  now: number,
  reviewDays: number,
): Array<{domain: string; label: string; holders: HolderStanding[]}> {
  const domains = [...new Set([...file.commitments, ...file.holders].map((r) => r.domain))];
  return domains.map((domain) => {
    const latest = setsOf(file.commitments, domain).pop();
    const slots = new Map<string, number>();
    for (const s of latest?.shares ?? []) slots.set(s.fingerprint, s.holder);
    for (const p of file.holders.filter((h) => h.domain === domain))
      if (!slots.has(p.fingerprint)) slots.set(p.fingerprint, p.holder);
    const holders = [...slots.entries()]
      .map(([fingerprint, holder]) => {
        const last = lastProofOf(file.holders, fingerprint, domain);
        const overdue = !last || now - Date.parse(last.at) > reviewDays * 24 * 60 * 60 * 1000;
        return {holder, fingerprint, ...(last ? {last} : {}), overdue};
      })
      .sort((a, b) => a.holder - b.holder);
    const label = latest?.label ?? file.holders.find((h) => h.domain === domain)?.label ?? domain;
    return {domain, label, holders};
  });
}
