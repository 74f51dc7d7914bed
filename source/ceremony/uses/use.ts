import type {Step} from '../types.js';
import type {StepReducer} from '../steps.js';

/** A use of the ceremony: where it starts, and the steps it does its own way. */
export interface Use {
  /** The step after the use is chosen. */
  first: Step;
  /** Steps this use handles itself, instead of the shared ones. */
  steps: Partial<Record<Step, StepReducer>>;
}
