import {ProgressBar, Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {HelpLine} from '../components/help-line.js';
import {Notice} from '../components/notice.js';
import {color} from '../components/theme.js';

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
  const to = state.rotation?.to?.domain;
  const m = state.compromise?.migration;
  const done = m?.keys.length ?? 0;
  const failed = m?.keys.filter((k) => k.outcome !== 'migrated') ?? [];
  const pct = m && m.total > 0 ? Math.round((done / m.total) * 100) : 0;
  return (
    <Box flexDirection="column" gap={1}>
      <Text wrap="wrap">
        New HSM {to?.name ?? ''} (simulated): a new security domain, quorum {to?.required ?? '?'} of{' '}
        {to?.total ?? '?'}, every holder proven. Each key of {state.domain?.name ?? 'the old HSM'}:
        its data opened with the old key, sealed under a new key made in the new HSM, and opened
        there again.
      </Text>
      {m ? (
        <Box flexDirection="column">
          <Text>
            {`Keys ${done} / ${m.total} · migrated ${done - failed.length}`}
            {failed.length > 0 ? (
              <Text color={color('error')}>{` · failed ${failed.length}`}</Text>
            ) : (
              ''
            )}
          </Text>
          <Box width={60}>
            <ProgressBar value={pct} />
          </Box>
          {m.next && !m.finished ? <Text wrap="truncate-end">Next: {m.next}</Text> : null}
          {failed.slice(0, SHOW_FAILED).map((k) => (
            <Text key={`${k.name}@${k.version}`} wrap="wrap" color={color('error')}>
              ✗ {k.name} v{k.version}: {k.reason ?? 'failed'}
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
      <Text wrap="wrap">
        The old instance is purged only once every key is migrated and checked.
      </Text>
      <Notice notice={state.notice} />
      <HelpLine bindings={['abort']} />
    </Box>
  );
}
