/**
 * The compromise rehearsal's part of the report: the old (compromised) domain and the new
 * HSM's, who holds the new one and each holder's proof, every key's migration (or why not),
 * the data that would be lost if the old HSM were purged now, each phase's time against the
 * recovery time objective, and the checklist for the real event, each item with the custody
 * record to make when it is done. A rehearsal changes nothing real: the checklist is what to do
 * on the day, and nothing is entered in the custody log for it.
 */
import type {CeremonyState} from '../ceremony/types.js';
import {shellWord as sh} from '../domain/loss.js';
import type {RegistryEntry} from '../store/schema.js';
import {custodianOf, proofOf} from './rotation.js';
import type {CompromiseReport} from './compromise-schema.js';
import type {Finding, ReportTimelineStep} from './model.js';

/** The rehearsal's phases, by the steps each spans. */
const PHASES: Array<{phase: string; steps: string[]}> = [
  {phase: 'old instance brought up (simulation only)', steps: ['collect', 'reconstruct']},
  {phase: 'new HSM provisioned with a new security domain', steps: ['enlist', 'rewrap']},
  {phase: 'new holders proved their keys', steps: ['prove']},
  {phase: 'keys migrated and checked; old instance purged', steps: ['migrate']},
];

export function phasesOf(timeline: readonly ReportTimelineStep[]): CompromiseReport['phases'] {
  return PHASES.map((p) => ({
    phase: p.phase,
    durationMs: timeline
      .filter((t) => p.steps.includes(t.step))
      .reduce((n, t) => n + t.durationMs, 0),
  })).filter((p, i, all) => p.durationMs > 0 || all.slice(i).some((q) => q.durationMs > 0));
}

function checklist(
  state: CeremonyState,
  registry: readonly RegistryEntry[],
  reportId: string,
): CompromiseReport['checklist'] {
  const d = state.domain;
  const to = state.rotation?.to?.domain;
  const oldName = d?.name ?? 'the old HSM';
  const newName = to?.name ?? 'the new HSM';
  const lost = state.compromise?.lost ?? [];
  const note = (what: string) => sh(`${what} (compromise runbook; rehearsed in drill ${reportId})`);
  const items: CompromiseReport['checklist'] = [
    {
      item: `Re-point every application from ${oldName}'s URL to ${newName}'s, and check each one works with the new keys.`,
      record: `sd-drill custody add --from ${sh('application owners')} --to ${sh(newName)} --note ${note(`applications re-pointed from ${oldName} to ${newName}`)}`,
    },
    {
      item: `Find every copy of data protected under ${oldName}'s keys (backups, replicas, exports): whoever restores the old domain can read it. Re-protect it under the new keys or destroy it.`,
      record: `sd-drill custody add --from ${sh('data owners')} --to destroyed --note ${note(`copies of data under ${oldName}'s keys re-protected or destroyed`)}`,
    },
    {
      item: `Purge ${oldName} once every key's data is moved — never before: a purged HSM's keys are gone (Azure: az keyvault delete --hsm-name ${oldName}, then az keyvault purge --hsm-name ${oldName} --location <region>).`,
      record: `sd-drill custody add --from ${sh(oldName)} --to purged --note ${note(`${oldName} deleted and purged`)}`,
    },
  ];
  for (const x of state.rotation?.destroy ?? []) {
    if (x.what === 'domain-file') {
      items.push({
        item: `Destroy every copy of the old security domain ${x.file ?? d?.file ?? ''}${x.sha256 ? ` (sha256 ${x.sha256})` : ''}.`,
        record: `sd-drill custody add --from ${sh('the quorum')} --to destroyed --note ${note(`every copy of ${x.file ?? 'the old security domain'} destroyed`)}`,
      });
      continue;
    }
    const index = x.holder?.index;
    const who = custodianOf(state, registry, index, x.certFingerprint);
    const holder = `old holder ${index ?? '?'}${x.holder?.name ? ` (${x.holder.name})` : ''}`;
    const fp = x.certFingerprint ? ` --fingerprint ${x.certFingerprint}` : '';
    items.push(
      index !== undefined && lost.includes(index)
        ? {
            item: `The wrapping key of ${holder} was reported lost and cannot be destroyed: destroying every copy of the old file is what makes it worthless.`,
            record: `sd-drill custody add --from ${sh(who)} --to ${sh('lost; old file destroyed')}${fp} --note ${note(`lost key of ${holder}: every copy of the old file destroyed`)}`,
          }
        : {
            item: `Destroy the wrapping key of ${holder}: it opens a share of the old file.`,
            record: `sd-drill custody add --from ${sh(who)} --to destroyed${fp} --note ${note(`wrapping key of ${holder} destroyed`)}`,
          },
    );
  }
  return items;
}

export function compromiseSection(
  state: CeremonyState,
  reportId: string,
  registry: readonly RegistryEntry[],
  timeline: readonly ReportTimelineStep[],
  rtoMinutes: number,
): CompromiseReport | null {
  const d = state.domain;
  const c = state.compromise;
  if (state.mode !== 'compromise' || !d) return null;
  const r = state.rotation;
  const to = r?.to?.domain;
  const hRef = (h: {index: number; name?: string; certFingerprint: string}) => ({
    holder: h.index,
    name: h.name ?? null,
    fingerprint: h.certFingerprint,
  });
  const m = c?.migration;
  const keys = (m?.keys ?? []).map((k) => ({
    name: k.name,
    version: k.version,
    type: k.type,
    outcome: k.outcome,
    records: k.records,
    verified: k.verified,
    newKey: k.newKey ?? null,
    reason: k.reason ?? null,
  }));
  const failed = keys.filter((k) => k.outcome !== 'migrated');
  const untried = m ? m.total - keys.length : 0;
  const purged = c?.purged === true;
  const atRisk = purged
    ? []
    : [
        ...failed.map(
          (k) =>
            `${k.name} v${k.version}: not migrated (${k.reason ?? 'failed'}); its data is under the old key only`,
        ),
        ...(untried > 0
          ? [
              `${untried} keys not yet tried when the rehearsal ended: their data is under the old keys only`,
            ]
          : []),
      ];
  const phases = phasesOf(timeline);
  const totalMs = phases.reduce((n, p) => n + p.durationMs, 0);
  return {
    from: {
      file: d.file,
      sha256: d.sha256 ?? null,
      id: d.id ?? null,
      name: d.name ?? null,
      reportKey: state.identity?.reportKey ?? d.reportKey ?? null,
      required: d.required,
      total: d.total,
    },
    to: to
      ? {
          file: to.file,
          sha256: to.sha256 ?? null,
          id: to.id ?? null,
          name: to.name ?? null,
          reportKey: to.reportKey ?? null,
          required: to.required,
          total: to.total,
          holders: to.holders.map(hRef),
        }
      : null,
    lost: (c?.lost ?? []).flatMap((i) => {
      const h = d.holders.find((x) => x.index === i);
      return h ? [hRef(h)] : [];
    }),
    kept: (r?.change?.kept ?? []).map((k) => ({from: hRef(k.old), to: hRef(k.next), by: k.by})),
    added: (r?.change?.added ?? []).map(hRef),
    proofs: (r?.to?.holders ?? []).map((h) => {
      const p = proofOf(h, r?.proof);
      return {
        holder: p.holder,
        name: p.name,
        fingerprint: p.fingerprint,
        outcome: p.outcome,
        custodian: p.custodian,
        role: p.role,
        keyFile: p.keyFile,
        note: p.note,
      };
    }),
    migration: m
      ? {
          total: m.total,
          tried: keys.length,
          migrated: keys.length - failed.length,
          failed: failed.length,
          records: {
            total: keys.reduce((n, k) => n + k.records, 0),
            verified: keys.reduce((n, k) => n + k.verified, 0),
          },
          keys,
        }
      : null,
    oldPurged: purged,
    atRisk,
    phases,
    rto: {minutes: rtoMinutes, totalMs, within: totalMs <= rtoMinutes * 60_000},
    checklist: checklist(state, registry, reportId),
  };
}

/** A migration that finished with keys not migrated: their data is under the old keys only. */
export function compromiseFindings(state: CeremonyState): Finding[] {
  const m = state.compromise?.migration;
  if (state.mode !== 'compromise' || !m?.finished) return [];
  const failed = m.keys.filter((k) => k.outcome !== 'migrated');
  if (failed.length === 0) return [];
  return [
    {
      rule: 'keys-not-migrated',
      severity: 'error',
      evidence: `${failed.length} of ${m.total} keys could not be migrated to the new HSM: ${failed
        .slice(0, 5)
        .map((k) => `${k.name} v${k.version} (${k.reason ?? 'failed'})`)
        .join('; ')}${failed.length > 5 ? `; and ${failed.length - 5} more` : ''}.`,
      remedy:
        'Find out why each key’s data does not open with the old key or does not check under the new one before the day: in a real compromise the old HSM could not be purged until it does, and whatever it alone protects would be lost with it.',
    },
  ];
}
