/**
 * Onboarding a quorum member: the newcomer enrols (makes their key on their own stick), then
 * walks the shared path on a practice domain in which their own key must open their own share.
 */
import type {CeremonyState, TimedEvent} from '../types.js';
import {go, log} from '../machine.js';
import type {Use} from './use.js';

function enrol(s: CeremonyState, e: TimedEvent): CeremonyState {
  if (e.type === 'enrolled') {
    const next = {...s, newcomer: {holder: e.holder, certFingerprint: e.certFingerprint}};
    return go(
      log(next, e.at, 'newcomer enrolled', `${e.holder} ${e.certFingerprint}`),
      'load',
      e.at,
    );
  }
  if (e.type === 'back') return go(s, 'start', e.at);
  return s;
}

export const onboarding: Use = {first: 'enrol', steps: {enrol}};
