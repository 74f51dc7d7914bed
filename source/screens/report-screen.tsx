import {Box} from 'ink';
import type {CeremonyState, RestoreSummary} from '../ceremony/types.js';
import {display} from '../components/display.js';
import {glyphs} from '../components/glyphs.js';
import {useLayout} from '../components/layout.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';
import {ScrollList, type ScrollItem} from '../components/scroll-list.js';
import {rowsOf} from '../components/wrap.js';
import {useKeys} from '../hooks/use-keys.js';
import {RotationOutcome} from './rotation-outcome.js';
import {CompromiseOutcome} from './compromise-outcome.js';
import {plural} from '../store/history.js';

const VERDICT = {pass: 'PASS', fail: 'FAIL', aborted: 'ABORTED'} as const;

/** How the report key stands, in the words of the answer given at first use. */
function pinWords(id: NonNullable<CeremonyState['identity']>): string {
  const first = id.firstPin;
  const when = first ? new Date(first.at).toISOString().slice(0, 10) : '';
  if (id.pinnedBy === 'header')
    return first
      ? `pinned in the domain file's header; ${first.pinned ? `recorded here at first use on ${when}` : 'NOT recorded here: you chose not to pin it'}`
      : "pinned in the domain file's header";
  if (id.pinnedBy === 'store') return 'the key on record for this domain';
  if (first?.pinned) return `pinned at first use on ${when}`;
  if (first) return 'NOT pinned: you chose not to; its reports verify only with --expect-key';
  return 'no key on record for this domain yet';
}

/**
 * Report: the verdict, a per-step timeline chart, the findings, where the report was saved.
 *
 *   Verdict: PASS — the domain was reconstructed and restored …
 *   load        ██                  1.2 s
 *   collect     ████████████████   2 m 10 s
 */
export function ReportScreen({
  state,
  chart,
  findings,
  saveError,
  onQuit,
}: {
  state: CeremonyState;
  /** The timeline's lines, or how to draw them at a width (the app's report service). */
  chart: string[] | ((options: {width: number; ascii: boolean}) => string[]);
  findings: {errors: number; warnings: number; rules: string[]};
  saveError?: string;
  onQuit: () => void;
}) {
  // q only: Enter, the key a tired holder presses next, must not close the last screen.
  useKeys({quit: onQuit});
  const {width, bodyRows, screenReader} = useLayout();
  const lines =
    typeof chart === 'function' ? chart({width, ascii: display().ascii || screenReader}) : chart;
  const verdict = state.outcome?.verdict ?? 'aborted';
  const tone = verdict === 'pass' ? 'ok' : 'error';
  const r = state.restore;
  const signed =
    state.identity?.pinnedBy && verdict === 'pass' && state.mode !== 'compromise'
      ? `Signed with report key ${state.identity.reportKey.slice(0, 12)}… (${pinWords(state.identity)})`
      : '';
  const findingsLine = `Findings: ${plural(findings.errors, 'error')}, ${plural(findings.warnings, 'warning')}${findings.rules.length ? ` (${findings.rules.join(', ')})` : ''}`;
  const saved = state.report ? `Report saved: ${state.report.markdown} and .json` : '';
  // Where the report is, or why it is not there yet: the one line to write down.
  const savedLine =
    saved || (saveError ? `The report could not be saved: ${saveError}` : 'Saving the report…');
  const savedTone = saveError && !saved ? {color: color('error')} : {};
  // Everything else is read first; the timeline takes the rows left, or says where it is.
  const others =
    rowsOf(`Verdict: ${VERDICT[verdict]} — ${state.outcome?.reason ?? ''}`, width) +
    (r
      ? restoreLines(state, r).reduce((n, l) => n + rowsOf(l, width), 0) +
        (r.restoreBlob && state.domain?.format === 'azure' ? 1 : 0)
      : 0) +
    rowsOf(signed, width) +
    (state.newcomer ? 4 : 0) +
    1 +
    rowsOf(findingsLine, width) +
    rowsOf(savedLine, width);
  const timelineFits = screenReader || others + 2 + lines.length <= bodyRows;
  // Too much to read for the rows there are (a restore blob's path, its digest and the upload
  // command at 60 columns): the same lines, each whole, scrolled with ↑↓ — never cut. Where the
  // report was saved, the one thing to write down, stays in view below them.
  if (!screenReader && r && !state.rotation && state.mode !== 'compromise' && others > bodyRows) {
    const items: ScrollItem[] = [
      {
        key: 'verdict',
        text: `Verdict: ${VERDICT[verdict]} — ${state.outcome?.reason ?? ''}`,
        node: (
          <Text>
            <Text bold color={color(tone)}>
              Verdict: {VERDICT[verdict]}
            </Text>
            {` — ${state.outcome?.reason ?? ''}`}
          </Text>
        ),
      },
      ...restoreLines(state, r).map((text, i) => ({key: `restore ${i}`, text})),
      ...(signed ? [{key: 'signed', text: signed}] : []),
      {key: 'findings', text: findingsLine},
    ];
    return (
      <Box flexDirection="column">
        <ScrollList items={items} rows={Math.max(3, bodyRows - rowsOf(savedLine, width))} />
        <Text {...savedTone}>{savedLine}</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color={color(tone)}>
          Verdict: {VERDICT[verdict]}
        </Text>
        {` — ${state.outcome?.reason ?? ''}`}
      </Text>
      {r ? <RestoreOutcome state={state} restore={r} /> : null}
      {signed ? <Text>{signed}</Text> : null}
      {state.newcomer ? (
        <Text>
          {state.holders.find((h) => h.certFingerprint === state.newcomer?.certFingerprint)
            ?.state === 'accepted'
            ? `${glyphs().ok} ${state.newcomer.holder}: your own key opened your own share.`
            : `${glyphs().fail} ${state.newcomer.holder}: your key did not open your share in this practice drill.`}
        </Text>
      ) : null}
      {state.newcomer ? (
        // Practice over: the newcomer's certificate joins the real domain only by a rotation.
        <Text>Next: join the real domain by a rotation: sd-drill drill --mode rotation</Text>
      ) : null}
      {state.mode === 'compromise' ? (
        <CompromiseOutcome state={state} />
      ) : state.rotation ? (
        // A rotation's timeline is in the report files; the screen has room for what to do next.
        <RotationOutcome state={state} />
      ) : state.mode === 'restore' && r ? null : timelineFits ? (
        <Box marginTop={1} flexDirection="column">
          <Text bold>Timeline</Text>
          {lines.map((line, i) => (
            <Text key={i}>{line}</Text>
          ))}
        </Box>
      ) : (
        <Text color={color('muted')}>
          The timeline of each step is in the report (this terminal has too few rows for it).
        </Text>
      )}
      <Box marginTop={1} flexDirection="column">
        <Text>{findingsLine}</Text>
        <Text {...savedTone}>{savedLine}</Text>
      </Box>
    </Box>
  );
}

/** The restore outcome's lines, to count their rows (RestoreOutcome draws the same). */
function restoreLines(state: CeremonyState, r: RestoreSummary): string[] {
  const rehearsed = `${r.keysRestored} of ${r.keysExpected} blobs verified`;
  if (state.domain?.format !== 'azure')
    return [
      `Keys restored into the new (simulated) HSM: ${r.keysRestored} of ${r.keysExpected} · canaries decrypted: ${r.canaries.passed} of ${r.canaries.total}`,
    ];
  const b = r.restoreBlob;
  if (!b)
    return [
      `No restore blob was written (no --exchange-key was given). Rehearsed into a simulated HSM: ${rehearsed}.`,
    ];
  return [
    `Restore blob for your new HSM: ${b.file}`,
    `  sha256 ${b.sha256}`,
    `  for exchange certificate x5t#S256 ${b.x5t256}`,
    `Rehearsed into a simulated HSM (its own exchange key): ${rehearsed}.`,
    'Next, on the online machine:',
    `  ${b.upload}`,
  ];
}

/**
 * What the restore step did, each result under its own name: the restore blob written for the
 * operator's HSM (and the command that uploads it), or that none was written, and the
 * simulated HSM's own result. A restore's timeline is in the report files.
 */
function RestoreOutcome({state, restore: r}: {state: CeremonyState; restore: RestoreSummary}) {
  if (state.domain?.format !== 'azure')
    return (
      <Text>
        Keys restored into the new (simulated) HSM: {r.keysRestored} of {r.keysExpected} · canaries
        decrypted: {r.canaries.passed} of {r.canaries.total}
      </Text>
    );
  const rehearsed = `${r.keysRestored} of ${r.keysExpected} blobs verified`;
  if (!r.restoreBlob)
    return (
      <Text>
        {state.mode === 'restore'
          ? `No restore blob was written (no --exchange-key was given). Rehearsed into a simulated HSM: ${rehearsed}.`
          : `Restored into the new (simulated) HSM: ${rehearsed}.`}
      </Text>
    );
  const b = r.restoreBlob;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        <Text bold>Restore blob for your new HSM:</Text> {b.file}
      </Text>
      <Text>{`  sha256 ${b.sha256}`}</Text>
      <Text>{`  for exchange certificate x5t#S256 ${b.x5t256}`}</Text>
      <Text>Rehearsed into a simulated HSM (its own exchange key): {rehearsed}.</Text>
      <Text bold>Next, on the online machine:</Text>
      <Text>{`  ${b.upload}`}</Text>
    </Box>
  );
}
