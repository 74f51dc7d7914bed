import {Box} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {LayoutContext, useLayout} from '../components/layout.js';
import {Spinner} from '../components/spinner.js';
import {Text} from '../components/text.js';
import {rowsOf} from '../components/wrap.js';
import type {Stick} from '../media/stick.js';
import {CollectScreen, type CollectActions} from './collect-screen.js';

/**
 * Prove: every new holder presents their key against the new file and opens their share —
 * the collect screen, on the new file's holders, with all of them required. Then every share
 * is checked against the new domain.
 *
 *   Every new holder proves their key against /media/backup/security-domain-gen2.json
 *   Quorum ■■□ 2 of 3 — 1 more needed
 */
export function ProveScreen({
  state,
  sticks,
  actions,
}: {
  state: CeremonyState;
  sticks: Stick[];
  actions: CollectActions;
}) {
  const layout = useLayout();
  const to = state.rotation?.to;
  if (!to) return null;
  if (state.rotation?.checking)
    return <Spinner label="Checking every new share against the new file…" />;
  const title = `Every new holder proves their key against ${to.domain.file}`;
  // The shared collect screen sees the new file's holders, every one of them required.
  const lens: CeremonyState = {
    ...state,
    domain: {...to.domain, required: to.domain.total},
    holders: to.holders,
  };
  return (
    <Box flexDirection="column">
      <Text>{title}</Text>
      {/* The collect screen below has the rows this line leaves. */}
      <LayoutContext.Provider
        value={{...layout, bodyRows: layout.bodyRows - rowsOf(title, layout.width)}}
      >
        <CollectScreen state={lens} sticks={sticks} actions={actions} />
      </LayoutContext.Provider>
    </Box>
  );
}
