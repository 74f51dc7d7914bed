/**
 * Findings about the domain itself rather than its holders: a reconstruction whose report key
 * is not the one pinned for the domain, a file that wraps two shares to one key (one person,
 * two votes), and a share the file holds in a form no key can open.
 */
import type {CeremonyState, DomainProblem} from '../ceremony/types.js';
import type {Finding} from './model.js';

export function domainKeyMismatch(state: CeremonyState): Finding[] {
  const mismatch = state.identity?.mismatch;
  if (!mismatch) return [];
  return [
    {
      rule: 'domain-key-mismatch',
      severity: 'error',
      evidence: `The quorum opened a domain, but ${mismatch}.`,
      remedy:
        "Do not restore from this file: compare its SHA-256 (in this report) with the security-domain copies on record and use a copy whose drills pinned this domain's key. If it really is another domain that reuses these wrapping keys, give each domain its own wrapping keys.",
    },
  ];
}

function problems(state: CeremonyState): DomainProblem[] {
  const all = [...(state.domain?.problems ?? []), ...(state.domainProblems ?? [])];
  return all.filter((p, i) => all.findIndex((q) => q.text === p.text) === i);
}

export function duplicateWrappingKey(state: CeremonyState): Finding[] {
  return problems(state)
    .filter((p) => p.rule === 'duplicate-wrapping-key')
    .map((p) => ({
      rule: 'duplicate-wrapping-key' as const,
      severity: 'error' as const,
      evidence: `The security domain is wrapped so that one key opens several shares: ${p.text}.`,
      remedy:
        'Rotate the domain to one wrapping key per holder (sd-drill rotate, or a new security-domain download with distinct certificates), then destroy the old file.',
    }));
}

export function shareDamaged(state: CeremonyState): Finding[] {
  return problems(state)
    .filter((p) => p.rule === 'share-damaged')
    .map((p) => ({
      rule: 'share-damaged' as const,
      severity: 'error' as const,
      evidence: `The security-domain file is damaged: ${p.text}; that holder cannot take part in a recovery from this copy.`,
      remedy:
        'Restore the security-domain file from a backup copy and check it with sd-drill verify; until then the quorum is one holder short.',
    }));
}
