import {Box, Text, useInput} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {HelpLine} from '../components/help-line.js';
import {HolderList} from '../components/holder-list.js';
import {Notice} from '../components/notice.js';
import {color} from '../components/theme.js';

export interface FindingLine {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  evidence: string;
}

/**
 * Inspect: the domain, its holders with their registered custodians, and the policy
 * findings known before anyone arrives.
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
  useInput((_, key) => {
    if (key.return) onContinue();
    else if (key.escape) onBack();
  });
  const d = state.domain;
  if (!d) return null;
  // Onboarding shows the newcomer's fingerprint too: fewer finding lines keep it in 24 rows.
  const shown = findings.slice(0, state.newcomer ? 1 : 4);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{d.name ?? 'security domain'}</Text>
        {` · ${d.format === 'azure' ? 'Azure Managed HSM' : 'sd-drill simulated HSM'} · quorum ${d.required} of ${d.total}`}
        {d.created ? ` · created ${d.created.slice(0, 10)}` : ''}
      </Text>
      <Text color={color('muted')} wrap="truncate-middle">
        {d.file}
      </Text>
      {state.newcomer ? (
        <Box marginTop={1} flexDirection="column">
          <Text>
            {state.newcomer.holder}, your certificate is on your stick. Its SHA-256 fingerprint, for
            the custody register (sd-drill holders register):
          </Text>
          <Text bold>{state.newcomer.certFingerprint}</Text>
        </Box>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        <Text bold>Holders (wrapping-key fingerprints)</Text>
        <HolderList holders={state.holders} registered={registered} />
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text bold>
          Policy findings before anyone arrives: {findings.length === 0 ? 'none' : findings.length}
        </Text>
        {shown.map((f) => (
          <Text key={f.rule + f.evidence} wrap="truncate-end">
            <Text
              color={color(
                f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'muted',
              )}
            >
              {f.severity === 'error' ? '✗' : f.severity === 'warning' ? '!' : 'i'} {f.rule}
            </Text>
            {`: ${f.evidence}`}
          </Text>
        ))}
        {findings.length > shown.length ? (
          <Text color={color('muted')}>
            …and {findings.length - shown.length} more in the report
          </Text>
        ) : null}
      </Box>
      {state.mode === 'compromise' ? <CompromiseNote state={state} /> : null}
      <Box marginTop={1}>
        <Text>Press Enter when the holders are ready to begin.</Text>
      </Box>
      <HelpLine bindings={['next', 'back', 'abort']} />
    </Box>
  );
}

/** A compromise rehearsal: which sticks were reported lost (they neither present nor are kept). */
function CompromiseNote({state}: {state: CeremonyState}) {
  const lost = state.compromise?.lost ?? [];
  return (
    <Box marginTop={1} flexDirection="column">
      {lost.length > 0 ? (
        <Text wrap="wrap">
          Reported lost: {lost.length === 1 ? 'holder' : 'holders'}{' '}
          {lost.length === 1 ? lost[0] : `${lost.slice(0, -1).join(', ')} and ${lost.at(-1)}`} —
          they will not present, and their keys never protect the new HSM.
        </Text>
      ) : null}
      <Notice notice={state.notice} />
    </Box>
  );
}
