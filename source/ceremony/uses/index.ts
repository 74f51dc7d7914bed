/**
 * The uses of the ceremony, each in its own module: where it starts, and the steps it does
 * its own way. Everything else it shares (../steps.ts).
 */
import type {Mode} from '../types.js';
import {compromise} from './compromise.js';
import {onboarding} from './onboarding.js';
import {rehearsal} from './rehearsal.js';
import {restore} from './restore.js';
import {rotation} from './rotation.js';

import type {Use} from './use.js';

export type {Use} from './use.js';

export const USES: Record<Mode, Use> = {rehearsal, restore, onboarding, rotation, compromise};
