/**
 * The finding `holder-unproven`: each holder of the domain who has not proved their key —
 * at a drill, by `verify --all`, in a rotation or alone with `sd-drill check` — within the
 * review interval (the same 90 days as the domain's review, by default). A key nobody has
 * opened for months is a key that may not open on the day: the inspect screen says so before
 * a drill starts, and a holder can clear it alone, without gathering a quorum.
 */
import type {CeremonyState} from '../ceremony/types.js';
import {DAY_MS, plural} from '../store/history.js';
import {lastProofOf, proofWords, type HolderProofRecord} from '../store/proofs.js';
import type {Finding} from './model.js';

export interface ProofContext {
  /** Each holder's last proof, from the store. */
  proofs?: readonly HolderProofRecord[];
  /** The domain as the proofs name it ("native:<id>", "azure:<EncData sha-256>"), if known. */
  proofDomain?: string;
  settings: {reviewDays: number};
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const label = (h: {index: number; name?: string}): string =>
  h.name ? `holder ${h.index} (${h.name})` : `holder ${h.index}`;

/** Holders whose shares this drill proved: they count as proven at its start. */
function provenHere(state: CeremonyState): Set<number> {
  const r = state.reconstruction;
  if (!r?.ok) return new Set();
  const bad = new Set(r.badShares.map((b) => b.holderIndex));
  return new Set(
    state.holders.filter((h) => h.state === 'accepted' && !bad.has(h.index)).map((h) => h.index),
  );
}

export function holderUnproven(state: CeremonyState, ctx: ProofContext): Finding[] {
  const d = state.domain;
  // A rehearsal or a restore of the domain: onboarding drills a throw-away practice domain, a
  // rotation and a compromise replace the holders (each proves the new ones itself).
  const reviewed =
    state.mode === undefined || state.mode === 'rehearsal' || state.mode === 'restore';
  if (!d || !ctx.proofs || !reviewed) return [];
  const days = ctx.settings.reviewDays;
  const at = state.startedAt;
  const here = provenHere(state);
  const never: string[] = [];
  const stale: string[] = [];
  for (const h of d.holders) {
    if (here.has(h.index)) continue;
    const last = ctx.proofDomain
      ? lastProofOf(ctx.proofs, h.certFingerprint, ctx.proofDomain)
      : undefined;
    if (!last) {
      never.push(label(h));
      continue;
    }
    const age = Math.floor((at - Date.parse(last.at)) / DAY_MS);
    if (age > days)
      stale.push(`${label(h)} (last proved ${proofWords(last)}, ${plural(age, 'day')} ago)`);
  }
  if (never.length === 0 && stale.length === 0) return [];
  const parts = [...(never.length > 0 ? [`${listOf(never)} (no proof on record)`] : []), ...stale];
  return [
    {
      rule: 'holder-unproven',
      severity: 'warning',
      evidence: `Keys not proven within ${plural(days, 'day')} (the review interval): ${parts.join('; ')}.`,
      // No <placeholders> in the command: the Markdown report escapes them, and a code span
      // would show the escapes.
      remedy: `Have each of them check alone before the drill — \`sd-drill check --sd FILE --key KEY\` with this domain's file and their own key (or "Check my key" on the start screen) — or prove their key in this drill; a key that no longer opens its share leaves the quorum a holder short.`,
    },
  ];
}
