import {Box} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';

/**
 * The rotation's end on the report screen: the new file, who changed, and — only if every new
 * holder proved their key — what must now be destroyed.
 *
 *   New file: /media/backup/security-domain-gen2.json — 2 of 3, generation 2
 *   Kept 2 · added 1 · departed 3 · new keys proven 3 of 3
 *   Now destroy every copy of the old file and 3 departed keys (the report lists each).
 */
export function RotationOutcome({state}: {state: CeremonyState}) {
  const r = state.rotation;
  if (!r) return null;
  const to = r.to?.domain;
  const c = r.change;
  const keys = (r.destroy ?? []).filter((x) => x.what === 'wrapping-key').length;
  const pass = state.outcome?.verdict === 'pass';
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        {to
          ? `New file: ${to.file} — ${to.required} of ${to.total}${to.generation ? `, generation ${to.generation}` : ''}`
          : 'No new file was written.'}
      </Text>
      {c ? (
        <Text>
          Kept {c.kept.length} · added {c.added.length} · departed {c.departed.length}
          {r.proof ? ` · new keys proven ${r.proof.proven.length} of ${to?.total ?? '?'}` : ''}
        </Text>
      ) : null}
      {pass ? (
        <Text color={color('warning')} wrap="wrap">
          Now destroy every copy of the old file
          {keys > 0 ? ` and ${keys} departed key${keys === 1 ? '' : 's'}` : ''} — until then they
          still open the domain. The report lists each, with its custody record.
        </Text>
      ) : (
        <Text wrap="wrap">Destroy nothing: keep using the old file.</Text>
      )}
    </Box>
  );
}
