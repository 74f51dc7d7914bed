import {Box} from 'ink';
import type {CeremonyState, Custodian} from '../ceremony/types.js';
import {LayoutContext, useLayout} from '../components/layout.js';
import {Spinner} from '../components/spinner.js';
import {Text} from '../components/text.js';
import {rowsOf} from '../components/wrap.js';
import type {Stick} from '../media/stick.js';
import type {StickContents} from '../drill/stick-contents.js';
import {CollectScreen, type CollectActions} from './collect-screen.js';

/**
 * Prove: every new holder presents their key against the new file and opens their share —
 * the collect screen, on the new file's holders, with all of them required. Then every share
 * is checked against the new domain.
 *
 *   Every new holder proves their key against /media/backup/security-domain-gen2.json
 *   Proven ■■□ 2 of 3 — every new holder proves their key: 1 still to come
 */
export function ProveScreen({
  state,
  sticks,
  actions,
  registry,
  contents,
}: {
  state: CeremonyState;
  sticks: Stick[];
  actions: CollectActions;
  /** The holder registry (certificate fingerprint → custodian): a new key may be registered. */
  registry?: ReadonlyMap<string, Custodian>;
  contents?: ReadonlyMap<string, StickContents> | undefined;
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
        <CollectScreen
          state={lens}
          sticks={sticks}
          actions={actions}
          {...(registry ? {registry} : {})}
          contents={contents}
        />
      </LayoutContext.Provider>
    </Box>
  );
}
