import {useState} from 'react';
import {Box} from 'ink';
import {Choice} from '../components/choice.js';
import {Text} from '../components/text.js';
import {TextField} from '../components/text-field.js';
import {Notice} from '../components/notice.js';
import type {CeremonyState} from '../ceremony/types.js';
import {useKeys} from '../hooks/use-keys.js';

/** Load: the security-domain file, from --sd, a stick, or a typed path. */
export function LoadScreen({
  state,
  candidates,
  onLoad,
  onBack,
}: {
  state: CeremonyState;
  /** Security-domain files found on the sticks present. */
  candidates: string[];
  onLoad: (file: string) => void;
  onBack: () => void;
}) {
  const [typing, setTyping] = useState(candidates.length === 0);
  // Each path tried gets a fresh field: after a refusal (which names the path) the old text
  // is not left there for the next one to be appended to.
  const [tries, setTries] = useState(0);
  useKeys({
    back: () => (typing && candidates.length > 0 ? setTyping(false) : onBack()),
  });
  return (
    <Box flexDirection="column" gap={1}>
      <Text>Which security domain are we recovering?</Text>
      <Notice notice={state.notice} />
      {typing ? (
        <Box flexDirection="column">
          <Text>Path to the security-domain file (sd-drill or Azure Managed HSM JSON):</Text>
          <TextField
            key={tries}
            placeholder="e.g. /media/alice/SD/security-domain.json"
            onSubmit={(v) => {
              if (!v.trim()) return;
              setTries((t) => t + 1);
              onLoad(v.trim());
            }}
          />
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text>Found on the sticks:</Text>
          <Choice
            options={[
              ...candidates.map((c) => ({label: c, value: c})),
              // ':' names no file: it stands for typing a path.
              {label: 'Type a path…', value: ':'},
            ]}
            onChoose={(v) => (v === ':' ? setTyping(true) : onLoad(v))}
          />
        </Box>
      )}
    </Box>
  );
}
