import {useState} from 'react';
import {Box} from 'ink';
import type {CeremonyState, Custodian} from '../ceremony/types.js';
import {Choice} from '../components/choice.js';
import {Text} from '../components/text.js';
import {TextField} from '../components/text-field.js';
import {useKeys} from '../hooks/use-keys.js';
import type {Stick} from '../media/stick.js';
import {CustodianPrompt} from './custodian-prompt.js';

export interface RemoteActions {
  /**
   * Writes a request for the holder into `dir` (a stick or folder); the code shows in state.
   * `custodian`: who was called (the report names them).
   */
  call: (holderIndex: number, dir: string, custodian?: Custodian) => void;
  /** Reads a contribution file named by path (one that did not come on a stick). */
  read: (file: string) => void;
}

type Phase =
  | {kind: 'menu'}
  | {kind: 'holder'}
  | {kind: 'who'; holder: number}
  | {kind: 'where'; holder: number; custodian: Custodian}
  | {kind: 'folder'; holder: number; custodian: Custodian}
  | {kind: 'file'};

/** The panel's questions, the longest first to count the rows it needs above its lists. */
export const REMOTE_PROMPTS = [
  "Which holder is at another site? (the number is the holder's)",
  'Who keeps the key of holder-10 (holder 10), at the other site?',
  'Write the request for holder-10 (holder 10) to:',
  'Holder at another site:',
];

/**
 * The "type a folder" choice's value: one no stick's (absolute) path can be. (An empty value
 * once froze the panel: @inkjs/ui's Select reported no choice of it.)
 */
export const TYPE_FOLDER = ':folder';

/**
 * A holder at another site (the collect step's `c`): call them — a request written to a stick
 * or folder, its code shown on the holder list to read to them — or read a contribution file
 * from a path (typed or pasted; one on a stick is read when the stick is inserted).
 *
 *   Holder at another site:
 *   ❯ 1  Call a holder (write a request for them)
 *     2  Read a contribution file (type or paste its path)
 */
export function RemoteHolder({
  state,
  sticks,
  actions,
  registry,
  rows,
  onClose,
}: {
  state: CeremonyState;
  sticks: Stick[];
  actions: RemoteActions;
  /** The holder registry: certificate fingerprint → custodian. */
  registry?: ReadonlyMap<string, Custodian> | undefined;
  /** The rows its lists may take. */
  rows?: number;
  onClose: () => void;
}) {
  const [phase, setPhase] = useState<Phase>({kind: 'menu'});
  // The custodian prompt has its own Esc.
  useKeys({cancel: phase.kind !== 'who' && onClose});
  const name = (i: number) => {
    const h = state.holders.find((x) => x.index === i);
    return h?.name ? `${h.name} (holder ${i})` : `holder ${i}`;
  };
  const fit = rows ? {rows} : {};

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
            {...fit}
            options={waiting.map((h) => ({
              // Numbered by holder: 3 is holder 3, whichever line it is on.
              label: `${h.name ?? `holder ${h.index}`}${h.remote ? ' — called already: call again' : ''}`,
              value: String(h.index),
              ...(h.index <= 9 ? {key: String(h.index)} : {}),
            }))}
            onChoose={(v) => setPhase({kind: 'who', holder: Number(v)})}
          />
        </Box>
      );
    }
    case 'who': {
      const fp = state.holders.find((h) => h.index === phase.holder)?.certFingerprint;
      return (
        <Box flexDirection="column">
          <Text>Who keeps the key of {name(phase.holder)}, at the other site?</Text>
          <CustodianPrompt
            registered={fp ? registry?.get(fp) : undefined}
            onCancel={onClose}
            onDone={(custodian) => setPhase({kind: 'where', holder: phase.holder, custodian})}
          />
        </Box>
      );
    }
    case 'where':
      return (
        <Box flexDirection="column">
          <Text>Write the request for {name(phase.holder)} to:</Text>
          <Choice
            {...fit}
            options={[
              ...sticks.map((s) => ({label: `stick ${s.label}`, value: s.path})),
              {label: 'a folder (type its path)…', value: TYPE_FOLDER},
            ]}
            onChoose={(v) => {
              if (v === TYPE_FOLDER) return setPhase({...phase, kind: 'folder'});
              actions.call(phase.holder, v, phase.custodian);
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
              actions.call(phase.holder, v.trim(), phase.custodian);
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
