/**
 * The pieces every step of the ceremony is made of: moving to a step, writing the journal,
 * changing one holder, ending the drill with a verdict. Pure, like the whole machine.
 */
import {printable} from '../errors.js';
import type {CeremonyState, DomainSummary, HolderStatus, Step} from './types.js';

export const acceptedCount = (s: CeremonyState): number =>
  s.holders.filter((h) => h.state === 'accepted').length;
/**
 * Steps in which the session may hold shares or the reconstructed domain (a rotation's too; a
 * compromise rehearsal's old instance while its keys migrate).
 */
const HOLDING: ReadonlySet<Step> = new Set<Step>([
  'collect',
  'reconstruct',
  'restore',
  'enlist',
  'rewrap',
  'prove',
  'migrate',
]);
export const sharesHeld = (s: CeremonyState): boolean =>
  acceptedCount(s) > 0 && HOLDING.has(s.step);

export function holderName(s: CeremonyState, index: number): string {
  const h = s.holders.find((x) => x.index === index);
  return h?.name ? `${h.name} (holder ${index})` : `holder ${index}`;
}

export function go(s: CeremonyState, step: Step, at: number, detail?: string): CeremonyState {
  if (s.step === step) return s;
  return {
    ...s,
    step,
    journal: [...s.journal, {at, step, event: `enter ${step}`, ...(detail ? {detail} : {})}],
  };
}

export function log(s: CeremonyState, at: number, event: string, detail?: string): CeremonyState {
  // One printable line: a detail may quote a file name from a stick.
  const entry = {at, step: s.step, event, ...(detail ? {detail: printable(detail)} : {})};
  return {...s, journal: [...s.journal, entry]};
}

export function updateHolder(
  s: CeremonyState,
  index: number,
  patch: Partial<HolderStatus>,
): CeremonyState {
  return {...s, holders: s.holders.map((h) => (h.index === index ? {...h, ...patch} : h))};
}

export function end(
  s: CeremonyState,
  at: number,
  verdict: 'pass' | 'fail' | 'aborted',
  reason: string,
): CeremonyState {
  const withOutcome = log(
    {...s, outcome: {verdict, reason}, presenting: undefined, identifying: undefined},
    at,
    `verdict ${verdict}`,
    reason,
  );
  return go(withOutcome, 'report', at);
}

/** Ends the drill as failed once the holders still able to come cannot reach the quorum. */
export function checkQuorumStillPossible(s: CeremonyState, at: number): CeremonyState {
  if (s.step !== 'collect' || !s.domain) return s;
  const possible = s.holders.filter(
    (h) => h.state === 'accepted' || h.state === 'waiting' || h.state === 'presenting',
  ).length;
  if (possible >= s.domain.required) return s;
  return end(
    s,
    at,
    'fail',
    `quorum cannot be met: only ${possible} of the ${s.domain.required} required holders can still present`,
  );
}

/** Every holder of a domain just loaded (or written), waiting, nothing presented yet. */
export function waitingHolders(domain: DomainSummary): HolderStatus[] {
  return domain.holders.map((h) => ({
    index: h.index,
    ...(h.name ? {name: h.name} : {}),
    certFingerprint: h.certFingerprint,
    ...(h.bits ? {bits: h.bits} : {}),
    state: 'waiting',
    passphraseFailures: 0,
  }));
}
