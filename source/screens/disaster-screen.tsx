import {Box} from 'ink';
import type {CeremonyState, Scenario} from '../ceremony/types.js';
import {Choice} from '../components/choice.js';
import {glyphs} from '../components/glyphs.js';
import {Spinner} from '../components/spinner.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';
import {useKeys} from '../hooks/use-keys.js';
import {DISASTER_TEXT} from '../hsm/disasters.js';

const OPTIONS: Array<{label: string; value: Scenario}> = (
  Object.keys(DISASTER_TEXT) as Scenario[]
).map((s) => ({
  label: `${s.padEnd(21)} ${DISASTER_TEXT[s]}`,
  value: s,
}));

/**
 * Disaster: the simulated HSM goes down, and a new one comes up in recovery mode with a
 * fresh exchange key. In restore mode the disaster was real: only the new HSM comes up.
 */
export function DisasterScreen({
  state,
  restoreBlobOut,
  starting,
  onScenario,
  onStartRecovery,
  onBack,
}: {
  state: CeremonyState;
  /** Restore mode: where the restore blob for the real HSM goes (--restore-blob-out). */
  restoreBlobOut?: string;
  starting: boolean;
  onScenario: (s: Scenario) => void;
  onStartRecovery: () => void;
  onBack: () => void;
}) {
  const restore = state.mode === 'restore';
  const chosen = state.scenario;
  useKeys({
    start: restore && !starting && onStartRecovery,
    back: !chosen && !starting && onBack,
  });
  const name = state.domain?.name ?? 'the HSM';
  return (
    <Box flexDirection="column" gap={1}>
      {restore ? (
        <Box flexDirection="column" gap={1}>
          <Text>
            The HSM is gone for real. A new HSM in recovery mode needs the security domain. Press
            Enter to bring it up and start collecting shares.
          </Text>
          {state.domain?.format !== 'azure' ? null : restoreBlobOut ? (
            <Text>The restore blob for your new HSM will be written to {restoreBlobOut}.</Text>
          ) : (
            <Text color={color('warning')}>
              No --exchange-key and --restore-blob-out were given: this proves the quorum opens the
              domain, but writes no restore blob for your new HSM. For the real restore, press
              Ctrl-C and start again with --exchange-key CERT --restore-blob-out FILE.
            </Text>
          )}
        </Box>
      ) : chosen ? (
        <Box flexDirection="column">
          <Text color={color('error')}>
            {glyphs().fail} {name}: {DISASTER_TEXT[chosen]}.
          </Text>
          <Text>All keys, role assignments and the signing key are gone with it.</Text>
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text>Choose the disaster to rehearse (from the domain document):</Text>
          <Choice options={OPTIONS} onChoose={(v) => onScenario(v as Scenario)} />
        </Box>
      )}
      {starting ? (
        <Spinner label="Provisioning a new HSM in recovery mode with a fresh exchange key…" />
      ) : null}
    </Box>
  );
}
