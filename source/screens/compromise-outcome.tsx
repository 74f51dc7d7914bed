import {Box} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';

/**
 * The compromise rehearsal's end on the report screen: the new HSM and what signed the report,
 * the keys and data moved, whether the old instance was purged, and what the day itself asks.
 *
 *   New HSM demo-hsm-new: security domain 2 of 3, all 3 holders proven (report signed with its key)
 *   Keys migrated 27 of 27 · data re-protected and verified 30 of 30 · old instance purged
 *   A rehearsal: nothing real changed. On the day: re-point the applications, …
 */
export function CompromiseOutcome({state}: {state: CeremonyState}) {
  const to = state.rotation?.to?.domain;
  const m = state.compromise?.migration;
  const pass = state.outcome?.verdict === 'pass';
  const done = m?.keys.length ?? 0;
  const migrated = m?.keys.filter((k) => k.outcome === 'migrated').length ?? 0;
  const records = m?.keys.reduce((n, k) => n + k.records, 0) ?? 0;
  const verified = m?.keys.reduce((n, k) => n + k.verified, 0) ?? 0;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        {to
          ? `New HSM ${to.name ?? ''} (simulated): security domain ${to.required} of ${to.total} at ${to.file}${pass ? `; the report is signed with its key ${(to.reportKey ?? '').slice(0, 12)}…` : ''}`
          : 'No new HSM was provisioned.'}
      </Text>
      {m ? (
        <Text>
          Keys migrated {migrated} of {m.total}
          {done < m.total ? ` (${m.total - done} not tried)` : ''} · data re-protected and verified{' '}
          {verified} of {records} · old instance{' '}
          {state.compromise?.purged ? 'purged' : 'NOT purged'}
        </Text>
      ) : null}
      {pass ? (
        <Text>
          A rehearsal: nothing real was changed. On the day: re-point the applications, purge the
          old HSM, destroy the old file and keys — the report lists each with its custody record.
        </Text>
      ) : (
        <Text color={color('warning')}>
          {m && done > 0
            ? 'The old instance was not purged: keys not migrated would lose their data. The report names each.'
            : 'No key was moved and nothing was purged.'}
        </Text>
      )}
    </Box>
  );
}
