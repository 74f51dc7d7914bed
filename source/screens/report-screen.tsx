import {Box} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {display} from '../components/display.js';
import {glyphs} from '../components/glyphs.js';
import {useLayout} from '../components/layout.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';
import {rowsOf} from '../components/wrap.js';
import {useKeys} from '../hooks/use-keys.js';
import {RotationOutcome} from './rotation-outcome.js';
import {CompromiseOutcome} from './compromise-outcome.js';
import {plural} from '../store/history.js';

const VERDICT = {pass: 'PASS', fail: 'FAIL', aborted: 'ABORTED'} as const;

const PINNED = {
  header: "pinned in the domain file's header",
  store: 'the key on record for this domain',
  'first-use': 'first pass on record: pinned from now on',
} as const;

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
  // q only: Enter, the key a tired hand presses next, does not end the screen that shows the
  // report's path.
  useKeys({quit: onQuit});
  const {width, bodyRows, screenReader} = useLayout();
  const lines =
    typeof chart === 'function' ? chart({width, ascii: display().ascii || screenReader}) : chart;
  const verdict = state.outcome?.verdict ?? 'aborted';
  const tone = verdict === 'pass' ? 'ok' : 'error';
  const r = state.restore;
  const findingsLine = `Findings: ${plural(findings.errors, 'error')}, ${plural(findings.warnings, 'warning')}${findings.rules.length ? ` (${findings.rules.join(', ')})` : ''}`;
  // Everything else is read first; the timeline takes the rows left, or says where it is.
  const restored = r
    ? `${state.domain?.format === 'azure' ? 'Blobs restored and verified' : 'Keys restored'}: ${r.keysRestored} of ${r.keysExpected} · canaries decrypted: ${r.canaries.passed} of ${r.canaries.total}${r.restoreBlobFile ? ` · restore blob: ${r.restoreBlobFile}` : ''}`
    : '';
  const others =
    rowsOf(`Verdict: ${VERDICT[verdict]} — ${state.outcome?.reason ?? ''}`, width) +
    rowsOf(restored, width) +
    (state.identity?.pinnedBy && verdict === 'pass' && state.mode !== 'compromise'
      ? rowsOf(
          `Signed with report key ${state.identity.reportKey.slice(0, 12)}… (${PINNED[state.identity.pinnedBy]})`,
          width,
        )
      : 0) +
    (state.newcomer ? 4 : 0) +
    1 +
    rowsOf(findingsLine, width) +
    rowsOf(`Report saved: ${state.report?.markdown ?? ''} and .json`, width);
  const timelineFits = screenReader || others + 2 + lines.length <= bodyRows;
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        <Text bold color={color(tone)}>
          Verdict: {VERDICT[verdict]}
        </Text>
        {` — ${state.outcome?.reason ?? ''}`}
      </Text>
      {r ? (
        <Text>
          {state.domain?.format === 'azure'
            ? `Blobs restored and verified: ${r.keysRestored} of ${r.keysExpected}`
            : `Keys restored: ${r.keysRestored} of ${r.keysExpected} · canaries decrypted: ${r.canaries.passed} of ${r.canaries.total}`}
          {r.restoreBlobFile ? ` · restore blob: ${r.restoreBlobFile}` : ''}
        </Text>
      ) : null}
      {state.identity?.pinnedBy && verdict === 'pass' && state.mode !== 'compromise' ? (
        <Text>
          Signed with report key {state.identity.reportKey.slice(0, 12)}… (
          {PINNED[state.identity.pinnedBy]})
        </Text>
      ) : null}
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
      ) : timelineFits ? (
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
        {state.report ? (
          <Text>{`Report saved: ${state.report.markdown} and .json`}</Text>
        ) : saveError ? (
          <Text color={color('error')}>The report could not be saved: {saveError}</Text>
        ) : (
          <Text>Saving the report…</Text>
        )}
      </Box>
    </Box>
  );
}
