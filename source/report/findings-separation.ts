/**
 * Separation of the holders, from the holder registry: the domain document asks that the keys
 * be "held at separate geographical locations" and that holders "have separate roles". Both
 * rules look for a *quorum inside one group*: a set of m holders (m = the domain's quorum) that
 * all share one registered location, or one registered role. Then one burglary, flood or fire
 * at that site, or one team acting together (or one manager's instruction), reaches the quorum.
 * Fewer than m in one group is not a finding: a quorum then always needs someone from outside it.
 *
 * Only what the registry records counts (`sd-drill holders register --location/--role`); the
 * role a custodian types at the machine during a drill does not. Locations and roles are
 * compared ignoring case and runs of spaces ("Safe B,  Zurich" is "safe b, zurich").
 */
import {normaliseFingerprint, type RegistryEntry} from '../store/schema.js';
import type {Finding} from './model.js';

export const SITES_SENTENCE =
  'The storage devices must be held at separate geographical locations, and in a physical safe or a lock box.';
export const ROLES_SENTENCE =
  'Security domain holders should have separate roles and be geographically separated within your organization.';

const groupKey = (value: string): string => value.trim().replace(/\s+/g, ' ').toLowerCase();

interface Group {
  label: string;
  holders: Array<{index: number; name?: string}>;
}

/** What these rules need of a domain: its quorum and its holders' certificates. */
export interface SeparatedDomain {
  required: number;
  holders: ReadonlyArray<{index: number; name?: string; certFingerprint: string}>;
}

/** The domain's holders grouped by a registry field; only groups of `m` or more. */
function quorumGroups(
  d: SeparatedDomain | undefined,
  registry: readonly RegistryEntry[],
  field: (r: RegistryEntry) => string | null,
): {groups: Group[]; m: number} | undefined {
  if (!d) return undefined;
  const byFingerprint = new Map(registry.map((r) => [r.fingerprint, r] as const));
  const groups = new Map<string, Group>();
  for (const h of d.holders) {
    const r = byFingerprint.get(normaliseFingerprint(h.certFingerprint));
    const value = r ? field(r) : null;
    if (!value || value.trim() === '') continue;
    const key = groupKey(value);
    const g = groups.get(key) ?? {label: value.trim(), holders: []};
    g.holders.push({index: h.index, ...(h.name ? {name: h.name} : {})});
    groups.set(key, g);
  }
  return {
    groups: [...groups.values()].filter((g) => g.holders.length >= d.required),
    m: d.required,
  };
}

const who = (hs: Group['holders']): string => {
  const each = hs.map((h) => (h.name ? `${h.index} (${h.name})` : String(h.index)));
  return each.length <= 1
    ? `holder ${each.join('')}`
    : `holders ${each.slice(0, -1).join(', ')} and ${each[each.length - 1]}`;
};

/** m or more of the domain's keys registered at one location. */
export function quorumAtOneSite(
  domain: SeparatedDomain | undefined,
  registry: readonly RegistryEntry[],
): Finding[] {
  const found = quorumGroups(domain, registry, (r) => r.location);
  if (!found) return [];
  return found.groups.map((g) => ({
    rule: 'quorum-at-one-site' as const,
    severity: 'error' as const,
    evidence: `The holder registry puts ${g.holders.length} of this domain's keys at "${g.label}" (${who(g.holders)}): a quorum of ${found.m} in one place, so one burglary, fire or flood there reaches it. The domain document: "${SITES_SENTENCE}"`,
    remedy: `Move keys away from "${g.label}" until fewer than ${found.m} are kept there, each to its own site, record each move with \`sd-drill custody add\` and update the registry (\`sd-drill holders register --location\`).`,
  }));
}

/**
 * A quorum within one role: m or more of the domain's holders registered with the same role
 * (so m people of that one role can recover the domain without anyone from another).
 */
export function rolesNotSeparate(
  domain: SeparatedDomain | undefined,
  registry: readonly RegistryEntry[],
): Finding[] {
  const found = quorumGroups(domain, registry, (r) => r.role);
  if (!found) return [];
  return found.groups.map((g) => ({
    rule: 'roles-not-separate' as const,
    severity: 'warning' as const,
    evidence: `The holder registry gives ${g.holders.length} of this domain's holders the one role "${g.label}" (${who(g.holders)}): ${found.m} of them form a quorum without anyone from another role. The domain document: "${ROLES_SENTENCE}"`,
    remedy: `Give keys to holders in other roles (for example a business unit technical lead, a security architect, an application developer) until fewer than ${found.m} share one role, by a rotation (\`sd-drill drill --mode rotation\`).`,
  }));
}
