import {Box} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {glyphs} from '../components/glyphs.js';
import {useLayout} from '../components/layout.js';
import {Notice} from '../components/notice.js';
import {Spinner} from '../components/spinner.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';
import {useAtMostOncePerSecond} from '../hooks/use-at-most-once-a-second.js';

/** Keys that did not migrate, shown by name; the rest are counted (the report lists each). */
const SHOW_FAILED = 4;

/**
 * Migrate: every key of the old instance, one after another — its data opened with the old
 * key, sealed under a new key made in the new HSM and opened there again — then the old
 * instance is purged, only if every key made it.
 *
 *   New HSM demo-hsm-new (simulated): new security domain, 3 of 4, every holder proven
 *   Keys 1250 / 5002 · migrated 1249 · failed 1
 *   ██████████░░░░░░░░░░░░░░░░░░░░
 *   Next: db-column-01250 v2
 *   ✗ payment-wrap-00400 v2: the old instance's copy does not match its manifest
 */
export function MigrateScreen({state}: {state: CeremonyState}) {
  const {width, screenReader} = useLayout();
  const g = glyphs();
  const to = state.rotation?.to?.domain;
  const m = state.compromise?.migration;
  const done = m?.keys.length ?? 0;
  const failed = m?.keys.filter((k) => k.outcome !== 'migrated') ?? [];
  const pct = m && m.total > 0 ? Math.round((done / m.total) * 100) : 0;
  // A screen reader hears the progress in tenths, at most once a second.
  const spoken = useAtMostOncePerSecond(Math.floor(pct / 10) * 10, screenReader);
  const barWidth = Math.max(10, Math.min(60, width - 6));
  const filled = Math.round((pct / 100) * barWidth);
  return (
    <Box flexDirection="column" gap={1}>
      <Text>
        New HSM {to?.name ?? ''} (simulated): a new security domain, quorum {to?.required ?? '?'} of{' '}
        {to?.total ?? '?'}, every holder proven. Each key of {state.domain?.name ?? 'the old HSM'}:
        its data opened with the old key, sealed under a new key made in the new HSM, and opened
        there again.
      </Text>
      {m ? (
        <Box flexDirection="column">
          <Text
            aria-label={`Progress: ${spoken} percent of ${m.total} keys; ${failed.length} failed so far.`}
          >
            {`Keys ${done} / ${m.total} · migrated ${done - failed.length}`}
            {failed.length > 0 ? (
              <Text color={color('error')}>{` · failed ${failed.length}`}</Text>
            ) : (
              ''
            )}
          </Text>
          {screenReader ? null : (
            <Text>
              <Text color={color('accent')}>{g.bar.repeat(filled)}</Text>
              <Text color={color('muted')}>{g.barEmpty.repeat(barWidth - filled)}</Text>
              {` ${pct}%`}
            </Text>
          )}
          {m.next && !m.finished && !screenReader ? <Text>Next: {m.next}</Text> : null}
          {failed.slice(0, SHOW_FAILED).map((k) => (
            <Text key={`${k.name}@${k.version}`} color={color('error')}>
              {g.fail} {k.name} v{k.version}: {k.reason ?? 'failed'}
            </Text>
          ))}
          {failed.length > SHOW_FAILED ? (
            <Text color={color('muted')}>
              …and {failed.length - SHOW_FAILED} more in the report
            </Text>
          ) : null}
        </Box>
      ) : (
        <Spinner label="Bringing the old and new instances together…" />
      )}
      <Text>The old instance is purged only once every key is migrated and checked.</Text>
      <Notice notice={state.notice} />
    </Box>
  );
}
