import {useSyncExternalStore} from 'react';
import type {SoloCheckSession, SoloState} from '../drill/solo-check.js';

/** The state of a solo check, re-rendering on every change. */
export function useSoloCheck(session: SoloCheckSession): SoloState {
  return useSyncExternalStore(session.subscribe, session.getState);
}
