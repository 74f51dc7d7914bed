/**
 * A share that arrives on a stick: the stick goes in, the key on it is matched to a holder
 * (or unlocked first to learn whose it is), the custodian acknowledges their duties and types
 * the passphrase, the share is opened, the stick comes out. The machine's side of
 * ../../drill/arrivals/stick.ts; pure.
 */
import {MAX_PASSPHRASE_TRIES, type CeremonyState, type TimedEvent} from '../types.js';
import {
  acceptedCount,
  checkQuorumStillPossible,
  holderName,
  log,
  updateHolder,
} from '../machine.js';

/** The stick events in the collect step; undefined for any other event. */
export function stickEvent(s: CeremonyState, e: TimedEvent): CeremonyState | undefined {
  switch (e.type) {
    case 'stick-inserted': {
      if (s.awaitingRemoval && s.awaitingRemoval !== e.stick.path) {
        return {
          ...s,
          notice: {
            level: 'warning',
            text: `Remove the previous stick (${s.awaitingRemoval}) before inserting the next one.`,
          },
        };
      }
      const busy = s.presenting?.stick.path ?? s.identifying?.stick.path;
      if (busy && busy !== e.stick.path) {
        return {
          ...s,
          notice: {
            level: 'warning',
            text: 'One stick at a time: finish with the stick that is in, or remove it.',
          },
        };
      }
      return log(
        {...s, notice: {level: 'info', text: `Reading stick ${e.stick.label}…`}},
        e.at,
        'stick inserted',
        e.stick.path,
      );
    }
    case 'key-locked': {
      if (s.presenting || s.identifying) return s;
      if (s.awaitingRemoval && s.awaitingRemoval !== e.stick.path) return s;
      return log(
        {
          ...s,
          identifying: {stick: e.stick, file: e.file, attempts: 0},
          notice: {
            level: 'info',
            text: `The key on stick ${e.stick.label} is encrypted and has no certificate beside it: its custodian types its passphrase so sd-drill can tell whose key it is.`,
          },
        },
        e.at,
        'encrypted key without a certificate',
        e.file,
      );
    }
    case 'identify-failed': {
      const id = s.identifying;
      if (!id) return s;
      const attempts = id.attempts + 1;
      const left = MAX_PASSPHRASE_TRIES - attempts;
      if (left <= 0) {
        return log(
          {
            ...s,
            identifying: undefined,
            awaitingRemoval: id.stick.path,
            notice: {
              level: 'error',
              text: `${e.message} — ${MAX_PASSPHRASE_TRIES} wrong passphrases: this key is not used. Remove the stick.`,
            },
          },
          e.at,
          'encrypted key not identified',
          id.file,
        );
      }
      return log(
        {
          ...s,
          identifying: {...id, attempts},
          notice: {
            level: 'error',
            text: `${e.message} — ${left} ${left === 1 ? 'try' : 'tries'} left.`,
          },
        },
        e.at,
        'wrong passphrase (key not yet identified)',
        id.file,
      );
    }
    case 'key-matched': {
      if (s.awaitingRemoval && s.awaitingRemoval !== e.stick.path) return s;
      if (s.identifying && s.identifying.stick.path !== e.stick.path) return s;
      s = {...s, identifying: undefined};
      const holder = s.holders.find((h) => h.index === e.holderIndex);
      if (!holder) return s;
      if (holder.state === 'accepted') {
        return log(
          {
            ...s,
            awaitingRemoval: e.stick.path,
            notice: {
              level: 'warning',
              text: `${holderName(s, e.holderIndex)}'s share is already counted — a share counts once. Remove the stick.`,
            },
          },
          e.at,
          'duplicate share refused',
          e.file,
        );
      }
      if (holder.state === 'failed') {
        return {
          ...s,
          awaitingRemoval: e.stick.path,
          notice: {
            level: 'error',
            text: `${holderName(s, e.holderIndex)} cannot present again in this drill. Remove the stick.`,
          },
        };
      }
      const next = updateHolder(s, e.holderIndex, {
        state: 'presenting',
        file: e.file,
        stick: e.stick,
        certMissing: e.certMissing,
        matchedBy: e.matchedBy,
      });
      return log(
        {
          ...next,
          presenting: {
            stick: e.stick,
            file: e.file,
            holderIndex: e.holderIndex,
            encrypted: e.encrypted,
            phase: 'acknowledge',
            attempts: 0,
          },
          notice: {level: 'info', text: `Key found: ${holderName(s, e.holderIndex)}.`},
        },
        e.at,
        'key matched',
        `${holderName(s, e.holderIndex)} ← ${e.file} (by ${e.matchedBy})`,
      );
    }
    case 'key-refused': {
      // A key refused while its holder was at the machine (the same key again, say): the
      // holder is not at fault and goes back to waiting.
      if (s.presenting) s = updateHolder(s, s.presenting.holderIndex, {state: 'waiting'});
      return log(
        {
          ...s,
          presenting: undefined,
          identifying: undefined,
          awaitingRemoval: e.stick.path,
          notice: {level: 'error', text: `${e.message} Remove the stick.`},
        },
        e.at,
        'key refused',
        e.message,
      );
    }
    case 'acknowledged': {
      if (!s.presenting || s.presenting.phase !== 'acknowledge') return s;
      const next = updateHolder(s, s.presenting.holderIndex, {custodian: e.custodian});
      return log(
        {
          ...next,
          presenting: {
            ...s.presenting,
            custodian: e.custodian,
            phase: s.presenting.encrypted ? 'passphrase' : 'opening',
          },
          notice: undefined,
        },
        e.at,
        e.custodian.from === 'ceremony'
          ? 'custodian known from earlier in this ceremony'
          : e.custodian.from === 'practice'
            ? 'practice stand-in taken'
            : 'custodian acknowledged duties',
        `${e.custodian.name}, ${e.custodian.role}${e.custodian.from === 'registry' ? ' (the registered custodian, confirmed)' : ''}`,
      );
    }
    case 'passphrase-submitted':
      if (!s.presenting || s.presenting.phase !== 'passphrase') return s;
      return {...s, presenting: {...s.presenting, phase: 'opening'}, notice: undefined};
    case 'passphrase-failed': {
      if (!s.presenting) return s;
      const p = s.presenting;
      const attempts = p.attempts + 1;
      const holder = s.holders.find((h) => h.index === p.holderIndex);
      let next = updateHolder(s, p.holderIndex, {
        passphraseFailures: (holder?.passphraseFailures ?? 0) + 1,
      });
      next = log(
        next,
        e.at,
        'wrong passphrase',
        `${holderName(s, p.holderIndex)}, try ${attempts} of ${MAX_PASSPHRASE_TRIES}`,
      );
      if (attempts >= MAX_PASSPHRASE_TRIES) {
        next = updateHolder(next, p.holderIndex, {
          state: 'failed',
          note: `${MAX_PASSPHRASE_TRIES} wrong passphrases`,
        });
        next = {
          ...next,
          presenting: undefined,
          awaitingRemoval: p.stick.path,
          notice: {
            level: 'error',
            text: `${MAX_PASSPHRASE_TRIES} wrong passphrases: ${holderName(s, p.holderIndex)} cannot present in this drill. Remove the stick.`,
          },
        };
        return checkQuorumStillPossible(next, e.at);
      }
      return {
        ...next,
        presenting: {...p, attempts, phase: 'passphrase'},
        notice: {
          level: 'error',
          text: `${e.message} — ${MAX_PASSPHRASE_TRIES - attempts} ${MAX_PASSPHRASE_TRIES - attempts === 1 ? 'try' : 'tries'} left.`,
        },
      };
    }
    case 'cancel-presenting': {
      // A key being identified (no holder yet) or a holder presenting: either way the stick
      // must leave, and a holder goes back to waiting.
      const p = s.presenting;
      const path = s.identifying?.stick.path ?? p?.stick.path;
      if (!path) return s;
      const next = p ? updateHolder(s, p.holderIndex, {state: 'waiting'}) : s;
      return log(
        {
          ...next,
          presenting: undefined,
          identifying: undefined,
          awaitingRemoval: path,
          notice: {level: 'info', text: 'Cancelled. Remove the stick.'},
        },
        e.at,
        'presentation cancelled',
        p ? holderName(s, p.holderIndex) : s.identifying?.file,
      );
    }
    case 'stick-removed': {
      let next = s;
      if (s.identifying && s.identifying.stick.path === e.path) {
        next = log(
          {
            ...next,
            identifying: undefined,
            notice: {
              level: 'warning',
              text: 'The stick was removed before its key was identified. Insert it again to continue.',
            },
          },
          e.at,
          'stick removed early',
          e.path,
        );
      }
      if (s.presenting && s.presenting.stick.path === e.path) {
        next = updateHolder(next, s.presenting.holderIndex, {state: 'waiting'});
        next = log(
          {
            ...next,
            presenting: undefined,
            notice: {
              level: 'warning',
              text: 'The stick was removed before its share was taken. Insert it again to continue.',
            },
          },
          e.at,
          'stick removed early',
          e.path,
        );
      }
      if (next.awaitingRemoval === e.path) {
        const need = (s.domain?.required ?? 0) - acceptedCount(next);
        next = log(
          {
            ...next,
            awaitingRemoval: undefined,
            notice: {
              level: 'info',
              text:
                need > 0
                  ? 'Stick removed. Next holder: insert your stick.'
                  : 'Stick removed. Quorum reached: press r to reconstruct.',
            },
          },
          e.at,
          'stick removed',
          e.path,
        );
      }
      return next;
    }
    default:
      return undefined;
  }
}
