import {STEP_TITLES, type CeremonyState, type Step} from './types.js';

export interface TimelineStep {
  step: Step;
  title: string;
  start: string;
  end: string;
  durationMs: number;
  outcome: 'completed' | 'failed' | 'aborted' | 'in-progress';
}

/**
 * The report's timeline is the journal: each "enter <step>" opens a step, the next one
 * closes it. The step the drill ended in takes the verdict as its outcome.
 */
export function timeline(state: CeremonyState, now: number): TimelineStep[] {
  const entries = state.journal.filter((j) => j.event.startsWith('enter '));
  const steps: TimelineStep[] = [];
  for (const [i, entry] of entries.entries()) {
    const next = entries[i + 1];
    if (entry.step === 'report' || entry.step === 'done') continue;
    const endAt = next ? next.at : now;
    const last = !next || next.step === 'report' || next.step === 'done';
    const verdict = state.outcome?.verdict;
    const outcome: TimelineStep['outcome'] = !last
      ? 'completed'
      : verdict === 'aborted'
        ? 'aborted'
        : verdict === 'fail'
          ? 'failed'
          : verdict === 'pass'
            ? 'completed'
            : 'in-progress';
    steps.push({
      step: entry.step,
      title: STEP_TITLES[entry.step],
      start: new Date(entry.at).toISOString(),
      end: new Date(endAt).toISOString(),
      durationMs: Math.max(0, endAt - entry.at),
      outcome,
    });
  }
  return steps;
}
