import {useEffect, useSyncExternalStore} from 'react';
import type {CeremonyState} from '../ceremony/types.js';
import type {DrillSession} from '../drill/session.js';

/** The ceremony state of a session, re-rendering on every transition. */
export function useSession(session: DrillSession): CeremonyState {
  return useSyncExternalStore(session.subscribe, session.getState);
}

/** Feeds the machine its clock so the idle timeout can fire while nobody touches a key. */
export function useIdleTick(session: DrillSession, everyMs = 5_000): void {
  useEffect(() => {
    const timer = setInterval(() => session.tick(), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }, [session, everyMs]);
}
