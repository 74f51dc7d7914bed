/**
 * The collect step: shares arrive (./arrivals/: on a stick, sealed from another site) until a quorum is held; a
 * holder may be marked absent; the drill fails as soon as the quorum can no longer be met.
 */
import type {CeremonyState, TimedEvent} from './types.js';
import {
  acceptedCount,
  checkQuorumStillPossible,
  go,
  holderName,
  log,
  updateHolder,
} from './machine.js';
import {stickEvent} from './arrivals/stick.js';
import {contributionEvent} from './arrivals/contribution.js';

/**
 * A problem with the domain file found on the way (a key that opens two shares, two holders
 * with one share): kept once for the findings, in whatever step it is found.
 */
export function withDomainProblem(
  s: CeremonyState,
  e: TimedEvent & {type: 'domain-problem'},
): CeremonyState {
  const known = s.domainProblems ?? [];
  if (known.some((p) => p.text === e.problem.text)) return s;
  return log({...s, domainProblems: [...known, e.problem]}, e.at, 'domain problem', e.problem.text);
}

export function collect(s: CeremonyState, e: TimedEvent): CeremonyState {
  const arrived = stickEvent(s, e) ?? contributionEvent(s, e);
  if (arrived) return arrived;
  switch (e.type) {
    case 'domain-problem':
      return withDomainProblem(s, e);
    case 'share-accepted': {
      if (!s.presenting || s.presenting.holderIndex !== e.holderIndex) return s;
      const p = s.presenting;
      const next = updateHolder(s, e.holderIndex, {
        state: 'accepted',
        presentedAt: e.at,
        certMissing: e.certMissing,
        matchedBy: e.matchedBy,
        ...(e.spkiFingerprint ? {spkiFingerprint: e.spkiFingerprint} : {}),
      });
      const count = acceptedCount(next);
      const need = (s.domain?.required ?? 0) - count;
      return log(
        {
          ...next,
          presenting: undefined,
          awaitingRemoval: p.stick.path,
          notice: {
            level: 'info',
            text: `Share accepted from ${holderName(s, e.holderIndex)} — remove the stick.${need > 0 ? ` ${need} more needed.` : ' Quorum reached.'}`,
          },
        },
        e.at,
        'share accepted',
        holderName(s, e.holderIndex),
      );
    }
    case 'share-refused': {
      const path = s.presenting?.stick.path;
      let next = updateHolder(s, e.holderIndex, {state: 'failed', note: e.message});
      next = log(
        {
          ...next,
          presenting: undefined,
          ...(path ? {awaitingRemoval: path} : {}),
          notice: {level: 'error', text: `${e.message} Remove the stick.`},
        },
        e.at,
        'share refused',
        e.message,
      );
      return checkQuorumStillPossible(next, e.at);
    }
    case 'mark-absent': {
      const h = s.holders.find((x) => x.index === e.holderIndex);
      if (!h || (h.state !== 'waiting' && h.state !== 'absent')) return s;
      const state = h.state === 'absent' ? 'waiting' : 'absent';
      const next = log(
        updateHolder(s, e.holderIndex, {state}),
        e.at,
        state === 'absent' ? 'holder marked absent' : 'holder no longer absent',
        holderName(s, e.holderIndex),
      );
      return checkQuorumStillPossible(next, e.at);
    }
    case 'reconstruct': {
      const required = s.domain?.required ?? Number.POSITIVE_INFINITY;
      if (s.presenting || s.identifying || acceptedCount(s) < required) {
        return {
          ...s,
          notice: {
            level: 'warning',
            text: `Nothing goes past this step without a quorum: ${acceptedCount(s)} of ${required} shares held.`,
          },
        };
      }
      return go({...s, notice: undefined}, 'reconstruct', e.at);
    }
    default:
      return s;
  }
}
