import {Box} from 'ink';
import type {CeremonyState, ExchangeTarget, Scenario} from '../ceremony/types.js';
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
 * fresh exchange key. In restore mode the disaster was real and the operator's new HSM is
 * already in recovery mode: it is named by its exchange certificate, and a simulated HSM comes
 * up only to rehearse the upload into.
 *
 *   Your new HSM is in recovery mode. Its exchange certificate (from init-recovery):
 *     /media/op/exchange.pem
 *     x5t#S256  HG_7Jd…
 */
export function DisasterScreen({
  state,
  restoreBlobOut,
  exchangeTarget,
  starting,
  onScenario,
  onStartRecovery,
  onBack,
}: {
  state: CeremonyState;
  /** Restore mode: where the restore blob for the real HSM goes (--restore-blob-out). */
  restoreBlobOut?: string;
  /** Restore mode: the real HSM's exchange certificate (--exchange-key), read. */
  exchangeTarget?: ExchangeTarget;
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
        <RestoreStart
          azure={state.domain?.format === 'azure'}
          {...(exchangeTarget ? {target: exchangeTarget} : {})}
          {...(restoreBlobOut ? {out: restoreBlobOut} : {})}
        />
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
        <Spinner
          label={
            !restore
              ? 'Provisioning a new simulated HSM in recovery mode with a fresh exchange key…'
              : state.domain?.format === 'azure'
                ? 'Bringing up a simulated HSM to rehearse the restore into (your new HSM is not touched)…'
                : 'Bringing up the simulated HSM in recovery mode…'
          }
        />
      ) : null}
    </Box>
  );
}

/** Restore mode, before Enter: which HSM the restore is for, and what will be written. */
function RestoreStart({
  azure,
  target,
  out,
}: {
  azure: boolean;
  target?: ExchangeTarget;
  out?: string;
}) {
  if (!azure)
    return (
      <Box flexDirection="column" gap={1}>
        <Text>
          The HSM is gone for real. This is an sd-drill (native) domain: it is restored into
          sd-drill&apos;s simulated HSM. Press Enter to bring it up and start collecting shares.
        </Text>
        {target ? (
          <Text color={color('warning')}>
            --exchange-key is for Azure domains: {target.file} is not used, and no restore blob is
            written.
          </Text>
        ) : null}
      </Box>
    );
  if (!target || !out)
    return (
      <Box flexDirection="column" gap={1}>
        <Text>The HSM is gone for real. Press Enter to start collecting shares.</Text>
        <Text color={color('warning')}>
          No --exchange-key and --restore-blob-out were given: this proves the quorum opens the
          domain and rehearses the restore into a simulated HSM, but writes no restore blob for your
          new HSM. For the real restore, press Ctrl-C and start again with --exchange-key CERT
          --restore-blob-out FILE.
        </Text>
      </Box>
    );
  return (
    <Box flexDirection="column" gap={1}>
      <Box flexDirection="column">
        <Text>
          The HSM is gone for real. Your new HSM is in recovery mode; its exchange certificate (from
          init-recovery) is {target.file}:
        </Text>
        <Text>{`  x5t#S256  ${target.x5t256}`}</Text>
        <Text>{`  SHA-256   ${target.sha256}`}</Text>
      </Box>
      <Text>
        The restore blob for it will be written to {out}. Press Enter to start collecting shares.
      </Text>
    </Box>
  );
}
