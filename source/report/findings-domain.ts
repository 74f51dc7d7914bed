/**
 * Findings about the domain itself rather than its holders: its quorum and number of keys, a
 * reconstruction whose report key is not the one pinned for the domain, a file that wraps two
 * shares to one key (one person, two votes), and a share the file holds in a form no key can
 * open.
 */
import type {CeremonyState, DomainProblem} from '../ceremony/types.js';
import {plural} from '../store/history.js';
import type {Finding} from './model.js';
import {MAX_HOLDERS} from '../limits.js';

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

/** Two holders carrying one share (found when shares combine): neither proved anything. */
export function duplicateShare(state: CeremonyState): Finding[] {
  return problems(state)
    .filter((p) => p.rule === 'duplicate-share')
    .map((p) => ({
      rule: 'duplicate-share' as const,
      severity: 'error' as const,
      evidence: `Two holders' shares are one share: ${p.text}.`,
      remedy: `Treat the file as tampered with: whoever put the share there held holder ${p.shares[0] ?? '?'}'s share. Restore the security-domain file from a copy on record and check it with sd-drill verify --all; until then the quorum is a holder short.`,
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

/** The quorum m itself: one person must never recover the domain alone; m ≥ 3 recommended. */
export function quorumSize(state: CeremonyState): Finding[] {
  const d = state.domain;
  if (!d) return [];
  const m = d.required;
  if (m < 2) {
    return [
      {
        rule: 'quorum-size',
        severity: 'error',
        evidence: `The quorum is ${m} of ${d.total}: one person can recover the security domain alone.`,
        remedy:
          'Set up a security domain with a quorum of at least 2 (3 or more recommended), so that no one person can recover it; the quorum is fixed when the domain is made.',
      },
    ];
  }
  if (m < 3) {
    return [
      {
        rule: 'quorum-size',
        severity: 'warning',
        evidence: `The quorum is ${m} of ${d.total}; the domain document recommends a quorum of 3 or more.`,
        remedy: 'At the next quorum review, consider a security domain with a quorum of 3 or more.',
      },
    ];
  }
  return [];
}

/** The number of wrapping keys n: 3 to 10. */
export function holdersCount(state: CeremonyState): Finding[] {
  const d = state.domain;
  if (!d) return [];
  const n = d.total;
  if (n < 3) {
    return [
      {
        rule: 'holders-count',
        severity: 'error',
        evidence: `The domain has ${plural(n, 'wrapping key')}; at least 3 are required.`,
        remedy:
          'Protect the security domain with at least 3 wrapping keys, each held by a different person.',
      },
    ];
  }
  if (n > MAX_HOLDERS) {
    return [
      {
        rule: 'holders-count',
        severity: 'error',
        evidence: `The domain has ${n} wrapping keys; at most ${MAX_HOLDERS} are allowed.`,
        remedy: `Protect the security domain with at most ${MAX_HOLDERS} wrapping keys.`,
      },
    ];
  }
  return [];
}
