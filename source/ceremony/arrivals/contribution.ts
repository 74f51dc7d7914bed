/**
 * A share that arrives from a holder at another site: the operator calls the holder (a request
 * is written, its code shown), the holder answers with a sealed contribution, which arrives on
 * a stick or is named; accepted, it counts like a presented key. The machine's side of
 * ../../drill/arrivals/contribution.ts; pure.
 */
import type {CeremonyState, TimedEvent} from '../types.js';
import {acceptedCount, holderName, log, updateHolder} from '../machine.js';

/** A time of day on this machine's clock, HH:MM: what the operator tells the remote holder. */
function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

const removeIt = (stickPath: string | undefined): string => (stickPath ? ' Remove the stick.' : '');

/** The remote-holder events in the collect step; undefined for any other event. */
export function contributionEvent(s: CeremonyState, e: TimedEvent): CeremonyState | undefined {
  switch (e.type) {
    case 'remote-called': {
      const h = s.holders.find((x) => x.index === e.holderIndex);
      if (!h || h.state !== 'waiting') return s;
      const next = updateHolder(s, e.holderIndex, {
        remote: {
          state: 'waiting',
          code: e.code,
          requestFile: e.requestFile,
          expiresAt: e.expiresAt,
        },
        ...(e.custodian ? {custodian: e.custodian} : {}),
      });
      return log(
        {
          ...next,
          notice: {
            level: 'info',
            text: `Request for ${holderName(s, e.holderIndex)} written to ${e.requestFile}. Read them its code: ${e.code}. The drill waits for their answer until ${clockTime(e.expiresAt)}.`,
          },
        },
        e.at,
        'remote holder called',
        `${holderName(s, e.holderIndex)}${e.custodian ? ` (${e.custodian.name}, ${e.custodian.role}${e.custodian.from === 'registry' ? ', as registered' : ''})` : ''}: request ${e.requestFile}, code ${e.code}, expires ${new Date(e.expiresAt).toISOString()}`,
      );
    }
    case 'remote-call-failed':
      return log(
        {...s, notice: {level: 'error', text: e.message}},
        e.at,
        'remote holder not called',
        e.message,
      );
    case 'contribution-refused':
      return log(
        {
          ...s,
          ...(e.stickPath ? {awaitingRemoval: e.stickPath} : {}),
          notice: {level: 'error', text: `${e.message}${removeIt(e.stickPath)}`},
        },
        e.at,
        'contribution refused',
        e.message,
      );
    case 'share-accepted': {
      const remote = e.remote;
      if (!remote) return undefined;
      const h = s.holders.find((x) => x.index === e.holderIndex);
      if (!h || h.state !== 'waiting') return s;
      const next = updateHolder(s, e.holderIndex, {
        state: 'accepted',
        presentedAt: e.at,
        certMissing: e.certMissing,
        matchedBy: e.matchedBy,
        remote: {
          ...(h.remote ?? {code: '', requestFile: '', expiresAt: e.at}),
          state: 'accepted',
          contributionSha256: remote.sha256,
          acceptedAt: e.at,
        },
      });
      const need = (s.domain?.required ?? 0) - acceptedCount(next);
      return log(
        {
          ...next,
          ...(remote.stickPath ? {awaitingRemoval: remote.stickPath} : {}),
          notice: {
            level: 'info',
            text: `Contribution of ${holderName(s, e.holderIndex)} accepted (remote).${need > 0 ? ` ${need} more needed.` : ' Quorum reached.'}${removeIt(remote.stickPath)}`,
          },
        },
        e.at,
        'remote share accepted',
        `${holderName(s, e.holderIndex)}, contribution sha256 ${remote.sha256}`,
      );
    }
    default:
      return undefined;
  }
}
