import {Box} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {glyphs} from '../components/glyphs.js';
import {holderRows, HolderList} from '../components/holder-list.js';
import {useLayout} from '../components/layout.js';
import {Notice} from '../components/notice.js';
import {itemRows, ScrollList, type ScrollItem} from '../components/scroll-list.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';
import {rowsOf} from '../components/wrap.js';
import {useKeys} from '../hooks/use-keys.js';

export interface FindingLine {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  evidence: string;
}

/** The rows the findings get at least, before the holder list goes compact to make room. */
const FINDINGS_ROWS = 6;

/**
 * Inspect: the domain, its holders with their registered custodians, and the policy
 * findings known before anyone arrives — every finding whole, wrapped; when they do not all
 * fit, ↑↓ scrolls them and the screen says how many are above and below.
 */
export function InspectScreen({
  state,
  findings,
  registered,
  onContinue,
  onBack,
}: {
  state: CeremonyState;
  findings: FindingLine[];
  registered: Map<string, string>;
  onContinue: () => void;
  onBack: () => void;
}) {
  useKeys({next: onContinue, back: onBack});
  const {width, bodyRows} = useLayout();
  const d = state.domain;
  if (!d) return null;
  const g = glyphs();
  const sep = ` ${g.sep} `;
  const summary = `${d.name ?? 'security domain'}${sep}${d.format === 'azure' ? 'Azure Managed HSM' : 'sd-drill simulated HSM'}${sep}quorum ${d.required} of ${d.total}${d.created ? `${sep}created ${d.created.slice(0, 10)}` : ''}`;
  const newcomer = state.newcomer
    ? `${state.newcomer.holder}, your certificate is on your stick. Its SHA-256 fingerprint, for the custody register (sd-drill holders register):`
    : undefined;
  const mark = (f: FindingLine) =>
    f.severity === 'error' ? g.error : f.severity === 'warning' ? g.warning : g.info;
  const items: ScrollItem[] = findings.map((f) => ({
    key: f.rule + f.evidence,
    text: `${mark(f)} ${f.rule}: ${f.evidence}`,
    node: (
      <Text>
        <Text
          color={color(
            f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'muted',
          )}
        >
          {mark(f)} {f.rule}
        </Text>
        {`: ${f.evidence}`}
      </Text>
    ),
  }));
  // A compromise rehearsal says which sticks were lost, and its notice, above the prompt.
  const compromise =
    state.mode === 'compromise'
      ? rowsOf(lostLine(state), width) +
        (state.notice ? rowsOf(`! ${state.notice.text}`, width) : 0)
      : 0;
  // Rows: the summary, the file, the newcomer's fingerprint, the two titles and the prompt;
  // then the gaps between the parts, dropped when the rows are too few for them.
  const base =
    rowsOf(summary, width) +
    rowsOf(d.file, width) +
    compromise +
    (newcomer && state.newcomer
      ? rowsOf(newcomer, width) + rowsOf(state.newcomer.certFingerprint, width)
      : 0) +
    3;
  const gaps = (newcomer ? 4 : 3) + (state.mode === 'compromise' ? 1 : 0);
  const findingRows = itemRows(items, width);
  // At least one finding, whole, with the lines saying how many others there are.
  const leastFindings = Math.min(findingRows, itemRows(items.slice(0, 1), width) + 2);
  const fullHolders = holderRows(state.holders, width, registered);
  const compactHolders = Math.ceil(state.holders.length / 2);
  const gap =
    base + gaps + Math.min(fullHolders, compactHolders) + leastFindings <= bodyRows ? 1 : 0;
  const room = bodyRows - base - gaps * gap;
  // The holders in full if the findings keep a few rows; else in two columns, or what of them
  // fits beside one finding.
  const holderBudget =
    fullHolders + Math.min(findingRows, FINDINGS_ROWS) <= room
      ? fullHolders
      : Math.max(1, Math.min(compactHolders, room - leastFindings));
  const used =
    fullHolders <= holderBudget ? fullHolders : Math.min(holderBudget, compactHolders + 1);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{d.name ?? 'security domain'}</Text>
        {summary.slice((d.name ?? 'security domain').length)}
      </Text>
      <Text color={color('muted')}>{d.file}</Text>
      {newcomer && state.newcomer ? (
        <Box marginTop={gap} flexDirection="column">
          <Text>{newcomer}</Text>
          <Text bold>{state.newcomer.certFingerprint}</Text>
        </Box>
      ) : null}
      <Box marginTop={gap} flexDirection="column">
        <Text bold>Holders (wrapping-key fingerprints)</Text>
        <HolderList holders={state.holders} registered={registered} maxRows={holderBudget} />
      </Box>
      <Box marginTop={gap} flexDirection="column">
        <Text bold>
          Policy findings before anyone arrives: {findings.length === 0 ? 'none' : findings.length}
        </Text>
        <ScrollList items={items} rows={Math.max(1, room - used)} />
      </Box>
      {state.mode === 'compromise' ? <CompromiseNote state={state} gap={gap} /> : null}
      <Box marginTop={gap}>
        <Text>Press Enter when the holders are ready to begin.</Text>
      </Box>
    </Box>
  );
}

/** A compromise rehearsal's line: which sticks were reported lost. */
function lostLine(state: CeremonyState): string {
  const lost = state.compromise?.lost ?? [];
  if (lost.length === 0) return '';
  return `Reported lost: ${lost.length === 1 ? 'holder' : 'holders'} ${
    lost.length === 1 ? lost[0] : `${lost.slice(0, -1).join(', ')} and ${lost.at(-1)}`
  } — they will not present, and their keys never protect the new HSM.`;
}

/** A compromise rehearsal: which sticks were reported lost (they neither present nor are kept). */
function CompromiseNote({state, gap}: {state: CeremonyState; gap: number}) {
  const line = lostLine(state);
  return (
    <Box marginTop={gap} flexDirection="column">
      {line ? <Text>{line}</Text> : null}
      <Notice notice={state.notice} />
    </Box>
  );
}
