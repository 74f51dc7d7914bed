import {Box} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {glyphs} from '../components/glyphs.js';
import {useLayout} from '../components/layout.js';
import {Notice} from '../components/notice.js';
import {Spinner} from '../components/spinner.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';
import {useAtMostOncePerSecond} from '../hooks/use-at-most-once-a-second.js';

/**
 * Reconstruct and Restore: combine the shares (integrity-checked), then restore every key
 * into the new HSM and check it against the manifest and the canaries.
 *
 *   Restoring keys into the new HSM   1250 / 5002
 *   ██████████░░░░░░░░░░░░░░░░░░░░
 * A screen reader hears the progress in words, in tenths, at most once a second.
 */
export function RestoreScreen({state}: {state: CeremonyState}) {
  const {width, screenReader} = useLayout();
  const progress = state.restoreProgress;
  const pct =
    progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  const spoken = useAtMostOncePerSecond(Math.floor(pct / 10) * 10, screenReader);
  const azure = state.domain?.format === 'azure';
  const g = glyphs();
  const barWidth = Math.max(10, Math.min(60, width - 6));
  const filled = Math.round((pct / 100) * barWidth);
  return (
    <Box flexDirection="column" gap={1}>
      {state.step === 'reconstruct' ? (
        <Spinner label="Combining the shares and checking the result against the domain…" />
      ) : (
        <Box flexDirection="column">
          <Text>
            {g.ok} Domain reconstructed from holders {state.reconstruction?.usedHolders.join(', ')};
            every share authenticated.
          </Text>
          <Text wrap="wrap">
            {state.hsm.target
              ? 'Writing the restore blob for your new HSM, then rehearsing its upload into a simulated HSM and checking every data blob…'
              : azure
                ? 'Uploading a restore blob to the simulated HSM and checking every data blob…'
                : 'Restoring keys into the new (simulated) HSM and checking each against the manifest…'}
          </Text>
          {screenReader ? (
            <Text>{`Progress: ${spoken} percent.`}</Text>
          ) : (
            <>
              {progress ? (
                <Text>{`${progress.done} / ${progress.total} ${azure ? 'blobs' : 'keys'}`}</Text>
              ) : null}
              <Text>
                <Text color={color('accent')}>{g.bar.repeat(filled)}</Text>
                <Text color={color('muted')}>{g.barEmpty.repeat(barWidth - filled)}</Text>
                {` ${pct}%`}
              </Text>
            </>
          )}
        </Box>
      )}
      <Notice notice={state.notice} />
    </Box>
  );
}
