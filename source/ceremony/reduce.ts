/**
 * The ceremony's state machine: pure, no I/O, no clock of its own. The TUI and the plan
 * runner feed it the same events and so walk the same path and journal.
 */
import {printable} from '../errors.js';
import {
  DEFAULT_IDLE_LIMIT_MS,
  MAX_PASSPHRASE_TRIES,
  type CeremonyState,
  type HolderStatus,
  type Step,
  type TimedEvent,
} from './types.js';

export function initialState(at: number, idleLimitMs = DEFAULT_IDLE_LIMIT_MS): CeremonyState {
  return {
    step: 'start',
    hsm: {old: 'active'},
    holders: [],
    journal: [{at, step: 'start', event: 'enter start'}],
    startedAt: at,
    lastActivity: at,
    idleLimitMs,
  };
}

export const acceptedCount = (s: CeremonyState): number =>
  s.holders.filter((h) => h.state === 'accepted').length;
export const sharesHeld = (s: CeremonyState): boolean =>
  acceptedCount(s) > 0 &&
  (s.step === 'collect' || s.step === 'reconstruct' || s.step === 'restore');

function holderName(s: CeremonyState, index: number): string {
  const h = s.holders.find((x) => x.index === index);
  return h?.name ? `${h.name} (holder ${index})` : `holder ${index}`;
}

function go(s: CeremonyState, step: Step, at: number, detail?: string): CeremonyState {
  if (s.step === step) return s;
  return {
    ...s,
    step,
    journal: [...s.journal, {at, step, event: `enter ${step}`, ...(detail ? {detail} : {})}],
  };
}

function log(s: CeremonyState, at: number, event: string, detail?: string): CeremonyState {
  // One printable line: a detail may quote a file name from a stick.
  const entry = {at, step: s.step, event, ...(detail ? {detail: printable(detail)} : {})};
  return {...s, journal: [...s.journal, entry]};
}

function updateHolder(
  s: CeremonyState,
  index: number,
  patch: Partial<HolderStatus>,
): CeremonyState {
  return {...s, holders: s.holders.map((h) => (h.index === index ? {...h, ...patch} : h))};
}

function end(
  s: CeremonyState,
  at: number,
  verdict: 'pass' | 'fail' | 'aborted',
  reason: string,
): CeremonyState {
  const withOutcome = log(
    {...s, outcome: {verdict, reason}, presenting: undefined, identifying: undefined},
    at,
    `verdict ${verdict}`,
    reason,
  );
  return go(withOutcome, 'report', at);
}

/** Ends the drill as failed once the holders still able to come cannot reach the quorum. */
function checkQuorumStillPossible(s: CeremonyState, at: number): CeremonyState {
  if (s.step !== 'collect' || !s.domain) return s;
  const possible = s.holders.filter(
    (h) => h.state === 'accepted' || h.state === 'waiting' || h.state === 'presenting',
  ).length;
  if (possible >= s.domain.required) return s;
  return end(
    s,
    at,
    'fail',
    `quorum cannot be met: only ${possible} of the ${s.domain.required} required holders can still present`,
  );
}

function collect(s: CeremonyState, e: TimedEvent): CeremonyState {
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
    case 'domain-problem': {
      const known = s.domainProblems ?? [];
      if (known.some((p) => p.text === e.problem.text)) return s;
      return log(
        {...s, domainProblems: [...known, e.problem]},
        e.at,
        'domain problem',
        e.problem.text,
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
        'custodian acknowledged duties',
        `${e.custodian.name}, ${e.custodian.role}`,
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
    case 'share-accepted': {
      if (!s.presenting || s.presenting.holderIndex !== e.holderIndex) return s;
      const p = s.presenting;
      const next = updateHolder(s, e.holderIndex, {
        state: 'accepted',
        presentedAt: e.at,
        certMissing: e.certMissing,
        matchedBy: e.matchedBy,
      });
      const count = acceptedCount(next);
      const need = (s.domain?.required ?? 0) - count;
      return log(
        {
          ...next,
          presenting: undefined,
          awaitingRemoval: p.stick.path,
          notice: {
            level: 'info',
            text: `Share accepted from ${holderName(s, e.holderIndex)} — remove the stick.${need > 0 ? ` ${need} more needed.` : ' Quorum reached.'}`,
          },
        },
        e.at,
        'share accepted',
        holderName(s, e.holderIndex),
      );
    }
    case 'share-refused': {
      const path = s.presenting?.stick.path;
      let next = updateHolder(s, e.holderIndex, {state: 'failed', note: e.message});
      next = log(
        {
          ...next,
          presenting: undefined,
          ...(path ? {awaitingRemoval: path} : {}),
          notice: {level: 'error', text: `${e.message} Remove the stick.`},
        },
        e.at,
        'share refused',
        e.message,
      );
      return checkQuorumStillPossible(next, e.at);
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
    case 'mark-absent': {
      const h = s.holders.find((x) => x.index === e.holderIndex);
      if (!h || (h.state !== 'waiting' && h.state !== 'absent')) return s;
      const state = h.state === 'absent' ? 'waiting' : 'absent';
      const next = log(
        updateHolder(s, e.holderIndex, {state}),
        e.at,
        state === 'absent' ? 'holder marked absent' : 'holder no longer absent',
        holderName(s, e.holderIndex),
      );
      return checkQuorumStillPossible(next, e.at);
    }
    case 'reconstruct': {
      const required = s.domain?.required ?? Number.POSITIVE_INFINITY;
      if (s.presenting || s.identifying || acceptedCount(s) < required) {
        return {
          ...s,
          notice: {
            level: 'warning',
            text: `Nothing goes past this step without a quorum: ${acceptedCount(s)} of ${required} shares held.`,
          },
        };
      }
      return go({...s, notice: undefined}, 'reconstruct', e.at);
    }
    default:
      return s;
  }
}

function reduceStep(s: CeremonyState, e: TimedEvent): CeremonyState {
  switch (s.step) {
    case 'start':
      if (e.type !== 'choose-mode') return s;
      return go(
        log({...s, mode: e.mode}, e.at, 'mode chosen', e.mode),
        e.mode === 'onboarding' ? 'enrol' : 'load',
        e.at,
      );
    case 'enrol':
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
    case 'load':
      if (e.type === 'domain-loaded') {
        const holders: HolderStatus[] = e.domain.holders.map((h) => ({
          index: h.index,
          ...(h.name ? {name: h.name} : {}),
          certFingerprint: h.certFingerprint,
          ...(h.bits ? {bits: h.bits} : {}),
          state: 'waiting',
          passphraseFailures: 0,
        }));
        return go(
          log(
            {...s, domain: e.domain, holders, notice: undefined},
            e.at,
            'domain loaded',
            `${e.domain.file} (${e.domain.format}, ${e.domain.required} of ${e.domain.total})`,
          ),
          'inspect',
          e.at,
        );
      }
      if (e.type === 'domain-failed')
        return log(
          {...s, notice: {level: 'error', text: e.message}},
          e.at,
          'domain refused',
          e.message,
        );
      if (e.type === 'back') return go({...s, notice: undefined}, 'start', e.at);
      return s;
    case 'inspect':
      if (e.type === 'inspected') return go(s, 'disaster', e.at);
      if (e.type === 'back') return go({...s, domain: undefined, holders: []}, 'load', e.at);
      return s;
    case 'disaster':
      if (e.type === 'choose-scenario' && s.mode !== 'restore') {
        return log(
          {...s, scenario: e.scenario, hsm: {...s.hsm, old: e.scenario}},
          e.at,
          'disaster simulated',
          e.scenario,
        );
      }
      if (e.type === 'recovery-ready') {
        const next = log(
          {
            ...s,
            hsm: {...s.hsm, recovery: {id: e.hsmId, exchangeFingerprint: e.exchangeFingerprint}},
          },
          e.at,
          'new HSM in recovery mode',
          e.hsmId,
        );
        return go(
          {...next, notice: {level: 'info', text: 'First holder: insert your stick.'}},
          'collect',
          e.at,
        );
      }
      if (e.type === 'back' && !s.scenario) return go(s, 'inspect', e.at);
      return s;
    case 'collect':
      if (e.type === 'back' && acceptedCount(s) === 0 && !s.presenting && !s.identifying)
        return go({...s, notice: undefined}, 'disaster', e.at);
      return collect(s, e);
    case 'reconstruct':
      if (e.type === 'reconstructed') {
        const next = log(
          {
            ...s,
            reconstruction: {ok: true, usedHolders: e.usedHolders, badShares: e.badShares},
            identity: e.identity,
          },
          e.at,
          'domain reconstructed',
          `from holders ${e.usedHolders.join(', ')}; report key ${e.identity.reportKey} (${e.identity.pinnedBy ?? 'NOT the pinned key'})`,
        );
        // The quorum opened *a* domain, but not the one on record: nothing to restore.
        if (e.identity.mismatch) return end(next, e.at, 'fail', e.identity.mismatch);
        return go(next, 'restore', e.at);
      }
      if (e.type === 'reconstruct-failed') {
        const next = {
          ...s,
          reconstruction: {ok: false, usedHolders: [], badShares: e.badShares, message: e.message},
        };
        return end(next, e.at, 'fail', e.message);
      }
      return s;
    case 'restore':
      if (e.type === 'restore-progress')
        return {...s, restoreProgress: {done: e.done, total: e.total}};
      if (e.type === 'restored') {
        const next = log(
          {...s, restore: e.summary},
          e.at,
          e.summary.verified ? 'restored and verified' : 'restore incomplete',
        );
        return e.summary.verified
          ? end(
              next,
              e.at,
              'pass',
              `the domain was reconstructed and restored into the new HSM and verified`,
            )
          : end(
              next,
              e.at,
              'fail',
              `the restore did not verify: ${e.summary.keysRestored} of ${e.summary.keysExpected} keys, ${e.summary.canaries.passed} of ${e.summary.canaries.total} canaries`,
            );
      }
      if (e.type === 'restore-failed') return end(s, e.at, 'fail', e.message);
      return s;
    case 'report':
      if (e.type === 'report-saved')
        return log(
          {...s, report: {markdown: e.markdown, json: e.json}},
          e.at,
          'report saved',
          e.json,
        );
      if (e.type === 'finish') return go(s, 'done', e.at);
      return s;
    case 'done':
      return s;
  }
}

/** "10 minutes", "1 minute", or under a minute "3 seconds" (not "0 minutes"). */
function idleLimitText(ms: number): string {
  const [n, unit] =
    ms < 60_000 ? [Math.round(ms / 1000), 'second'] : [Math.round(ms / 60_000), 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

export function reduce(s: CeremonyState, e: TimedEvent): CeremonyState {
  if (e.type === 'tick') {
    if (sharesHeld(s) && e.at - s.lastActivity > s.idleLimitMs) {
      return end(
        {...s, notice: undefined},
        e.at,
        'aborted',
        `idle for more than ${idleLimitText(s.idleLimitMs)} with shares held: the shares were wiped`,
      );
    }
    return s;
  }
  if (e.type === 'abort') {
    if (s.step === 'report' || s.step === 'done') return s;
    return end({...s, notice: undefined}, e.at, 'aborted', e.reason);
  }
  const next = reduceStep(s, e);
  return next === s
    ? s
    : {...next, lastActivity: e.type === 'restore-progress' ? next.lastActivity : e.at};
}
