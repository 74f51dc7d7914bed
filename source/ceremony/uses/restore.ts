/**
 * Restore after a purge: the real thing. No disaster is simulated (it happened): the disaster
 * step only brings up the new HSM in recovery mode; the rest is the shared path.
 */
import {SHARED_STEPS} from '../steps.js';
import type {Use} from './use.js';

export const restore: Use = {
  first: 'load',
  steps: {
    disaster: (s, e) => (e.type === 'choose-scenario' ? s : SHARED_STEPS.disaster(s, e)),
  },
};
