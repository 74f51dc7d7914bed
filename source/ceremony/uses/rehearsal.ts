/**
 * A quarterly rehearsal: the shared path from loading the domain to the report, with a
 * simulated disaster and a simulated new HSM.
 */
import type {Use} from './use.js';

export const rehearsal: Use = {first: 'load', steps: {}};
