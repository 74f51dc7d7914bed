import {useState} from 'react';
import {Box} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {Choice} from '../components/choice.js';
import {Text} from '../components/text.js';
import {TextField} from '../components/text-field.js';
import {useKeys} from '../hooks/use-keys.js';
import type {Stick} from '../media/stick.js';

export interface RemoteActions {
  /** Writes a request for the holder into `dir` (a stick or folder); the code shows in state. */
  call: (holderIndex: number, dir: string) => void;
  /** Reads a contribution file named by path (one that did not come on a stick). */
  read: (file: string) => void;
}

/** The panel's questions, the longest first to count the rows it needs above its lists. */
export const REMOTE_PROMPTS = [
  "Which holder is at another site? (the number is the holder's)",
  'Write the request for holder-10 (holder 10) to:',
  'Holder at another site:',
];

type Phase =
  | {kind: 'menu'}
  | {kind: 'holder'}
  | {kind: 'where'; holder: number}
  | {kind: 'folder'; holder: number}
  | {kind: 'file'};

/**
 * A holder at another site (the collect step's `c`): call them — a request written to a stick
 * or folder, its code shown on the holder list to read to them — or read a contribution file
 * from a path (typed or pasted; one on a stick is read when the stick is inserted).
 *
 *   Holder at another site:
 *   ❯ Call a holder (write a request for them)
 *     Read a contribution file (type or paste its path)
 */
export function RemoteHolder({
  state,
  sticks,
  actions,
  rows,
  onClose,
}: {
  state: CeremonyState;
  sticks: Stick[];
  actions: RemoteActions;
  /** The rows its lists may take. */
  rows?: number;
  onClose: () => void;
}) {
  const [phase, setPhase] = useState<Phase>({kind: 'menu'});
  useKeys({cancel: onClose});
  const name = (i: number) => {
    const h = state.holders.find((x) => x.index === i);
    return h?.name ? `${h.name} (holder ${i})` : `holder ${i}`;
  };

  switch (phase.kind) {
    case 'menu':
      return (
        <Box flexDirection="column">
          <Text>Holder at another site:</Text>
          <Choice
            options={[
              {label: 'Call a holder (write a request for them)', value: 'call'},
              {label: 'Read a contribution file (type or paste its path)', value: 'file'},
            ]}
            onChoose={(v) => setPhase(v === 'call' ? {kind: 'holder'} : {kind: 'file'})}
          />
        </Box>
      );
    case 'holder': {
      const waiting = state.holders.filter((h) => h.state === 'waiting');
      if (waiting.length === 0)
        return <Text>No holder is waiting to be called. Esc to go back.</Text>;
      return (
        <Box flexDirection="column">
          <Text>Which holder is at another site? (the number is the holder's)</Text>
          <Choice
            {...(rows ? {rows} : {})}
            options={waiting.map((h) => ({
              // Numbered by holder: 3 is holder 3, whichever line it is on.
              label: `${h.name ?? `holder ${h.index}`}${h.remote ? ' — called already: call again' : ''}`,
              value: String(h.index),
              ...(h.index <= 9 ? {key: String(h.index)} : {}),
            }))}
            onChoose={(v) => setPhase({kind: 'where', holder: Number(v)})}
          />
        </Box>
      );
    }
    case 'where':
      return (
        <Box flexDirection="column">
          <Text>Write the request for {name(phase.holder)} to:</Text>
          <Choice
            {...(rows ? {rows} : {})}
            options={[
              ...sticks.map((s) => ({label: `stick ${s.label}`, value: s.path})),
              {label: 'a folder (type its path)…', value: ''},
            ]}
            onChoose={(v) => {
              if (!v) return setPhase({kind: 'folder', holder: phase.holder});
              actions.call(phase.holder, v);
              onClose();
            }}
          />
        </Box>
      );
    case 'folder':
      return (
        <Box flexDirection="column">
          <Text>Folder for the request to {name(phase.holder)}:</Text>
          <TextField
            placeholder="e.g. /media/courier"
            onSubmit={(v) => {
              if (!v.trim()) return;
              actions.call(phase.holder, v.trim());
              onClose();
            }}
          />
        </Box>
      );
    case 'file':
      return (
        <Box flexDirection="column">
          <Text>Path of the contribution file:</Text>
          <TextField
            placeholder="e.g. /media/courier/contribution-3.json"
            onSubmit={(v) => {
              if (!v.trim()) return;
              actions.read(v.trim());
              onClose();
            }}
          />
        </Box>
      );
  }
}
