import {ProgressBar, Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {HelpLine} from '../components/help-line.js';
import {Notice} from '../components/notice.js';

/**
 * Reconstruct and Restore: combine the shares (integrity-checked), then restore every key
 * into the new HSM and check it against the manifest and the canaries.
 *
 *   Restoring keys into the new HSM   1250 / 5002
 *   ██████████░░░░░░░░░░░░░░░░░░░░
 */
export function RestoreScreen({state}: {state: CeremonyState}) {
  const progress = state.restoreProgress;
  const pct =
    progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  const azure = state.domain?.format === 'azure';
  return (
    <Box flexDirection="column" gap={1}>
      {state.step === 'reconstruct' ? (
        <Spinner label="Combining the shares and checking the result against the domain…" />
      ) : (
        <Box flexDirection="column">
          <Text>
            ✓ Domain reconstructed from holders {state.reconstruction?.usedHolders.join(', ')};
            every share authenticated.
          </Text>
          <Text wrap="wrap">
            {state.hsm.target
              ? 'Writing the restore blob for your new HSM, then rehearsing its upload into a simulated HSM and checking every data blob…'
              : azure
                ? 'Uploading a restore blob to the simulated HSM and checking every data blob…'
                : 'Restoring keys into the new (simulated) HSM and checking each against the manifest…'}
          </Text>
          {progress ? (
            <Text>{`${progress.done} / ${progress.total} ${azure ? 'blobs' : 'keys'}`}</Text>
          ) : null}
          <Box width={60}>
            <ProgressBar value={pct} />
          </Box>
        </Box>
      )}
      <Notice notice={state.notice} />
      <HelpLine bindings={['abort']} />
    </Box>
  );
}
