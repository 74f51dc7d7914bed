/**
 * Where a solo check finds the commitment it compares a holder's share with, and what each
 * place says about it: this machine's store (the proofs it recorded), a signed report given
 * with --report, a native file's header (version 3). Pure: the caller reads the files.
 *
 * A place either has a commitment for the slot that matches, one that differs, or none. When
 * a commitment on record differs, the other slots' sealed shares, recorded beside it, tell a
 * file in which only this slot changed (a swapped share: the file must not be trusted) from
 * another file of the domain altogether (every share differs: rotated since, or replaced).
 */
import type {CommitmentSet} from '../domain/commitment.js';
import type {ProofKind} from '../store/proofs.js';

/** What a commitment on record came from, for the result line. */
export interface Provenance {
  source: 'store' | 'report' | 'header';
  /** How the share was proven; `header`: written by init or a rotation, signed by the key. */
  by: ProofKind | 'written';
  /** When (ISO), where known. */
  at: string | null;
  /** The drill's report id, where there is one. */
  ref: string | null;
  generation: number;
}

export type Verdict =
  | {kind: 'match'; provenance: Provenance; later?: Provenance}
  | {kind: 'differs'; provenance: Provenance; swapped: boolean}
  | {kind: 'none'};

/** A commitment set with where it came from (a store record, a report's section). */
export interface SourcedSet {
  set: CommitmentSet;
  provenance: Provenance;
}

export interface Slot {
  domain: string;
  generation: number;
  index: number;
  /** This file's sealed shares by slot (../domain/commitment.ts sealedDigests). */
  sealed: ReadonlyMap<number, string>;
}

/**
 * Compares the share's commitment with the sets one place has for this slot (oldest first).
 * The latest matching set is the one named; a later set that proved another share for this
 * slot is passed on (`later`) for the caller to weigh.
 */
export function judge(commitment: string, slot: Slot, sets: readonly SourcedSet[]): Verdict {
  const forSlot = sets.filter(
    (s) =>
      s.set.domain === slot.domain &&
      s.set.generation === slot.generation &&
      s.set.shares.some((x) => x.holder === slot.index && x.commitment !== null),
  );
  const commitmentIn = (s: SourcedSet) =>
    s.set.shares.find((x) => x.holder === slot.index)?.commitment ?? null;
  const matching = forSlot.filter((s) => commitmentIn(s) === commitment);
  const last = matching[matching.length - 1];
  if (last) {
    const after = forSlot.slice(forSlot.indexOf(last) + 1);
    const later = after.filter((s) => commitmentIn(s) !== commitment).pop();
    return {
      kind: 'match',
      provenance: last.provenance,
      ...(later ? {later: later.provenance} : {}),
    };
  }
  const latest = forSlot[forSlot.length - 1];
  if (!latest) return {kind: 'none'};
  return {kind: 'differs', provenance: latest.provenance, swapped: onlyThisSlot(slot, latest.set)};
}

/**
 * Did only this slot change since the set was proven? The other slots' sealed shares are the
 * same bytes as then. When every other slot differs too, the file is another of the domain's.
 */
function onlyThisSlot(slot: Slot, set: CommitmentSet): boolean {
  const others = set.shares.filter((s) => s.holder !== slot.index);
  if (others.length === 0) return true;
  const same = others.filter((s) => slot.sealed.get(s.holder) === s.sealed).length;
  return same > 0;
}

const DATE = (at: string | null): string => (at ? at.slice(0, 10) : 'an unknown date');

/** "the drill of 2025-03-01 (report 20250301-…)" and the like. */
export function provenanceWords(p: Provenance): string {
  const ref = p.ref ? ` (report ${p.ref})` : '';
  switch (p.by) {
    case 'drill':
      return `the share proven at the drill of ${DATE(p.at)}${ref}`;
    case 'rotation':
      return `the share proven at the rotation ceremony of ${DATE(p.at)}${ref}`;
    case 'verify':
      return `the share proven by verify on ${DATE(p.at)}`;
    case 'verify-all':
      return `the share proven by verify --all on ${DATE(p.at)}`;
    case 'rotate':
      return `the share proven when rotate opened this file on ${DATE(p.at)}`;
    case 'check':
    case 'attestation':
      return `the share checked on ${DATE(p.at)}`;
    case 'written':
      return p.generation > 1
        ? `the share the rotation to generation ${p.generation} wrote, signed with the domain's report key`
        : `the share init wrote (generation ${p.generation}), signed with the domain's report key`;
  }
}

/** How strong a provenance is: a quorum's proof beats a writer's word. */
export function rank(p: Provenance): number {
  const order: Record<Provenance['by'], number> = {
    drill: 6,
    rotation: 6,
    'verify-all': 5,
    verify: 4,
    rotate: 4,
    written: 2,
    check: 1,
    attestation: 1,
  };
  return order[p.by] * 10 + (p.source === 'report' ? 1 : 0);
}
