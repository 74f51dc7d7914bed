/**
 * The compromise rehearsal: the old HSM still runs; a new HSM is provisioned with a *new*
 * security domain wrapped to its holders' certificates (new, or kept as in a rotation — never
 * a key reported lost), with its own quorum; every one of its holders proves their key; then
 * every key of the old instance is migrated (its data re-protected under a new key made in the
 * new instance, and checked there) and only then is the old instance purged.
 *
 * On the simulated HSM the old instance's keys exist only in its security domain, so a quorum
 * of the old holders brings it up first (in a real compromise the old HSM is running and
 * nobody presents an old key). From there the path is the rotation's — collect, enlist, rewrap,
 * prove, reused through its steps — with its own words, its own checks (a lost key is never
 * kept; the new domain must be a new one), and its own last step: migrate.
 */
import {checkQuorumStillPossible, end, go, log, updateHolder} from '../machine.js';
import {SHARED_STEPS, type StepReducer} from '../steps.js';
import type {CeremonyState, CompromiseState, MigratedKey} from '../types.js';
import {proveNewHolders, rotation} from './rotation.js';
import type {Use} from './use.js';

const ROTATION = rotation.steps;
const step = (name: keyof typeof ROTATION): StepReducer => ROTATION[name] as StepReducer;

const NOT_YET =
  'move no key to the new HSM until every one of its holders has proven their key; the old HSM keeps running meanwhile';

const compromiseOf = (s: CeremonyState): CompromiseState => s.compromise ?? {lost: []};
const withCompromise = (s: CeremonyState, c: CompromiseState): CeremonyState => ({
  ...s,
  compromise: c,
});
const isLost = (s: CeremonyState, index: number | undefined): boolean =>
  index !== undefined && compromiseOf(s).lost.includes(index);

/** Only the simulated HSM's own (native) domains: an Azure HSM's keys are in Azure. */
const load: StepReducer = (s, e) => {
  if (e.type === 'domain-loaded' && e.domain.format !== 'native')
    return log(
      {
        ...s,
        notice: {
          level: 'error',
          text: `${e.domain.file} is an Azure security domain: its keys live in the Azure HSM, so the migration cannot be rehearsed on it here. Rehearse on a practice domain (sd-drill init --out DIR …) and follow docs/compromise-runbook.md for the Azure steps.`,
        },
      },
      e.at,
      'domain refused',
      'a compromise rehearsal needs an sd-drill (native) domain',
    );
  return SHARED_STEPS.load(s, e);
};

const inspect: StepReducer = (s, e) => {
  if (e.type === 'lost-reported') {
    const total = s.domain?.total ?? 0;
    const bad = e.holders.filter((i) => !Number.isInteger(i) || i < 1 || i > total);
    if (bad.length > 0)
      return {
        ...s,
        notice: {
          level: 'error',
          text: `Reported lost: holder ${bad.join(', ')} — this domain has holders 1 to ${total}. Start again with the right numbers (sd-drill assess names them).`,
        },
      };
    const lost = [...new Set(e.holders)].sort((a, b) => a - b);
    return log(
      withCompromise(s, {lost}),
      e.at,
      'sticks reported lost',
      lost.length ? `holders ${lost.join(', ')}` : 'none',
    );
  }
  if (e.type !== 'inspected') return SHARED_STEPS.inspect(s, e);
  if (s.notice?.level === 'error') return s;
  let next = step('inspect')(withCompromise(s, compromiseOf(s)), e);
  const lost = compromiseOf(s).lost;
  for (const i of lost)
    next = updateHolder(next, i, {state: 'absent', note: 'stick reported lost'});
  next = {
    ...next,
    notice: {
      level: 'info',
      text: `The old HSM still runs. In this rehearsal its keys live only in its security domain, so ${s.domain?.required ?? 'a quorum of'} of its holders bring the old instance up (in a real compromise nobody presents an old key). Holder, insert your stick.`,
    },
  };
  return lost.length > 0 ? checkQuorumStillPossible(next, e.at) : next;
};

const collect: StepReducer = (s, e) => {
  if (e.type === 'mark-absent' && isLost(s, e.holderIndex))
    return {
      ...s,
      notice: {
        level: 'warning',
        text: `Holder ${e.holderIndex}'s stick was reported lost: it cannot present in this rehearsal.`,
      },
    };
  if (e.type === 'key-matched' && isLost(s, e.holderIndex))
    return log(
      {
        ...s,
        awaitingRemoval: e.stick.path,
        notice: {
          level: 'error',
          text: `That is the key of holder ${e.holderIndex}, whose stick was reported lost: in this rehearsal it is not here. Remove the stick.`,
        },
      },
      e.at,
      'lost key refused',
      e.file,
    );
  return step('collect')(s, e);
};

const reconstruct: StepReducer = (s, e) => {
  const next = step('reconstruct')(s, e);
  if (next.step !== 'enlist') return next;
  return {
    ...next,
    notice: {
      level: 'info',
      text: 'The old instance is up (simulated). The new HSM’s holders: insert your sticks to bring your certificates (.cer); a remaining holder may be kept.',
    },
  };
};

const enlist: StepReducer = (s, e) => {
  if (e.type === 'new-holder-added' && isLost(s, e.holder.keeps))
    return log(
      {
        ...s,
        notice: {
          level: 'error',
          text: `${e.holder.from} is the key of holder ${e.holder.keeps}, whose stick was reported lost: a lost key never protects the new domain. That holder makes a new key pair (sd-drill keygen).`,
        },
      },
      e.at,
      'lost key refused',
      e.holder.from,
    );
  if (
    e.type === 'new-holders-chosen' &&
    e.change.added.length === 0 &&
    e.change.departed.length === 0
  )
    return {
      ...s,
      notice: {
        level: 'error',
        text: 'These are exactly the old domain’s keys. The new domain needs at least one new key: a quorum of these keys also opens the old, compromised file, and this machine’s records tell domains apart by their holders’ keys as well as their ids.',
      },
    };
  return step('enlist')(s, e);
};

const rewrap: StepReducer = (s, e) => {
  const next = step('rewrap')(s, e);
  const to = next.rotation?.to?.domain;
  if (e.type !== 'rewrapped' || next.step !== 'prove' || !to) return next;
  return {
    ...next,
    notice: {
      level: 'info',
      text: `New HSM ${to.name ?? ''} provisioned (simulated) with a new security domain, written and checked: ${to.file}. Every new holder, one at a time: insert your stick and open your share of it.`,
    },
  };
};

const prove: StepReducer = (s, e) => {
  if (e.type !== 'new-shares-checked') return proveNewHolders(s, e, NOT_YET);
  const r = s.rotation;
  const to = r?.to;
  if (!r?.checking || !to) return s;
  const total = to.domain.total;
  const checked: CeremonyState = {
    ...s,
    rotation: {...r, checking: false, proof: {proven: e.proven, unproven: e.unproven}},
  };
  const isNew = e.reportKey !== null && e.reportKey === to.domain.reportKey;
  const notOld = e.reportKey !== s.identity?.reportKey;
  if (e.unproven.length === 0 && e.proven.length === total && isNew && notOld) {
    const next = log(
      {
        ...checked,
        notice: {
          level: 'info',
          text: `All ${total} holders of the new HSM proved their keys. Migrating every key of the old instance to it…`,
        },
      },
      e.at,
      'new domain proven',
      `${total} holders; report key ${e.reportKey ?? ''}`,
    );
    return go(next, 'migrate', e.at);
  }
  if (e.unproven.length > 0) return proveNewHolders(s, e, NOT_YET);
  return end(
    checked,
    e.at,
    'fail',
    `the new security domain does not open to the domain its header pins, or opens to the old one; ${NOT_YET}`,
  );
};

const keyText = (k: MigratedKey): string => `${k.name} v${k.version} (${k.reason ?? 'failed'})`;

function finished(s: CeremonyState, at: number): CeremonyState {
  const m = compromiseOf(s).migration;
  if (!m) return s;
  const failed = m.keys.filter((k) => k.outcome !== 'migrated');
  const missing = m.total - m.keys.length;
  const c = compromiseOf(s);
  const next = withCompromise(s, {...c, migration: {...m, finished: true}});
  if (failed.length === 0 && missing === 0)
    return log(
      {
        ...next,
        notice: {level: 'info', text: 'Every key migrated and checked. Purging the old instance…'},
      },
      at,
      'every key migrated and checked',
      `${m.total} keys`,
    );
  const named = failed.slice(0, 5).map(keyText).join('; ');
  const more = failed.length > 5 ? `; and ${failed.length - 5} more (the report lists each)` : '';
  return end(
    next,
    at,
    'fail',
    `${failed.length + missing} of ${m.total} keys were not migrated — ${named}${more}; the old instance was NOT purged: it still holds the only copy of their data, which a purge would lose`,
  );
}

const migrate: StepReducer = (s, e) => {
  const c = compromiseOf(s);
  const m = c.migration;
  switch (e.type) {
    case 'migration-started':
      if (m) return s;
      return log(
        withCompromise({...s, notice: undefined}, {...c, migration: {total: e.total, keys: []}}),
        e.at,
        'migration started',
        `${e.total} keys`,
      );
    case 'keys-migrated': {
      if (!m || m.finished) return s;
      let next = withCompromise(s, {
        ...c,
        migration: {
          ...m,
          keys: [...m.keys, ...e.keys],
          ...(e.next ? {next: e.next} : {next: undefined}),
        },
      });
      for (const k of e.keys.filter((x) => x.outcome !== 'migrated'))
        next = log(next, e.at, 'key not migrated', keyText(k));
      return next;
    }
    case 'migration-finished':
      return m && !m.finished ? finished(s, e.at) : s;
    case 'migration-failed':
      return end(s, e.at, 'fail', `${e.message}; the old instance was NOT purged`);
    case 'old-purged': {
      const ok =
        m?.finished === true &&
        m.keys.length === m.total &&
        m.keys.every((k) => k.outcome === 'migrated');
      if (!ok || !m) return s;
      const records = m.keys.reduce((n, k) => n + k.verified, 0);
      const to = s.rotation?.to?.domain;
      const next = log(withCompromise(s, {...c, purged: true}), e.at, 'old instance purged');
      return end(
        next,
        e.at,
        'pass',
        `the new HSM ${to?.name ?? ''} (simulated) holds a new security domain that all ${to?.total ?? '?'} of its holders proved; all ${m.total} keys of ${s.domain?.name ?? 'the old HSM'} were migrated to it and checked there (${records} records re-protected and verified), and the old instance was purged`,
      );
    }
    default:
      return s;
  }
};

export const compromise: Use = {
  first: 'load',
  steps: {load, inspect, collect, reconstruct, enlist, rewrap, prove, migrate},
};
