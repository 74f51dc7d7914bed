/**
 * Rotating the wrapping keys: the old quorum presents (the shared collect) and reconstructs
 * the domain; the new holders' certificates come in (enlist); the new quorum is chosen and
 * the same domain is written to a new file wrapped to them (rewrap); then *every* new holder
 * presents their key against the new file and opens their share (prove), and every share is
 * checked against the new domain — only then is the rotation a pass. Until the old file and
 * the departed holders' keys are destroyed they still open the domain: the report lists them.
 *
 * The prove step is the shared collect (./collect.ts, its stick arrival included) run on the
 * new file's holders with everyone required: the old holders stay in `holders` for the report.
 */
import {MAX_HOLDERS, MIN_HOLDERS} from '../../limits.js';
import {collect as collectShares} from '../collect.js';
import {acceptedCount, end, go, log, waitingHolders} from '../machine.js';
import {SHARED_STEPS, type StepReducer} from '../steps.js';
import type {CeremonyState, Custodian, HolderStatus, TimedEvent} from '../types.js';
import type {RotationState} from '../types.js';
import type {Use} from './use.js';

const short = (fp: string): string => `${fp.slice(0, 8)}…${fp.slice(-4)}`;

/** The quorum the domain document recommends at least (where there are holders enough). */
export const RECOMMENDED_QUORUM = 3;

/**
 * In the prove step, the custodian a new holder was already identified as in this ceremony: a
 * kept holder who presented for the old quorum. They bring their stick and passphrase only.
 */
export function identifiedCustodian(
  s: CeremonyState,
  newHolderIndex: number,
): Custodian | undefined {
  if (s.step !== 'prove') return undefined;
  const kept = s.rotation?.change?.kept.find((k) => k.next.index === newHolderIndex);
  const old = kept ? s.holders.find((h) => h.index === kept.old.index) : undefined;
  if (!old?.custodian || old.state !== 'accepted') return undefined;
  return {name: old.custodian.name, role: old.custodian.role, from: 'ceremony'};
}

/**
 * Where the new quorum starts: the current quorum, never below the recommended 3 where the new
 * holders allow it, never above their number. Anything lower is asked for and confirmed.
 */
export function safeQuorum(currentRequired: number, newTotal: number): number {
  return Math.min(Math.max(currentRequired, RECOMMENDED_QUORUM), newTotal);
}

const inspect: StepReducer = (s, e) =>
  e.type === 'inspected'
    ? go(
        {
          ...s,
          rotation: {newHolders: []},
          notice: {
            level: 'info',
            text: 'The old quorum opens the domain first: holder, insert your stick.',
          },
        },
        'collect',
        e.at,
      )
    : SHARED_STEPS.inspect(s, e);

const collect: StepReducer = (s, e) =>
  e.type === 'back' && acceptedCount(s) === 0 && !s.presenting && !s.identifying
    ? go({...s, notice: undefined}, 'inspect', e.at)
    : SHARED_STEPS.collect(s, e);

/** As the shared step, but a rotation has nothing to restore: the new holders come next. */
const reconstruct: StepReducer = (s, e) => {
  if (e.type !== 'reconstructed' || e.identity.mismatch) return SHARED_STEPS.reconstruct(s, e);
  const next = log(
    {
      ...s,
      reconstruction: {ok: true, usedHolders: e.usedHolders, badShares: e.badShares},
      identity: e.identity,
      notice: {
        level: 'info',
        text: 'The old quorum opened the domain. New holders: insert your sticks to bring your certificates (.cer).',
      },
    },
    e.at,
    'domain reconstructed',
    `from holders ${e.usedHolders.join(', ')}; report key ${e.identity.reportKey} (${e.identity.pinnedBy ?? 'not pinned'})`,
  );
  return go(next, 'enlist', e.at);
};

function withRotation(s: CeremonyState, r: RotationState): CeremonyState {
  return {...s, rotation: r};
}

const enlist: StepReducer = (s, e) => {
  const r = s.rotation ?? {newHolders: []};
  switch (e.type) {
    case 'new-holder-added': {
      const h = e.holder;
      const twin = r.newHolders.find(
        (x) => x.certFingerprint === h.certFingerprint || x.spkiFingerprint === h.spkiFingerprint,
      );
      if (twin)
        return {
          ...s,
          notice: {
            level: 'warning',
            text: `${h.from}: the same key as ${twin.name}'s (${twin.from}) — one key is one holder.`,
          },
        };
      if (r.newHolders.length >= MAX_HOLDERS)
        return {
          ...s,
          notice: {level: 'error', text: `A security domain has at most ${MAX_HOLDERS} holders.`},
        };
      const list = [...r.newHolders, h];
      const kept = h.keeps !== undefined ? ` (keeps holder ${h.keeps}'s key)` : '';
      return log(
        withRotation(
          {...s, notice: {level: 'info', text: `${h.name} is new holder ${list.length}${kept}.`}},
          {...r, newHolders: list},
        ),
        e.at,
        'new holder added',
        `${list.length}: ${h.name} ${short(h.certFingerprint)} from ${h.from}${kept}`,
      );
    }
    case 'new-holder-refused':
      return log(
        {...s, notice: {level: 'error', text: e.message}},
        e.at,
        'certificate refused',
        e.message,
      );
    case 'new-holder-dropped': {
      const gone = r.newHolders.find((x) => x.certFingerprint === e.certFingerprint);
      if (!gone) return s;
      return log(
        withRotation(
          {...s, notice: {level: 'info', text: `${gone.name} is no longer a new holder.`}},
          {...r, newHolders: r.newHolders.filter((x) => x !== gone)},
        ),
        e.at,
        'new holder removed',
        `${gone.name} ${short(gone.certFingerprint)}`,
      );
    }
    case 'new-holders-chosen': {
      const n = r.newHolders.length;
      if (n < MIN_HOLDERS)
        return {
          ...s,
          notice: {
            level: 'warning',
            text: `A security domain needs at least ${MIN_HOLDERS} holders; ${n} so far.`,
          },
        };
      const {kept, added, departed} = e.change;
      return go(
        log(
          withRotation({...s, notice: undefined}, {...r, change: e.change, destroy: e.destroy}),
          e.at,
          'new holders chosen',
          `${n} holders: ${kept.length} kept, ${added.length} added, ${departed.length} departed`,
        ),
        'rewrap',
        e.at,
      );
    }
    default:
      return s;
  }
};

const rewrap: StepReducer = (s, e) => {
  const r = s.rotation;
  if (!r) return s;
  const n = r.newHolders.length;
  switch (e.type) {
    case 'choose-quorum': {
      if (r.writing || !Number.isInteger(e.required) || e.required < 2 || e.required > n) return s;
      const current = s.domain?.required ?? 0;
      const safe = safeQuorum(current, n);
      // One tired Enter must never weaken the real domain: a lower quorum is confirmed first.
      if (e.required < safe && !e.confirmed)
        return {
          ...s,
          notice: {
            level: 'warning',
            text: `A quorum of ${e.required} is lower than ${safe} of ${n}: it must be confirmed.`,
          },
        };
      const {lowered: _, ...rest} = r;
      const lowered = e.required < safe ? {from: safe, to: e.required, current} : undefined;
      return log(
        withRotation(
          {...s, notice: undefined},
          {...rest, required: e.required, ...(lowered ? {lowered} : {})},
        ),
        e.at,
        lowered ? 'new quorum chosen lower, confirmed' : 'new quorum chosen',
        `${e.required} of ${n}${lowered ? ` (the current quorum is ${current} of ${s.domain?.total ?? '?'}; ${safe} of ${n} was offered first)` : ''}`,
      );
    }
    case 'back': {
      if (r.writing) return s;
      if (r.required !== undefined)
        return withRotation({...s, notice: undefined}, {newHolders: r.newHolders, ...pick(r)});
      return go(
        withRotation({...s, notice: undefined}, {newHolders: r.newHolders}),
        'enlist',
        e.at,
      );
    }
    case 'rewrap-started':
      if (r.writing || r.required === undefined) return s;
      return withRotation({...s, notice: undefined}, {...r, writing: true});
    case 'rewrap-failed':
      return log(
        withRotation({...s, notice: {level: 'error', text: e.message}}, {...r, writing: false}),
        e.at,
        'new domain file not written',
        e.message,
      );
    case 'rewrapped': {
      const d = e.domain;
      const holders = waitingHolders(d);
      const notes = e.notes ?? [];
      let next = log(
        withRotation(
          {
            ...s,
            notice: {
              level: 'info',
              text: `Written and checked: ${d.file}. Every new holder, one at a time: insert your stick and open your share in the new file.${notes.map((n) => ` Note: ${n}.`).join('')}`,
            },
          },
          {...r, writing: false, to: {domain: d, holders}},
        ),
        e.at,
        'new domain file written',
        `${d.file} (${d.required} of ${d.total}${d.generation ? `, generation ${d.generation}` : ''}, sha256 ${d.sha256 ?? '?'})`,
      );
      for (const n of notes) next = log(next, e.at, 'note', n);
      return go(next, 'prove', e.at);
    }
    default:
      return s;
  }
};

/** What the back key keeps when it only takes the chosen quorum back. */
const pick = (r: RotationState): Partial<RotationState> => ({
  ...(r.change ? {change: r.change} : {}),
  ...(r.destroy ? {destroy: r.destroy} : {}),
});

const holderText = (h: HolderStatus): string =>
  h.name ? `${h.name} (new holder ${h.index})` : `new holder ${h.index}`;

const NOT_YET =
  'keep using the old file; the new one must not replace it until every new holder has proven their key';

/**
 * The prove step; a failure ends with `notYet`, what to keep doing meanwhile (a compromise
 * rehearsal proves its new HSM's holders the same way, in its own words).
 */
export function proveNewHolders(s: CeremonyState, e: TimedEvent, notYet = NOT_YET): CeremonyState {
  const r = s.rotation;
  const to = r?.to;
  if (!r || !to) return s;
  const total = to.domain.total;
  if (e.type === 'back') return s;
  if (e.type === 'reconstruct') {
    const held = to.holders.filter((h) => h.state === 'accepted').length;
    if (held < total || s.presenting || s.identifying || r.checking)
      return {
        ...s,
        notice: {
          level: 'warning',
          text: `Every new holder must prove their key: ${held} of ${total} have.`,
        },
      };
    return log(
      withRotation({...s, notice: undefined}, {...r, checking: true}),
      e.at,
      'checking every new share',
      `${total} shares against ${to.domain.file}`,
    );
  }
  if (e.type === 'new-shares-checked') {
    if (!r.checking) return s;
    const next = withRotation(s, {
      ...r,
      checking: false,
      proof: {proven: e.proven, unproven: e.unproven},
    });
    const sameDomain = e.reportKey !== null && e.reportKey === s.identity?.reportKey;
    if (e.unproven.length === 0 && e.proven.length === total && sameDomain)
      return end(
        next,
        e.at,
        'pass',
        `all ${total} new holders proved their keys open their shares of ${to.domain.file}, which holds the same domain (report key ${e.reportKey}); now destroy every copy of the old file and the departed holders' keys`,
      );
    const who = e.unproven.map((u) => {
      const h = to.holders.find((x) => x.index === u.holderIndex);
      return `${h ? holderText(h) : `new holder ${u.holderIndex}`}: ${u.reason}`;
    });
    return end(
      next,
      e.at,
      'fail',
      who.length > 0
        ? `not every new holder proved their key — ${who.join('; ')}; ${notYet}`
        : `the new file does not open to the same domain; ${notYet}`,
    );
  }
  // Anything else is the shared collect, on the new file's holders, with everyone required.
  const lens: CeremonyState = {
    ...s,
    domain: {...to.domain, required: total},
    holders: to.holders,
  };
  const out = collectShares(lens, e);
  if (out === lens) return s;
  let back = withRotation(
    {...out, domain: s.domain, holders: s.holders},
    {...r, to: {...to, holders: out.holders}},
  );
  const lost = out.holders.filter((h) => h.state === 'failed' || h.state === 'absent');
  if (lost.length > 0 && back.step === 'prove')
    return end(
      back,
      e.at,
      'fail',
      `not every new holder proved their key — ${lost
        .map(
          (h) =>
            `${holderText(h)}: ${h.state === 'absent' ? 'marked absent' : (h.note ?? 'could not present')}`,
        )
        .join('; ')}; ${notYet}`,
    );
  if (e.type === 'stick-removed' && acceptedCount(out) === total && !back.awaitingRemoval)
    back = {
      ...back,
      notice: {
        level: 'info',
        text: 'Stick removed. Every new holder has opened their share: press r to check every share against the new file.',
      },
    };
  return back;
}

const prove: StepReducer = (s, e) => proveNewHolders(s, e);

export const rotation: Use = {
  first: 'load',
  steps: {inspect, collect, reconstruct, enlist, rewrap, prove},
};
