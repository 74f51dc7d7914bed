/** The compromise rehearsal's sections of the Markdown report (./compromise.ts builds the data). */
import {formatDuration} from './chart.js';
import type {DrillReport} from './model.js';

type Md = {
  text: (v: string | number | null | undefined) => string;
  code: (v: string | null) => string;
};

const short = (fp: string): string => `${fp.slice(0, 8)}…${fp.slice(-4)}`;
/** Keys listed one by one up to this many; beyond it the failures only (the JSON has each). */
const LIST_EVERY_KEY_UP_TO = 100;

export function compromiseMarkdown(report: DrillReport, md: Md): string[] {
  const c = report.compromise;
  if (!c) return [];
  const ref = (h: {holder: number; name: string | null; fingerprint: string}) =>
    `holder ${h.holder}${h.name ? ` (${md.text(h.name)})` : ''} ${md.code(short(h.fingerprint))}`;
  const lines = ['## Compromise rehearsal: the move to a new HSM', ''];
  lines.push(
    `- Old (compromised) domain: ${md.code(c.from.file)} — ${md.text(c.from.name)}, quorum ${c.from.required} of ${c.from.total}${c.from.reportKey ? `, report key ${md.code(c.from.reportKey)}` : ''}`,
  );
  lines.push(
    c.to
      ? `- New HSM: ${md.text(c.to.name)} (simulated), its security domain ${md.code(c.to.file)} — quorum ${c.to.required} of ${c.to.total}${c.to.reportKey ? `, report key ${md.code(c.to.reportKey)}` : ''}`
      : '- New HSM: not provisioned',
  );
  if (c.lost.length > 0) lines.push(`- Reported lost (never kept): ${c.lost.map(ref).join(', ')}`);
  for (const k of c.kept)
    lines.push(`- Kept: old ${ref(k.from)} → new ${ref(k.to)} (same ${k.by})`);
  for (const a of c.added) lines.push(`- Added: new ${ref(a)}`);
  lines.push('');
  if (c.proofs.length > 0) {
    lines.push('The new HSM’s holders proving their keys:', '');
    for (const p of c.proofs)
      lines.push(
        `- ${p.outcome === 'proven' ? '✓' : '✗'} ${ref(p)}${p.custodian ? ` — ${md.text(p.custodian)}` : ''}${p.note ? `: ${md.text(p.note)}` : ''}`,
      );
    lines.push('');
  }
  lines.push('### Keys migrated', '');
  const m = c.migration;
  if (!m)
    lines.push(
      'The migration did not start: no key was moved and the old instance was not purged.',
    );
  else {
    lines.push(
      `- Keys: ${m.migrated} of ${m.total} migrated and checked in the new HSM${m.failed ? `; **${m.failed} failed**` : ''}${m.tried < m.total ? `; **${m.total - m.tried} not tried** (the rehearsal ended first)` : ''}`,
      `- Data re-protected and verified: ${m.records.verified} of ${m.records.total} records (each opened with the old key, sealed under the new one, opened there again)`,
      `- Old instance purged: ${c.oldPurged ? 'yes' : '**no**'}`,
      '',
    );
    const shown =
      m.keys.length <= LIST_EVERY_KEY_UP_TO
        ? m.keys
        : m.keys.filter((k) => k.outcome !== 'migrated');
    if (shown.length > 0) {
      lines.push(
        '| Key | Type | Outcome | Records | New key / why not |',
        '|---|---|---|---:|---|',
      );
      for (const k of shown)
        lines.push(
          `| ${md.text(k.name)} v${k.version} | ${k.type} | ${k.outcome === 'migrated' ? 'migrated' : '**failed**'} | ${k.verified}/${k.records} | ${k.outcome === 'migrated' ? md.code(k.newKey) : md.text(k.reason)} |`,
        );
      if (shown.length < m.keys.length)
        lines.push(
          '',
          `The other ${m.keys.length - shown.length} keys were migrated and checked; the JSON report lists each.`,
        );
      lines.push('');
    }
  }
  if (c.atRisk.length > 0) {
    lines.push('Lost if the old HSM were purged now — its data is under the old keys only:', '');
    for (const x of c.atRisk) lines.push(`- ${md.text(x)}`);
    lines.push('');
  }
  lines.push('### Time against the recovery time objective', '');
  for (const p of c.phases) lines.push(`- ${md.text(p.phase)}: ${formatDuration(p.durationMs)}`);
  lines.push(
    `- All phases: ${formatDuration(c.rto.totalMs)} of the ${c.rto.minutes}-minute objective — ${c.rto.within ? 'within it' : '**over it**'}`,
    '',
  );
  lines.push(
    '### In a real compromise, then',
    '',
    'This was a rehearsal on the simulated HSM: nothing real was changed, moved or purged, and nothing was entered in the custody log for these. On the day, do each and record it:',
    '',
  );
  for (const x of c.checklist)
    lines.push(`- [ ] ${md.text(x.item)}  \n  Record it: ${md.code(x.record)}`);
  lines.push('');
  return lines;
}
