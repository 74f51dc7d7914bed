/**
 * Findings about who took part: a key the holder registry gives to one person, presented (or
 * answered from another site) by someone else.
 */
import type {CeremonyState, HolderStatus} from '../ceremony/types.js';
import {normaliseFingerprint, sameCustodian, type RegistryEntry} from '../store/schema.js';
import type {Finding} from './model.js';

/** A word for the shell: quoted unless plainly safe. */
const sh = (s: string): string => (/^[\w./:@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

const label = (h: HolderStatus, prefix: string): string =>
  h.name ? `${prefix}holder ${h.index} (${h.name})` : `${prefix}holder ${h.index}`;

/**
 * `custodian-mismatch`: the custodian named at the machine (typed in place of the registered
 * one) is not the one the registry has for that key — the old quorum's holders and, in a
 * rotation, the new file's.
 */
export function custodianMismatch(
  state: CeremonyState,
  registry: readonly RegistryEntry[],
): Finding[] {
  const groups: Array<[HolderStatus[], string]> = [
    [state.holders, ''],
    [state.rotation?.to?.holders ?? [], 'new '],
  ];
  const findings: Finding[] = [];
  for (const [holders, prefix] of groups)
    for (const h of holders) {
      const actual = h.custodian;
      // Practice stand-ins have no custodian; one identified earlier was compared then.
      if (!actual || actual.from === 'practice' || actual.from === 'ceremony') continue;
      const fp = normaliseFingerprint(h.certFingerprint);
      const reg = registry.find((r) => r.fingerprint === fp);
      if (!reg || sameCustodian(reg.custodian, actual.name)) continue;
      findings.push({
        rule: 'custodian-mismatch',
        severity: 'warning',
        evidence: `${label(h, prefix)}'s key is registered to ${reg.custodian} (${reg.role}), but ${actual.name} (${actual.role}) ${h.remote ? 'was called for it at another site' : 'presented it'}.`,
        remedy: `Find out why ${reg.custodian}'s key was with ${actual.name}. If it changed hands, record the hand-off (sd-drill custody add --from ${sh(reg.custodian)} --to ${sh(actual.name)} --fingerprint ${fp}) and register its new custodian (sd-drill holders register); if it did not, treat the key as exposed.`,
      });
    }
  return findings;
}
