/**
 * The ceremony's state machine: pure, no I/O, no clock of its own. The TUI and the plan
 * runner feed it the same events and so walk the same path and journal. Each use has its own
 * module (./uses/) over the shared steps (./steps.ts); shares arrive by ./arrivals/.
 */
import {DEFAULT_IDLE_LIMIT_MS, type CeremonyState, type TimedEvent} from './types.js';
import {end, go, log, sharesHeld} from './machine.js';
import {SHARED_STEPS} from './steps.js';
import {withDomainProblem} from './collect.js';
import {USES} from './uses/index.js';

export {acceptedCount, sharesHeld} from './machine.js';

export function initialState(at: number, idleLimitMs = DEFAULT_IDLE_LIMIT_MS): CeremonyState {
  return {
    step: 'start',
    hsm: {old: 'active'},
    holders: [],
    journal: [{at, step: 'start', event: 'enter start'}],
    startedAt: at,
    lastActivity: at,
    idleLimitMs,
  };
}

function reduceStep(s: CeremonyState, e: TimedEvent): CeremonyState {
  if (s.step === 'start') {
    if (e.type !== 'choose-mode') return s;
    return go(log({...s, mode: e.mode}, e.at, 'mode chosen', e.mode), USES[e.mode].first, e.at);
  }
  const own = s.mode ? USES[s.mode].steps[s.step] : undefined;
  return (own ?? SHARED_STEPS[s.step])(s, e);
}

/** "10 minutes", "1 minute", or under a minute "3 seconds" (not "0 minutes"). */
function idleLimitText(ms: number): string {
  const [n, unit] =
    ms < 60_000 ? [Math.round(ms / 1000), 'second'] : [Math.round(ms / 60_000), 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Requests to holders at other sites whose time ran out: shown as expired, not waiting. */
function expireRequests(s: CeremonyState, at: number): CeremonyState {
  const due = s.holders.filter((h) => h.remote?.state === 'waiting' && at > h.remote.expiresAt);
  if (due.length === 0) return s;
  let next: CeremonyState = {
    ...s,
    holders: s.holders.map((h) =>
      due.includes(h) && h.remote ? {...h, remote: {...h.remote, state: 'expired'}} : h,
    ),
  };
  for (const h of due) next = log(next, at, 'request expired', `holder ${h.index}`);
  return next;
}

/**
 * Where the idle limit counts from. A holder at another site who has been called is working on
 * their answer, so the ceremony is waiting on them, not idle, until their request expires (its
 * key is wiped with the shares if the limit fires, and their work would be lost): the limit
 * counts from the later of the last event and the expiry of the request of each holder called
 * and not yet answered (waiting, or run out).
 */
function idleSince(s: CeremonyState): number {
  let since = s.lastActivity;
  for (const h of s.holders)
    if (h.state === 'waiting' && h.remote && h.remote.state !== 'accepted')
      since = Math.max(since, h.remote.expiresAt);
  return since;
}

export function reduce(s: CeremonyState, e: TimedEvent): CeremonyState {
  if (e.type === 'tick') {
    if (sharesHeld(s) && e.at - idleSince(s) > s.idleLimitMs) {
      return end(
        {...s, notice: undefined},
        e.at,
        'aborted',
        `idle for more than ${idleLimitText(s.idleLimitMs)} with shares held: the shares were wiped`,
      );
    }
    return expireRequests(s, e.at);
  }
  if (e.type === 'abort') {
    if (s.step === 'report' || s.step === 'done') return s;
    return end({...s, notice: undefined}, e.at, 'aborted', e.reason);
  }
  // A reconstruction (or a rotation's proof) finds some problems only once shares combine.
  if (e.type === 'domain-problem' && s.step !== 'start' && s.step !== 'done')
    return withDomainProblem(s, e);
  const next = reduceStep(s, e);
  return next === s
    ? s
    : {...next, lastActivity: e.type === 'restore-progress' ? next.lastActivity : e.at};
}
