/**
 * What every screen's cases share (./every-screen.tsx): the case itself, and for a domain of 5
 * or 10 holders its sticks, its custodians, the screens' actions (every one the spy) and the
 * collect step's states.
 */
import type {ReactElement} from 'react';
import type {CeremonyState, Mode, Step} from '../../source/ceremony/types.js';
import {CollectScreen} from '../../source/screens/collect-screen.js';
import {accepted, collectOn, sticksFor, ten} from './every-screen-states.js';
import {collectActions, domain as demo, walk} from './fixtures.js';

export interface Case {
  use: Mode;
  step: Step;
  /** What state of the step. */
  what: string;
  holders: 5 | 10;
  node: () => ReactElement;
  /** Keys to press after the first frame, one at a time (a field filled in, a panel opened). */
  keys?: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one spy stands for every action
export type Spy = (...args: any[]) => void;

/** The domain of `holders`, and what its cases are built with; every action calls `spy`. */
export function caseKit(holders: 5 | 10, spy: Spy) {
  const noop = spy;
  const disasterProps = {starting: false, onScenario: noop, onStartRecovery: noop, onBack: noop};
  const rewrapActions = () => ({quorum: spy, write: spy, back: spy});
  const enlistActions = () => ({read: spy, keep: spy, drop: spy, done: spy});
  const remote = () => ({call: spy, read: spy});
  const actions = () =>
    collectActions({
      insert: spy,
      remove: spy,
      acknowledge: spy,
      passphrase: spy,
      identify: spy,
      cancel: spy,
      absent: spy,
      reconstruct: spy,
      back: spy,
      remote: remote(),
    });
  const d = holders === 10 ? ten : demo;
  const sticks = sticksFor(d);
  const registered = new Map(
    d.holders.map((h) => [h.certFingerprint, `Custodian of ${h.name}, Key Custodian (Zurich)`]),
  );
  const custodians = new Map(
    d.holders.map((h) => [
      h.certFingerprint,
      {
        name: `Maximiliane von Rosenberg-Lindqvist ${h.index}`,
        role: 'Principal Key Custodian, Zurich',
      },
    ]),
  );
  const collect = (
    state: CeremonyState,
    extra: Partial<Parameters<typeof CollectScreen>[0]> = {},
  ) => <CollectScreen state={state} sticks={sticks} actions={actions()} {...extra} />;
  const rehearsal = (
    step: Step,
    what: string,
    node: () => ReactElement,
    keys?: string[],
  ): Case => ({
    use: 'rehearsal',
    step,
    what,
    holders,
    node,
    ...(keys ? {keys} : {}),
  });
  const collecting = walk(...collectOn(d));
  const reached = walk(...collectOn(d), ...accepted(d, 1), ...accepted(d, 2), ...accepted(d, 3));
  return {
    holders,
    noop,
    disasterProps,
    rewrapActions,
    enlistActions,
    actions,
    d,
    sticks,
    registered,
    custodians,
    collect,
    rehearsal,
    collecting,
    reached,
  };
}

export type CaseKit = ReturnType<typeof caseKit>;
