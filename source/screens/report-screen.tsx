import {Box, Text, useInput} from 'ink';
import type {CeremonyState, RestoreSummary} from '../ceremony/types.js';
import {HelpLine} from '../components/help-line.js';
import {color} from '../components/theme.js';
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
  chart: string[];
  findings: {errors: number; warnings: number; rules: string[]};
  saveError?: string;
  onQuit: () => void;
}) {
  // q only: Enter, the key a tired holder presses next, must not close the last screen.
  useInput((input) => {
    if (input === 'q') onQuit();
  });
  const verdict = state.outcome?.verdict ?? 'aborted';
  const tone = verdict === 'pass' ? 'ok' : 'error';
  const r = state.restore;
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        <Text bold color={color(tone)}>
          Verdict: {VERDICT[verdict]}
        </Text>
        {` — ${state.outcome?.reason ?? ''}`}
      </Text>
      {r ? <RestoreOutcome state={state} restore={r} /> : null}
      {state.identity?.pinnedBy && verdict === 'pass' && state.mode !== 'compromise' ? (
        <Text wrap="wrap">
          Signed with report key {state.identity.reportKey.slice(0, 12)}… (
          {pinWords(state.identity)})
        </Text>
      ) : null}
      {state.newcomer ? (
        <Text>
          {state.holders.find((h) => h.certFingerprint === state.newcomer?.certFingerprint)
            ?.state === 'accepted'
            ? `✓ ${state.newcomer.holder}: your own key opened your own share.`
            : `✗ ${state.newcomer.holder}: your key did not open your share in this practice drill.`}
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
      ) : state.mode === 'restore' && r ? null : (
        <Box marginTop={1} flexDirection="column">
          <Text bold>Timeline</Text>
          {chart.map((line, i) => (
            <Text key={i} wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      )}
      <Box marginTop={1} flexDirection="column">
        <Text wrap="truncate-end">
          <Text bold>Findings: </Text>
          {plural(findings.errors, 'error')}, {plural(findings.warnings, 'warning')}
          {findings.rules.length ? ` (${findings.rules.slice(0, 5).join(', ')})` : ''}
        </Text>
        {state.report ? (
          <Text wrap="truncate-middle">Report saved: {state.report.markdown} and .json</Text>
        ) : saveError ? (
          <Text color={color('error')}>The report could not be saved: {saveError}</Text>
        ) : (
          <Text>Saving the report…</Text>
        )}
      </Box>
      <HelpLine bindings={['quit']} />
    </Box>
  );
}

/**
 * What the restore step did, each result under its own name: the restore blob written for the
 * operator's HSM (and the command that uploads it), or that none was written, and the
 * simulated HSM's own result. A restore's timeline is in the report files.
 */
function RestoreOutcome({state, restore: r}: {state: CeremonyState; restore: RestoreSummary}) {
  if (state.domain?.format !== 'azure')
    return (
      <Text wrap="wrap">
        Keys restored into the new (simulated) HSM: {r.keysRestored} of {r.keysExpected} · canaries
        decrypted: {r.canaries.passed} of {r.canaries.total}
      </Text>
    );
  const rehearsed = `${r.keysRestored} of ${r.keysExpected} blobs verified`;
  if (!r.restoreBlob)
    return (
      <Text wrap="wrap">
        {state.mode === 'restore'
          ? `No restore blob was written (no --exchange-key was given). Rehearsed into a simulated HSM: ${rehearsed}.`
          : `Restored into the new (simulated) HSM: ${rehearsed}.`}
      </Text>
    );
  const b = r.restoreBlob;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text wrap="wrap">
        <Text bold>Restore blob for your new HSM:</Text> {b.file}
      </Text>
      <Text wrap="wrap">{`  sha256 ${b.sha256}`}</Text>
      <Text wrap="wrap">{`  for exchange certificate x5t#S256 ${b.x5t256}`}</Text>
      <Text wrap="wrap">Rehearsed into a simulated HSM (its own exchange key): {rehearsed}.</Text>
      <Text bold>Next, on the online machine:</Text>
      <Text wrap="wrap">{`  ${b.upload}`}</Text>
    </Box>
  );
}
