/**
 * The rotation's part of the report: the old and new files, who was kept, added and departed,
 * each new holder's proof, and — on a pass only — what must now be destroyed, each with the
 * command that records its destruction in the custody log. A failed rotation destroys
 * nothing: the old file stays in use.
 */
import type {CeremonyState, HolderStatus} from '../ceremony/types.js';
import type {HolderRef} from '../ceremony/types.js';
import {normaliseFingerprint, type RegistryEntry} from '../store/schema.js';
import type {DrillReport, Finding, RotationReport} from './model.js';

const ref = (h: HolderRef): RotationReport['added'][number] => ({
  holder: h.index,
  name: h.name ?? null,
  fingerprint: h.certFingerprint,
});

/** A word for the shell: quoted unless plainly safe. */
const sh = (s: string): string => (/^[\w./:@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function custodianOf(
  state: CeremonyState,
  registry: readonly RegistryEntry[],
  index: number | undefined,
  fingerprint: string | undefined,
): string {
  const h = state.holders.find((x) => x.index === index);
  if (h?.custodian) return h.custodian.name;
  const fp = fingerprint ? normaliseFingerprint(fingerprint) : undefined;
  const reg = registry.find((r) => r.fingerprint === fp);
  if (reg) return reg.custodian;
  return h?.name ? `custodian of ${h.name}` : `custodian of holder ${index ?? '?'}`;
}

export function proofOf(h: HolderStatus, proof: NonNullable<CeremonyState['rotation']>['proof']) {
  const proven = proof?.proven.includes(h.index) === true;
  const why =
    proof?.unproven.find((u) => u.holderIndex === h.index)?.reason ??
    h.note ??
    (h.state === 'absent'
      ? 'marked absent'
      : h.state === 'accepted'
        ? 'share opened; the rotation ended before every share was checked'
        : 'did not present their key');
  return {
    holder: h.index,
    name: h.name ?? null,
    fingerprint: h.certFingerprint,
    outcome: proven ? ('proven' as const) : ('not-proven' as const),
    custodian: h.custodian?.name ?? null,
    role: h.custodian?.role ?? null,
    keyFile: h.file ?? null,
    stick: h.stick ? {...h.stick} : null,
    note: proven ? null : why,
  };
}

export function rotationSection(
  state: CeremonyState,
  reportId: string,
  registry: readonly RegistryEntry[],
): RotationReport | null {
  const r = state.rotation;
  const d = state.domain;
  if (state.mode !== 'rotation' || !r || !d) return null;
  const to = r.to?.domain;
  const passed = state.outcome?.verdict === 'pass';
  return {
    from: {file: d.file, sha256: d.sha256 ?? null, required: d.required, total: d.total},
    to: to
      ? {
          file: to.file,
          sha256: to.sha256 ?? null,
          required: to.required,
          total: to.total,
          generation: to.generation ?? null,
        }
      : null,
    kept: (r.change?.kept ?? []).map((k) => ({from: ref(k.old), to: ref(k.next), by: k.by})),
    added: (r.change?.added ?? []).map(ref),
    departed: (r.change?.departed ?? []).map((x) => ({...ref(x.old), knownBy: x.known})),
    proofs: (r.to?.holders ?? []).map((h) => proofOf(h, r.proof)),
    // Only a rotation every new holder has proven retires anything.
    destroy: passed
      ? (r.destroy ?? []).map((x) => {
          const from =
            x.what === 'domain-file'
              ? 'the quorum'
              : custodianOf(state, registry, x.holder?.index, x.certFingerprint);
          const note = `destroyed after rotation ${reportId}: ${x.what === 'domain-file' ? `a copy of ${x.file ?? d.file}` : `the wrapping key of departed holder ${x.holder?.index ?? '?'}`}`;
          return {
            what: x.what,
            text: x.text,
            fingerprint: x.certFingerprint ?? null,
            file: x.file ?? null,
            sha256: x.sha256 ?? null,
            custodian: from,
            record: `sd-drill custody add --from ${sh(from)} --to destroyed${x.certFingerprint ? ` --fingerprint ${x.certFingerprint}` : ''} --note ${sh(note)}`,
          };
        })
      : [],
  };
}

/** A passing rotation leaves the old file and the departed keys able to open the domain. */
export function rotationFindings(state: CeremonyState): Finding[] {
  const r = state.rotation;
  if (state.mode !== 'rotation' || state.outcome?.verdict !== 'pass' || !r?.destroy?.length)
    return [];
  const keys = r.destroy.filter((x) => x.what === 'wrapping-key').length;
  return [
    {
      rule: 'rotation-destroy-pending',
      severity: 'warning',
      evidence: `Until they are destroyed, every copy of ${state.domain?.file ?? 'the old file'}${keys > 0 ? ` and ${keys} departed holder${keys === 1 ? "'s key" : "s' keys"}` : ''} still open the domain: the old file with any ${state.domain?.required ?? 'quorum of'} old keys.`,
      remedy:
        "Destroy every copy of the old security-domain file and each departed holder's wrapping key, and record each destruction in the custody log (the report gives the command for each); keep only the new file.",
    },
  ];
}

/** A rotation whose new quorum was chosen below the safe default (and confirmed). */
export function quorumLowered(state: CeremonyState): Finding[] {
  const r = state.rotation;
  const low = r?.lowered;
  if ((state.mode !== 'rotation' && state.mode !== 'compromise') || !low) return [];
  if (r.required === undefined) return [];
  const n = r.newHolders.length;
  const total = state.domain?.total ?? '?';
  // A compromise rehearsal's new quorum belongs to a new domain; a rotation's to the same one.
  const lowered =
    state.mode === 'compromise'
      ? `The new domain's quorum, ${low.to} of ${n}, is lower than the old domain's ${low.current} of ${total}`
      : `The rotation lowered the quorum from ${low.current} of ${total} to ${low.to} of ${n}`;
  return [
    {
      rule: 'quorum-lowered',
      severity: 'warning',
      evidence:
        low.to < low.current
          ? `${lowered}; the operator confirmed it at the machine.`
          : `The new file's quorum is ${low.to} of ${n}, below the ${low.from} the domain document recommends (the current quorum is ${low.current} of ${total}); the operator confirmed it at the machine.`,
      remedy: `Make sure the lower quorum is intended and written into the quorum policy; otherwise rotate again to a quorum of ${low.from} or more, so that fewer holders — or fewer lost keys — cannot open the domain.`,
    },
  ];
}

type Md = {
  text: (v: string | number | null | undefined) => string;
  code: (v: string | null) => string;
};

const refText = (md: Md, h: {holder: number; name: string | null; fingerprint: string}) =>
  `holder ${h.holder}${h.name ? ` (${md.text(h.name)})` : ''} ${md.code(`${h.fingerprint.slice(0, 8)}…${h.fingerprint.slice(-4)}`)}`;

/** The report's "Rotation" section in Markdown. */
export function rotationMarkdown(report: DrillReport, md: Md): string[] {
  const r = report.rotation;
  if (!r) return [];
  const lines = ['## Rotation', ''];
  lines.push(`- From: ${md.code(r.from.file)} — quorum ${r.from.required} of ${r.from.total}`);
  lines.push(
    r.to
      ? `- To: ${md.code(r.to.file)} — quorum ${r.to.required} of ${r.to.total}${r.to.generation ? `, generation ${r.to.generation}` : ''}${r.to.sha256 ? `, sha256 ${md.code(r.to.sha256)}` : ''}`
      : '- To: no new file was written',
  );
  for (const k of r.kept)
    lines.push(`- Kept: ${refText(md, k.from)} → new ${refText(md, k.to)} (same ${k.by})`);
  for (const a of r.added) lines.push(`- Added: new ${refText(md, a)}`);
  for (const x of r.departed)
    lines.push(
      `- Departed: ${refText(md, x)}${x.knownBy === 'certificate' ? ' (by certificate; its key was not presented)' : ''}`,
    );
  lines.push('');
  if (r.proofs.length > 0) {
    lines.push('New holders proving their keys against the new file:', '');
    for (const p of r.proofs)
      lines.push(
        `- ${p.outcome === 'proven' ? '✓' : '✗'} ${refText(md, p)}${p.custodian ? ` — ${md.text(p.custodian)}` : ''}${p.keyFile ? `, ${md.code(p.keyFile)}` : ''}${p.note ? `: ${md.text(p.note)}` : ''}`,
      );
    lines.push('');
  }
  if (r.destroy.length > 0) {
    lines.push(
      'Now destroy — until each is gone, the old file and any quorum of old keys still open the domain:',
      '',
    );
    for (const x of r.destroy)
      lines.push(`- ${md.text(x.text)}  \n  Then record it: ${md.code(x.record)}`);
    lines.push('');
  } else if (report.verdict !== 'pass') {
    lines.push(
      'Nothing may be destroyed: the rotation did not pass. Keep using the old file; do not use the new one until every new holder has proven their key (`sd-drill verify --all`).',
      '',
    );
  }
  return lines;
}
