/**
 * The report as Markdown for people and auditors. It renders the JSON record and adds
 * nothing to it: the signed JSON file is what `sd-drill report verify` checks.
 */
import {printable} from '../errors.js';
import {blockBar, formatDuration} from './chart.js';
import type {DrillReport, Finding, Participant} from './model.js';
import {rotationMarkdown} from './rotation.js';
import {compromiseMarkdown} from './compromise-markdown.js';

/** Widest bar in the timeline table. */
export const MARKDOWN_BAR_WIDTH = 30;

/** Text from the drill (names, paths, messages) made safe for a table cell or a line. */
export function text(value: string | number | null | undefined, empty = '—'): string {
  if (value === null || value === undefined || value === '') return empty;
  return (
    // Control and bidi characters shown as \uXXXX: `cat report.md` must not obey a file name.
    printable(String(value).replace(/[\r\n]+/g, ' '))
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\|/g, '\\|')
      // no links or images from names and paths the drill was given
      .replace(/[[\]]/g, (c) => `\\${c}`)
  );
}

/** A value shown as code: backticks inside it would end the span, so it falls back to text. */
export function code(value: string | null | undefined): string {
  if (!value) return '—';
  if (/[`\r\n|]/.test(value) || printable(value) !== value) return text(value);
  return `\`${value}\``;
}

function table(header: string[], rows: string[][], align?: string[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${(align ?? header.map(() => '---')).map((a) => (a === 'right' ? '---:' : a === '---' ? '---' : a)).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

const shortFp = (fp: string): string => (fp.length > 16 ? `${fp.slice(0, 8)}…${fp.slice(-4)}` : fp);
const isoMinute = (s: string | null): string =>
  s ? s.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
const timeOnly = (s: string): string => s.slice(11, 19);

function holderCell(p: Participant): string {
  return `${p.holderIndex}${p.holderName ? ` (${text(p.holderName)})` : ''}`;
}

function stickCell(p: Participant): string {
  if (p.remote)
    return p.contribution
      ? `remote: contribution ${code(shortFp(p.contribution.sha256))}`
      : 'remote: no contribution';
  if (!p.stick) return '—';
  const where = p.stick.source === 'folder' ? 'folder ' : '';
  return `${where}${code(p.stick.path)}${p.stick.device && !p.stick.device.startsWith('folder:') ? ` on ${code(p.stick.device)}` : ''}`;
}

function removableCell(p: Participant): string {
  if (!p.stick) return '—';
  if (p.stick.source === 'folder') return 'not checked (folder)';
  return p.stick.removable === null ? 'unknown' : p.stick.removable ? 'yes' : '**no**';
}

function custodianCell(p: Participant): string {
  if (!p.custodian) return '—';
  if (p.custodianSource === 'registry') return `${text(p.custodian)} (registered)`;
  if (p.custodianSource === 'confirmed') return `${text(p.custodian)} (confirmed as registered)`;
  return text(p.custodian);
}

function findingLine(f: Finding): string {
  return `- **${f.severity.toUpperCase()}** \`${f.rule}\` — ${text(f.evidence)}  \n  *Remedy:* ${text(f.remedy)}`;
}

function scope(report: DrillReport): string[] {
  const d = report.scope.domain;
  const rows: string[][] = [];
  if (d) {
    rows.push(['Security domain', `${code(d.file)} (${d.format})`]);
    rows.push(['Name', text(d.name)]);
    rows.push(['Domain id', code(d.id)]);
    rows.push(['Created', text(d.created)]);
    rows.push(['Quorum', `${d.quorum.required} of ${d.quorum.total}`]);
    if (d.sha256) rows.push(['File SHA-256', code(d.sha256)]);
    if (d.generation) rows.push(['Generation', String(d.generation)]);
  } else {
    rows.push(['Security domain', 'not loaded']);
  }
  rows.push(['Mode', text(report.scope.mode)]);
  rows.push(['Scenario', text(report.scope.scenario)]);
  const yours = report.scope.exchangeCertificate;
  if (yours)
    rows.push([
      'New HSM (yours)',
      `exchange certificate ${code(yours.file)}: x5t#S256 ${code(yours.x5t256)}, SHA-256 ${code(yours.sha256)}`,
    ]);
  if (report.scope.newHsm)
    rows.push([
      yours ? 'Rehearsal HSM (simulated)' : 'New HSM (simulated)',
      `${code(report.scope.newHsm.id)} (exchange key ${code(shortFp(report.scope.newHsm.exchangeFingerprint))})`,
    ]);
  if (report.scope.newcomer)
    rows.push([
      'Newcomer',
      `${text(report.scope.newcomer.holder)} (key ${code(shortFp(report.scope.newcomer.certFingerprint))})`,
    ]);
  rows.push(['Started', isoMinute(report.startedAt)]);
  rows.push(['Ended', `${isoMinute(report.endedAt)} (${formatDuration(report.durationMs)})`]);
  return ['## Scope', '', ...table(['', ''], rows), ''];
}

function participants(report: DrillReport): string[] {
  const lines = ['## Participants', ''];
  if (report.participants.length === 0) {
    lines.push('No holder presented a key.', '');
  } else {
    lines.push(
      ...table(
        [
          'Holder',
          'Custodian',
          'Role',
          'Key fingerprint',
          'Stick / device',
          'Removable',
          'Presented',
          'Outcome',
        ],
        report.participants.map((p) => [
          holderCell(p),
          custodianCell(p),
          text(p.role),
          code(shortFp(p.fingerprint)),
          stickCell(p),
          removableCell(p),
          isoMinute(p.presentedAt),
          `${p.outcome}${p.passphraseFailures > 0 ? ` (${p.passphraseFailures} wrong passphrase${p.passphraseFailures === 1 ? '' : 's'})` : ''}`,
        ]),
      ),
      '',
    );
  }
  const seen = new Set(report.participants.map((p) => p.holderIndex));
  const others = (report.scope.domain?.holders ?? []).filter((h) => !seen.has(h.index));
  if (others.length > 0)
    lines.push(
      `Not called: ${others.map((h) => `holder ${h.index}${h.name ? ` (${text(h.name)})` : ''}`).join(', ')}.`,
      '',
    );
  return lines;
}

function timelineSection(report: DrillReport): string[] {
  const lines = ['## Timeline', ''];
  if (report.timeline.length === 0) return [...lines, 'No steps were recorded.', ''];
  const longest = Math.max(...report.timeline.map((s) => s.durationMs));
  lines.push(
    ...table(
      ['Step', 'Start', 'End', 'Duration', 'Outcome', 'Time spent'],
      report.timeline.map((s) => [
        text(s.title),
        timeOnly(s.start),
        timeOnly(s.end),
        formatDuration(s.durationMs),
        s.outcome,
        blockBar(s.durationMs, longest, MARKDOWN_BAR_WIDTH) || '·',
      ]),
      ['---', '---', '---', 'right', '---', '---'],
    ),
    '',
    `Times are UTC on ${report.startedAt.slice(0, 10)}; bars are proportional to the longest step.`,
    '',
  );
  return lines;
}

function restoreSection(report: DrillReport): string[] {
  const r = report.restore;
  const lines = ['## Restore results', ''];
  if (!r) {
    const rec = report.reconstruction;
    lines.push(
      rec && !rec.ok
        ? `The domain was not reconstructed${rec.message ? `: ${text(rec.message)}` : ''}; nothing was restored.`
        : 'Nothing was restored in this drill.',
    );
    if (rec?.badShares.length)
      for (const b of rec.badShares)
        lines.push(`- Bad share from holder ${b.holderIndex}: ${text(b.reason)}`);
    return [...lines, ''];
  }
  const azure = report.scope.domain?.format === 'azure';
  if (r.restoreBlob)
    lines.push(
      `- Restore blob for your new HSM: ${code(r.restoreBlob.file)}`,
      `  - SHA-256: ${code(r.restoreBlob.sha256)}`,
      `  - wrapped to the exchange certificate x5t#S256 ${code(r.restoreBlob.x5t256)} (its \`WrappedKey.x5t_256\`)`,
      `  - next, on the online machine: ${code(r.restoreBlob.upload)}`,
      `  - your HSM is restored only once this blob is uploaded to it`,
    );
  else if (azure && report.scope.mode === 'restore')
    lines.push('- No restore blob was written: no `--exchange-key` was given.');
  lines.push(
    ...(azure
      ? [
          `- ${report.scope.mode === 'restore' ? 'Rehearsed into a simulated HSM' : 'Restored into the new (simulated) HSM'}: ${r.keysRestored} of ${r.keysExpected} blobs verified`,
        ]
      : [
          `- Keys restored into the new (simulated) HSM: ${r.keysRestored} of ${r.keysExpected}`,
          `- Canaries passed: ${r.canaries.passed} of ${r.canaries.total}`,
        ]),
    `- Verified: ${r.verified ? 'yes' : '**no**'}`,
  );
  if (report.reconstruction)
    lines.push(
      `- Reconstructed from holders: ${report.reconstruction.usedHolders.join(', ') || '—'}`,
    );
  if (r.restoreBlobFile && !r.restoreBlob) lines.push(`- Restore blob: ${code(r.restoreBlobFile)}`);
  for (const m of r.mismatched) lines.push(`- Mismatch: ${text(m)}`);
  lines.push('');
  if (r.blobs.length > 0) {
    lines.push(
      ...table(
        ['Blob', 'Bytes', 'SHA-256'],
        r.blobs.map((b) => [text(b.tag), String(b.bytes), code(b.sha256)]),
        ['---', 'right', '---'],
      ),
      '',
    );
  }
  return lines;
}

/** How the report key stood on the drill's machine, and what the operator decided at first use. */
function pinWords(id: NonNullable<DrillReport['identity']>): string {
  const first = id.firstPin;
  const when = first ? isoMinute(first.at) : '';
  const header = "the key pinned in the domain file's authenticated header";
  // No record here and no answer: the drill ended (a signal) before anyone was asked.
  const unanswered =
    id.recorded === false && !first
      ? "; no key was on record for this domain on the drill's machine, and none was pinned (the drill ended before anyone was asked)"
      : '';
  if (id.pinnedBy === 'header')
    return !first
      ? `${header}${unanswered}`
      : first.pinned
        ? `${header}; no key was on record for this domain on the drill's machine, and the operator pinned it there at first use on ${when}`
        : `${header}; no key was on record for this domain on the drill's machine, and the operator chose not to pin it there`;
  if (id.pinnedBy === 'store') return "the key on record for this domain on the drill's machine";
  if (first?.pinned)
    return `pinned at first use on ${when}: no key was on record for this domain on the drill's machine, and the operator, shown this key and the file's SHA-256, pinned it`;
  if (first)
    return "NOT pinned: no key was on record for this domain on the drill's machine, and the operator chose not to pin this one; this report verifies only against a key on record (`--expect-key`)";
  return unanswered
    ? `NOT pinned${unanswered}`
    : "first passing drill of this domain on the drill's machine";
}

function proofSection(report: DrillReport): string[] {
  const p = report.proof;
  const lines = ['## Proof of recovery', ''];
  const id = report.identity;
  const pin = id
    ? id.mismatch
      ? [`- The reconstructed domain is NOT the domain on record: ${text(id.mismatch)}.`]
      : [
          `- ${report.compromise ? "The old domain's report key" : 'Report key'} ${code(id.reportKey)}: ${pinWords(id)}.`,
        ]
    : [];
  if (!p.signed)
    return [...lines, `Unsigned: ${text(p.reason)}.`, '', ...pin, ...(pin.length ? [''] : [])];
  const to = report.compromise?.to;
  return [
    ...lines,
    to
      ? `The JSON report is signed with the NEW security domain's report key (${code(to.reportKey)}, pinned in the header of ${code(to.file)}), not the old domain's: an Ed25519 key derived from the new domain secret, whose holders all proved their shares in this rehearsal. A signature proves something only under a pinned key: check it against the new domain file.`
      : 'The JSON report is signed with the domain’s report key, an Ed25519 key derived from the reconstructed domain secret: only a quorum that reconstructed this domain (in this drill or any other) can make this signature. A signature proves something only under a pinned key: check it against the key on record.',
    '',
    `- Public key (raw, base64): ${code(p.publicKey)}`,
    `- Signature: ${code(p.signature)}`,
    ...pin,
    `- Check: \`sd-drill report verify drill-${report.id}.json --sd ${to ? '<the new domain file>' : '<the domain file>'}\` or \`--expect-key <the key on record>\``,
    '- Signed bytes: the RFC 8785 (JCS) canonical JSON of the JSON report without `proof.signature`.',
    '',
  ];
}

/** The whole report as Markdown. */
export function renderMarkdown(report: DrillReport): string {
  const d = report.scope.domain;
  const title = d?.name ?? d?.id ?? d?.file ?? 'no domain loaded';
  const lines: string[] = [
    `# Drill report: ${text(title)} — ${report.verdict.toUpperCase()}`,
    '',
    `Drill ${code(report.id)} · ${text(report.scope.mode, 'no mode chosen')} · ${report.tool.name} ${text(report.tool.version)} · report schema ${report.schemaVersion} · generated ${isoMinute(report.generatedAt)}`,
    '',
    // This file is not signed: a person must know where the record is before trusting a word.
    report.proof.signed
      ? `> This Markdown is a rendering, not the record: it is not signed, and anyone can edit it. The signed record is ${code(`drill-${report.id}.json`)}: check that file with \`sd-drill report verify\` and take the facts from it.`
      : `> This Markdown is a rendering of ${code(`drill-${report.id}.json`)}. Neither file is signed (the drill did not pass), so neither proves anything on its own.`,
    '',
    ...scope(report),
    '## Objectives',
    '',
    ...report.objectives.map((o, i) => `${i + 1}. ${text(o)}`),
    '',
    ...participants(report),
    ...timelineSection(report),
    '## Findings',
    '',
    ...(report.findings.length === 0 ? ['No findings.'] : report.findings.map(findingLine)),
    '',
    '## Recommendations',
    '',
    ...(report.recommendations.length === 0
      ? ['None.']
      : report.recommendations.map((r, i) => `${i + 1}. ${text(r)}`)),
    '',
    '## Verdict',
    '',
    `**${report.verdict.toUpperCase()}** — ${text(report.verdictReason)}`,
    '',
    ...(report.rotation
      ? rotationMarkdown(report, {text, code})
      : report.compromise
        ? compromiseMarkdown(report, {text, code})
        : restoreSection(report)),
    ...proofSection(report),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
