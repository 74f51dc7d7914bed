/**
 * Every step of every use, as a screen in the state a ceremony reaches there: the cases the
 * terminal-size and screen-reader tests render. Each case is built on a domain of 5 holders
 * (the demo's) or of 10 (the most `init` allows), with long custodians, roles and paths, so a
 * screen that only fits the demo shows it. The states are in ./every-screen-states.ts, what the
 * cases share in ./every-screen-kit.tsx, and the cases in ./every-screen-rehearsal.tsx and
 * ./every-screen-uses.tsx.
 */
import {vi} from 'vitest';
import {caseKit, type Case, type Spy} from './every-screen-kit.js';
import {rehearsalCases} from './every-screen-rehearsal.js';
import {otherUseCases} from './every-screen-uses.js';

export type {Case} from './every-screen-kit.js';
export {ten} from './every-screen-states.js';

/**
 * Every case, for a domain of `holders`; every action the screens can take (a choice, a key,
 * a field submitted) calls `spy`, so a test can tell whether a key did anything.
 */
export function cases(holders: 5 | 10, spy: Spy = vi.fn()): Case[] {
  const kit = caseKit(holders, spy);
  return [...rehearsalCases(kit), ...otherUseCases(kit)];
}
