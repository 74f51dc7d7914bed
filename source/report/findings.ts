/**
 * Policy findings from the domain document's rules. Each names the rule, the facts as one
 * sentence and what to do. `findingsFor` works on any ceremony state: with only the domain
 * loaded (the inspect screen) it gives what is known before anyone arrives; at the end of a
 * drill it adds what the drill showed.
 */
import {MAX_PASSPHRASE_TRIES, type CeremonyState, type HolderStatus} from '../ceremony/types.js';
import {drillsOfDomain, plural, reviewStatus, DAY_MS} from '../store/history.js';
import {
  custodianKey,
  normaliseFingerprint,
  type DrillRecord,
  type RegistryEntry,
} from '../store/schema.js';
import {formatDuration} from './chart.js';
import {
  domainKeyMismatch,
  duplicateWrappingKey,
  holdersCount,
  quorumSize,
  shareDamaged,
  duplicateShare,
} from './findings-domain.js';
import {quorumAtOneSite, rolesNotSeparate} from './findings-separation.js';
import {compromiseFindings} from './compromise.js';
import {quorumLowered, rotationFindings} from './rotation.js';
import {custodianMismatch} from './findings-people.js';
import type {Finding, FindingRule, Severity} from './model.js';

export interface FindingsContext {
  now: number;
  history: readonly DrillRecord[];
  registry: readonly RegistryEntry[];
  settings: {reviewDays: number; rtoMinutes: number};
  /** The drill in hand: left out of the history it is compared with. */
  drillId?: string;
}

export const MIN_RSA_BITS = 2048;

/** The lost-key consequence, per the domain document: a lost key is a compromise. */
export const LOST_KEY_REMEDY =
  'if the key is lost, treat the domain as compromised: provision a new HSM with a new security domain and new wrapping keys, and move the data protected by the old domain to it';

const SEVERITY_ORDER: Record<Severity, number> = {error: 0, warning: 1, info: 2};

function holderLabel(h: {index: number; name?: string}): string {
  return h.name ? `holder ${h.index} (${h.name})` : `holder ${h.index}`;
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function registeredFor(
  registry: readonly RegistryEntry[],
  fingerprint: string,
): RegistryEntry | undefined {
  const fp = normaliseFingerprint(fingerprint);
  return registry.find((r) => r.fingerprint === fp);
}

/** Who to talk to about a holder: the custodian at the machine, else the registered one. */
function whoFor(h: HolderStatus, registry: readonly RegistryEntry[]): string {
  if (h.custodian) return h.custodian.name.trim();
  const reg = registeredFor(registry, h.certFingerprint);
  return reg ? reg.custodian : `the custodian of ${holderLabel(h)}`;
}

/** When the drill's verdict was reached, or `now` if it is still running. */
export function drillEndedAt(state: CeremonyState, now: number): number {
  const verdict = [...state.journal].reverse().find((j) => j.event.startsWith('verdict '));
  return verdict ? verdict.at : now;
}

function keySize(state: CeremonyState): Finding[] {
  const weak = state.holders.filter((h) => h.bits !== undefined && h.bits < MIN_RSA_BITS);
  if (weak.length === 0) return [];
  return [
    {
      rule: 'key-size',
      severity: 'error',
      evidence: `${listOf(weak.map((h) => `${holderLabel(h)} has a ${h.bits}-bit RSA key`))}; at least ${MIN_RSA_BITS} bits are required.`,
      remedy: `Replace ${weak.length === 1 ? 'this wrapping key' : 'these wrapping keys'} with RSA keys of ${MIN_RSA_BITS} bits or more and protect the security domain with the new keys.`,
    },
  ];
}

const ONE_CUSTODIAN_REMEDY =
  'Give each wrapping key to a different person, in a separate place, so that no one custodian ever holds the quorum; record each hand-off with `sd-drill custody add`.';

function custodianHoldsQuorum(state: CeremonyState, ctx: FindingsContext): Finding[] {
  const d = state.domain;
  if (!d) return [];
  const m = d.required;
  const findings: Finding[] = [];

  const presented = new Map<string, {name: string; holders: HolderStatus[]}>();
  for (const h of state.holders) {
    if (!h.custodian || h.custodian.name.trim() === '') continue;
    const key = custodianKey(h.custodian.name);
    const group = presented.get(key) ?? {name: h.custodian.name.trim(), holders: []};
    group.holders.push(h);
    presented.set(key, group);
  }
  for (const g of presented.values()) {
    if (g.holders.length < m) continue;
    findings.push({
      rule: 'custodian-holds-quorum',
      severity: 'error',
      evidence: `${g.name} presented ${g.holders.length} keys in this drill (${listOf(g.holders.map(holderLabel))}): enough for the quorum of ${m} on their own.`,
      remedy: ONE_CUSTODIAN_REMEDY,
    });
  }

  const fingerprints = new Map(
    state.holders.map((h) => [normaliseFingerprint(h.certFingerprint), h] as const),
  );
  const registered = new Map<string, {name: string; holders: HolderStatus[]}>();
  for (const r of ctx.registry) {
    const h = fingerprints.get(r.fingerprint);
    if (!h) continue;
    const key = custodianKey(r.custodian);
    const group = registered.get(key) ?? {name: r.custodian.trim(), holders: []};
    if (!group.holders.includes(h)) group.holders.push(h);
    registered.set(key, group);
  }
  for (const g of registered.values()) {
    if (g.holders.length < m) continue;
    findings.push({
      rule: 'custodian-holds-quorum',
      severity: 'error',
      evidence: `The holder registry has ${g.name} as custodian of ${g.holders.length} of this domain's keys (${listOf(g.holders.map(holderLabel))}): enough for the quorum of ${m} on their own.`,
      remedy: ONE_CUSTODIAN_REMEDY,
    });
  }
  return findings;
}

const presentedHolders = (state: CeremonyState): HolderStatus[] =>
  state.holders.filter((h) => h.stick !== undefined);

function removableMedia(state: CeremonyState): Finding[] {
  const findings: Finding[] = [];
  const fixed = presentedHolders(state).filter(
    (h) => h.stick?.source === 'mount' && h.stick.removable === false,
  );
  if (fixed.length > 0) {
    findings.push({
      rule: 'key-not-on-removable-media',
      severity: 'error',
      evidence: `${listOf(fixed.map((h) => `${holderLabel(h)}'s key was presented from ${h.stick?.path}${h.stick?.device ? ` (${h.stick.device})` : ''}`))}, which is not removable media.`,
      remedy:
        'Keep each wrapping key on its own removable device (an encrypted USB stick) stored offline in a safe, and remove it from the fixed disk.',
    });
  }
  const unknown = presentedHolders(state).filter(
    (h) => h.stick?.source === 'mount' && h.stick.removable === null,
  );
  if (unknown.length > 0) {
    findings.push({
      rule: 'key-not-on-removable-media',
      severity: 'info',
      evidence: `Whether ${listOf(unknown.map((h) => `${holderLabel(h)}'s stick ${h.stick?.path}`))} is removable media could not be determined.`,
      remedy: 'Check by hand that each wrapping key is kept on its own removable device.',
    });
  }
  const folders = presentedHolders(state).filter((h) => h.stick?.source === 'folder');
  if (folders.length > 0) {
    findings.push({
      rule: 'key-not-on-removable-media',
      severity: 'info',
      evidence: `${listOf(folders.map(holderLabel))} presented ${folders.length === 1 ? 'a key' : 'keys'} from a --media folder standing in for a stick, so removability was not checked.`,
      remedy:
        'In a real drill, present each wrapping key from its own USB stick so that removability is checked.',
    });
  }
  return findings;
}

function sameDevice(state: CeremonyState): Finding[] {
  const groups = new Map<string, {what: string; holders: HolderStatus[]}>();
  const add = (key: string, what: string, h: HolderStatus): void => {
    const g = groups.get(key) ?? {what, holders: []};
    if (!g.holders.includes(h)) g.holders.push(h);
    groups.set(key, g);
  };
  for (const h of presentedHolders(state)) {
    const stick = h.stick;
    if (!stick) continue;
    add(`path:${stick.path}`, `the same stick (${stick.path})`, h);
    if (stick.device && !stick.device.startsWith('folder:'))
      add(`device:${stick.device}`, `the same device (${stick.device})`, h);
  }
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const g of groups.values()) {
    if (g.holders.length < 2) continue;
    const who = g.holders
      .map((h) => h.index)
      .sort((a, b) => a - b)
      .join(',');
    if (seen.has(who)) continue;
    seen.add(who);
    findings.push({
      rule: 'same-device-multiple-keys',
      severity: 'error',
      evidence: `${listOf(g.holders.map(holderLabel))} presented their keys from ${g.what}.`,
      remedy:
        'Keep each wrapping key on its own device, held by its own custodian in a separate place: move all but one of these keys to separate sticks.',
    });
  }
  return findings;
}

function isoDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function reviewOverdue(state: CeremonyState, ctx: FindingsContext): Finding[] {
  const d = state.domain;
  // Onboarding drills a throw-away practice domain made minutes ago: it has no reviews due.
  if (!d || state.mode === 'onboarding') return [];
  const derived = state.identity && !state.identity.mismatch ? state.identity.reportKey : null;
  const reportKey = d.reportKey ?? derived ?? d.knownKey ?? null;
  const records = drillsOfDomain(ctx.history, {id: d.id, file: d.file, reportKey}, ctx.drillId);
  const days = ctx.settings.reviewDays;
  const remedy = `Review the quorum with a drill at least every ${plural(days, 'day')}, and whenever a holder leaves or a stick is lost.`;
  // Compared at the drill's start: a drill that passes today was still late if it came late.
  const at = state.startedAt;
  const status = reviewStatus(records, at, days);
  const passing = state.outcome?.verdict === 'pass';
  if (status.lastPassAt === null) {
    if (passing) return [];
    return [
      {
        rule: 'review-overdue',
        severity: 'warning',
        evidence: `No passing drill of this domain is on record: the quorum has not been shown to recover it.`,
        remedy,
      },
    ];
  }
  if (!status.overdue) return [];
  const since = Math.floor((at - status.lastPassAt) / DAY_MS);
  return [
    {
      rule: 'review-overdue',
      severity: 'warning',
      evidence: passing
        ? `This drill came ${plural(since, 'day')} after the domain's last passing drill (${isoDay(status.lastPassAt)}); reviews are due every ${plural(days, 'day')}.`
        : `The domain's last passing drill was on ${isoDay(status.lastPassAt)}, ${plural(since, 'day')} ago; reviews are due every ${plural(days, 'day')}.`,
      remedy,
    },
  ];
}

function holderAbsent(state: CeremonyState, ctx: FindingsContext): Finding[] {
  // A compromise rehearsal's lost sticks are its premise (the report lists them), not absences.
  const lost = state.compromise?.lost ?? [];
  return state.holders
    .filter((h) => h.state === 'absent' && !lost.includes(h.index))
    .map((h) => {
      const reg = registeredFor(ctx.registry, h.certFingerprint);
      const registered = reg
        ? `; the holder registry lists ${reg.custodian} (${reg.role}${reg.location ? `, ${reg.location}` : ''}) as its custodian`
        : '';
      return {
        rule: 'holder-absent' as const,
        severity: 'warning' as const,
        evidence: `${holderLabel(h)} was marked absent${registered}.`,
        remedy: `Find out why ${whoFor(h, ctx.registry)} could not come and confirm the key and its passphrase are still in their places; ${LOST_KEY_REMEDY}.`,
      };
    });
}

function passphraseFailures(state: CeremonyState, ctx: FindingsContext): Finding[] {
  return state.holders
    .filter((h) => h.passphraseFailures > 0)
    .map((h) => {
      const who = whoFor(h, ctx.registry);
      if (h.passphraseFailures >= MAX_PASSPHRASE_TRIES) {
        return {
          rule: 'passphrase-failures' as const,
          severity: 'error' as const,
          evidence: `${holderLabel(h)}: ${plural(h.passphraseFailures, 'wrong passphrase')}, so the key could not be used in this drill.`,
          remedy: `Have ${who} recover the passphrase from its sealed record and check it opens the key before the next drill; a key whose passphrase is gone is a lost key: ${LOST_KEY_REMEDY}.`,
        };
      }
      return {
        rule: 'passphrase-failures' as const,
        severity: 'warning' as const,
        evidence: `${holderLabel(h)} needed ${h.passphraseFailures + (h.state === 'accepted' ? 1 : 0)} tries to enter the passphrase (${plural(h.passphraseFailures, 'wrong passphrase')}).`,
        remedy: `Have ${who} check their passphrase record, so the passphrase is at hand on the day.`,
      };
    });
}

function shareCorrupt(state: CeremonyState, ctx: FindingsContext): Finding[] {
  const bad = new Map<number, string>();
  for (const b of state.reconstruction?.badShares ?? []) bad.set(b.holderIndex, b.reason);
  for (const h of state.holders) {
    if (h.state === 'failed' && h.passphraseFailures < MAX_PASSPHRASE_TRIES && !bad.has(h.index))
      bad.set(h.index, h.note ?? 'its share was refused');
  }
  return [...bad.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, reason]) => {
      const h = state.holders.find((x) => x.index === index);
      const label = h ? holderLabel(h) : `holder ${index}`;
      const reasonText = reason.trim().replace(/\.$/, '');
      return {
        rule: 'share-corrupt' as const,
        severity: 'error' as const,
        evidence: `${label}'s share could not be used: ${reasonText}.`,
        remedy: `Check the security-domain file against its other copies and ${h ? `${whoFor(h, ctx.registry)}'s` : "the holder's"} key against the holder registry; until a drill opens this share the quorum is one holder short, and ${LOST_KEY_REMEDY}.`,
      };
    });
}

function certMissing(state: CeremonyState): Finding[] {
  const missing = state.holders.filter((h) => h.certMissing === true);
  if (missing.length === 0) return [];
  return [
    {
      rule: 'cert-missing',
      severity: 'info',
      evidence: `${listOf(missing.map((h) => `${holderLabel(h)}'s key${h.matchedBy ? ` (matched by ${h.matchedBy})` : ''}`))} came without ${missing.length === 1 ? 'its certificate' : 'their certificates'}.`,
      remedy:
        'Keep the certificate (.cer) beside each key on its stick, so that the key is recognised by its certificate fingerprint.',
    },
  ];
}

function rtoExceeded(state: CeremonyState, ctx: FindingsContext): Finding[] {
  const duration = drillEndedAt(state, ctx.now) - state.startedAt;
  const limit = ctx.settings.rtoMinutes * 60_000;
  if (duration <= limit) return [];
  return [
    {
      rule: 'rto-exceeded',
      severity: 'warning',
      evidence: `The drill ${state.outcome ? 'took' : 'has taken'} ${formatDuration(duration)}, longer than the recovery time objective of ${plural(ctx.settings.rtoMinutes, 'minute')}.`,
      remedy:
        'Shorten the slowest steps in the timeline (holders on call, sticks and passphrases at hand), or agree a recovery time objective the quorum can meet.',
    },
  ];
}

/** Every finding for this state, errors first. */
export function findingsFor(state: CeremonyState, ctx: FindingsContext): Finding[] {
  const all: Finding[] = [
    ...quorumSize(state),
    ...holdersCount(state),
    ...keySize(state),
    ...custodianHoldsQuorum(state, ctx),
    ...quorumAtOneSite(state.domain, ctx.registry),
    ...rolesNotSeparate(state.domain, ctx.registry),
    ...removableMedia(state),
    ...sameDevice(state),
    ...reviewOverdue(state, ctx),
    ...holderAbsent(state, ctx),
    ...passphraseFailures(state, ctx),
    ...shareCorrupt(state, ctx),
    ...certMissing(state),
    ...rtoExceeded(state, ctx),
    ...domainKeyMismatch(state),
    ...duplicateWrappingKey(state),
    ...shareDamaged(state),
    ...duplicateShare(state),
    ...rotationFindings(state),
    ...compromiseFindings(state),
    ...quorumLowered(state),
    ...custodianMismatch(state, ctx.registry),
  ];
  return all
    .map((f, i) => ({f, i}))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map(({f}) => f);
}

/** The findings' remedies, most severe first, each once. */
export function recommendationsFrom(findings: readonly Finding[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of [...findings].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  )) {
    if (seen.has(f.remedy)) continue;
    seen.add(f.remedy);
    out.push(f.remedy);
  }
  return out;
}

export type {Finding, FindingRule};
