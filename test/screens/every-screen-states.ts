/**
 * The states every screen's cases (./every-screen.tsx) are drawn in: the events a ceremony
 * goes through to reach each step, on a domain of 5 holders (the demo's) or of 10 (`ten`), with
 * long custodians, roles and paths, and the report's chart and findings.
 */
import type {
  CeremonyEvent,
  DomainSummary,
  Mode,
  MigratedKey,
  NewHolder,
} from '../../source/ceremony/types.js';
import type {Stick} from '../../source/media/stick.js';
import {domain as demo, folderStick, info} from './fixtures.js';

const fp = (n: number) => (n % 16).toString(16).repeat(64);

export const ten: DomainSummary = {
  ...demo,
  file: '/run/media/custodian-office/SECURITY-DOMAIN-BACKUP-2026/quarterly/security-domain.json',
  name: 'production-managed-hsm-westeurope',
  required: 3,
  total: 10,
  holders: Array.from({length: 10}, (_, i) => ({
    index: i + 1,
    name: `holder-${i + 1}`,
    certFingerprint: fp(i + 1),
    bits: 3072,
  })),
};

export const sticksFor = (d: DomainSummary): Stick[] =>
  [...d.holders.map((h) => folderStick(h.name ?? `h${h.index}`)), folderStick('courier')].slice(
    0,
    d.total,
  );

export function collectOn(d: DomainSummary, mode: Mode = 'rehearsal'): CeremonyEvent[] {
  return [
    {type: 'choose-mode', mode},
    {type: 'domain-loaded', domain: d},
    {type: 'inspected'},
    ...(mode === 'restore' ? [] : [{type: 'choose-scenario', scenario: 'purged'} as const]),
    {
      type: 'recovery-ready',
      hsmId: '5b7e0c2a-91d4-4e33-a0c1-2f9e8d7c6b5a',
      exchangeFingerprint: 'ab',
    },
  ];
}

export function present(d: DomainSummary, i: number): CeremonyEvent[] {
  const name = d.holders[i - 1]?.name ?? `h${i}`;
  return [
    {type: 'stick-inserted', stick: info(name)},
    {
      type: 'key-matched',
      stick: info(name),
      file: `/demo/${name}/${name}.key`,
      holderIndex: i,
      encrypted: true,
      matchedBy: 'certificate',
      certMissing: false,
    },
  ];
}

export function accepted(d: DomainSummary, i: number): CeremonyEvent[] {
  const name = d.holders[i - 1]?.name ?? `h${i}`;
  return [
    ...present(d, i),
    {
      type: 'acknowledged',
      custodian: {
        name: `Maximiliane Augusta von Rosenberg-Lindqvist ${i}`,
        role: 'Principal Cryptographic Key Custodian, Infrastructure Security',
      },
    },
    {type: 'share-accepted', holderIndex: i, certMissing: false, matchedBy: 'certificate'},
    {type: 'stick-removed', path: `/demo/${name}`},
  ];
}

export const identity = {
  reportKey: `${'A'.repeat(43)}=`,
  pinnedBy: 'header' as const,
  mismatch: null,
};

export function reportOn(d: DomainSummary): CeremonyEvent[] {
  return [
    ...collectOn(d),
    ...accepted(d, 1),
    ...accepted(d, 2),
    ...accepted(d, 3),
    {type: 'reconstruct'},
    {type: 'reconstructed', usedHolders: [1, 2, 3], badShares: [], identity},
    {
      type: 'restored',
      summary: {
        keysExpected: 27,
        keysRestored: 27,
        canaries: {total: 3, passed: 3},
        blobs: [],
        verified: true,
        mismatched: [],
      },
    },
    {
      type: 'report-saved',
      markdown:
        '/home/ceremony-lead/Documents/drill-reports/production-managed-hsm-westeurope/drill-20261207-021503-1ecce5.md',
      json: '/home/ceremony-lead/Documents/drill-reports/production-managed-hsm-westeurope/drill-20261207-021503-1ecce5.json',
    },
  ];
}

export const CHART = [
  'Load domain      ▏                                              <1s',
  'Inspect          ███▌                                           12s',
  'Disaster         ▏                                               2s',
  'Collect shares   ███████████████████████████████████████  12m 04s',
  'Reconstruct      ▏                                              <1s',
  'Restore          ▏                                               1s',
  'Report           ▏                                              <1s',
];

export const findings = [
  {
    rule: 'review-overdue',
    severity: 'warning' as const,
    evidence:
      'No passing drill of this domain is on record: the quorum has not been shown to recover it, and the review date set by policy has passed.',
  },
  {
    rule: 'holder-unregistered',
    severity: 'info' as const,
    evidence:
      'holder-4, holder-7 and holder-9 have no custodian in the registry (sd-drill holders register).',
  },
  {
    rule: 'quorum-below-three',
    severity: 'error' as const,
    evidence: 'The quorum is 2 of 5: the domain document recommends 3 or more.',
  },
];

export const newHolder = (n: number, keeps?: number): NewHolder => ({
  certFingerprint: fp(n),
  spkiFingerprint: `${n}`.padEnd(64, 'a'),
  bits: 3072,
  name: `holder-${n}`,
  from: keeps ? `the old file (holder ${keeps})` : `holder-${n}.cer on stick holder-${n}`,
  ...(keeps ? {keeps} : {}),
});

export function rotationOn(d: DomainSummary, adding: number): CeremonyEvent[] {
  return [
    {type: 'choose-mode', mode: 'rotation'},
    {type: 'domain-loaded', domain: d},
    {type: 'inspected'},
    ...accepted(d, 1),
    ...accepted(d, 2),
    ...accepted(d, 3),
    {type: 'reconstruct'},
    {type: 'reconstructed', usedHolders: [1, 2, 3], badShares: [], identity},
    ...Array.from({length: adding}, (_, i) => ({
      type: 'new-holder-added' as const,
      holder: newHolder(i + 1, i < 3 ? i + 1 : undefined),
    })),
  ];
}

export function newFileOf(d: DomainSummary, n: number): DomainSummary {
  return {
    ...d,
    file: `${d.file.replace(/[^/]+$/, '')}security-domain-gen2.json`,
    required: 3,
    total: n,
    holders: Array.from({length: n}, (_, i) => ({
      index: i + 1,
      name: `holder-${i + 1}`,
      certFingerprint: fp(i + 1),
    })),
    generation: 2,
  };
}

export function rewrapped(d: DomainSummary, n: number): CeremonyEvent[] {
  return [
    ...rotationOn(d, n),
    {type: 'new-holders-chosen', change: {kept: [], added: [], departed: []}, destroy: []},
    {type: 'choose-quorum', required: 3},
    {type: 'rewrap-started'},
    {type: 'rewrapped', domain: newFileOf(d, n)},
  ] as CeremonyEvent[];
}

/** A compromise of `d`: holders 2 and 3 lost, the rest open it, a new HSM, keys moving. */
export function migratingOn(d: DomainSummary): CeremonyEvent[] {
  const n = d.total - 2;
  const to = {...newFileOf(d, n), name: `${d.name ?? 'hsm'}-new`, reportKey: `${'B'.repeat(43)}=`};
  const opened = [1, ...Array.from({length: n - 1}, (_, i) => i + 4)].slice(0, 3);
  return [
    {type: 'choose-mode', mode: 'compromise'},
    {type: 'domain-loaded', domain: d},
    {type: 'lost-reported', holders: [2, 3]},
    {type: 'inspected'},
    ...opened.flatMap((i) => accepted(d, i)),
    {type: 'reconstruct'},
    {type: 'reconstructed', usedHolders: opened, badShares: [], identity},
    ...Array.from({length: n}, (_, i) => ({
      type: 'new-holder-added' as const,
      holder: newHolder(i + 1),
    })),
    {type: 'new-holders-chosen', change: {kept: [], added: [], departed: []}, destroy: []},
    {type: 'choose-quorum', required: 3},
    {type: 'rewrap-started'},
    {type: 'rewrapped', domain: to},
    ...Array.from({length: n}, (_, i) => accepted(to, i + 1)).flat(),
    {type: 'reconstruct'},
    {
      type: 'new-shares-checked',
      proven: Array.from({length: n}, (_, i) => i + 1),
      unproven: [],
      reportKey: to.reportKey,
    },
    {type: 'migration-started', total: 5002},
  ] as CeremonyEvent[];
}

export const migrated = (i: number, failed = false): MigratedKey => ({
  name: `payment-wrapping-key-${String(i).padStart(5, '0')}`,
  version: 3,
  type: 'aes',
  outcome: failed ? 'failed' : 'migrated',
  records: 1,
  verified: failed ? 0 : 1,
  ...(failed
    ? {reason: "the old instance's copy does not match its manifest (sha-256 differs)"}
    : {newKey: 'k'}),
});
