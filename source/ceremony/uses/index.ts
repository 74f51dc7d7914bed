/**
 * The uses of the ceremony, each in its own module: where it starts, and the steps it does
 * its own way. Everything else it shares (../steps.ts).
 */
import type {Mode, Step} from '../types.js';
import type {StepReducer} from '../steps.js';
import {onboarding} from './onboarding.js';
import {rehearsal} from './rehearsal.js';
import {restore} from './restore.js';
import {rotation} from './rotation.js';

export interface Use {
  /** The step after the use is chosen. */
  first: Step;
  /** Steps this use handles itself, instead of the shared ones. */
  steps: Partial<Record<Step, StepReducer>>;
}

export const USES: Record<Mode, Use> = {rehearsal, restore, onboarding, rotation};
