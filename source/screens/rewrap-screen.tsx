import {useState} from 'react';
import {Box} from 'ink';
import {join} from 'node:path';
import type {CeremonyState} from '../ceremony/types.js';
import {Choice} from '../components/choice.js';
import {Notice} from '../components/notice.js';
import {Spinner} from '../components/spinner.js';
import {Text} from '../components/text.js';
import {TextField} from '../components/text-field.js';
import {useKeys} from '../hooks/use-keys.js';
import type {Stick} from '../media/stick.js';

export interface RewrapActions {
  quorum: (required: number) => void;
  write: (file: string) => void;
  back: () => void;
}

/** The "type a path" choice: no path is a colon alone. */
const TYPE = ':';

/** A name for the new file that says what it is and never is the old file's. */
export function newFileName(state: CeremonyState): string {
  const d = state.domain;
  if (state.mode === 'compromise') return 'security-domain-new-hsm.json';
  return d?.format === 'native'
    ? `security-domain-gen${(d.generation ?? 1) + 1}.json`
    : 'security-domain-rotated.json';
}

/**
 * Rewrap: the new quorum, then where the new file goes (a stick, or a typed path). It is
 * written beside nothing — never over a file — and checked before the new holders prove.
 *
 *   How many of the 4 new holders must come to open the new file?
 *   ❯ 3 of 4
 *   Where does the new file go? ❯ on stick BACKUP as security-domain-gen2.json
 */
export function RewrapScreen({
  state,
  sticks,
  actions,
}: {
  state: CeremonyState;
  sticks: Stick[];
  actions: RewrapActions;
}) {
  const [typing, setTyping] = useState(false);
  const r = state.rotation;
  const n = r?.newHolders.length ?? 0;
  useKeys({back: !r?.writing && (() => (typing ? setTyping(false) : actions.back()))});
  const c = r?.change;
  const summary = c
    ? `${n} new holders: ${c.kept.length} kept, ${c.added.length} added, ${c.departed.length} departed.`
    : '';
  let body: React.ReactNode;
  if (r?.writing) {
    body = (
      <Spinner
        label={
          state.mode === 'compromise'
            ? 'Provisioning the new HSM: writing its new security domain and checking it…'
            : 'Writing the new file and checking it against the domain…'
        }
      />
    );
  } else if (r?.required === undefined) {
    // The number picks the quorum itself: 3 is "3 of n", never the third line.
    const options = Array.from({length: n - 1}, (_, i) => i + 2).map((m) => ({
      label: `${m} of ${n}${m < 3 ? ' (the domain document recommends 3 or more)' : ''}`,
      value: String(m),
      ...(m <= 9 ? {key: String(m)} : {}),
    }));
    body = (
      <Box flexDirection="column">
        <Text>How many of the {n} new holders must come to open the new file?</Text>
        <Choice options={options} onChoose={(v) => actions.quorum(Number(v))} />
      </Box>
    );
  } else if (typing) {
    body = (
      <Box flexDirection="column">
        <Text>Path of the new file (it must not exist yet):</Text>
        <TextField
          placeholder={`e.g. /media/backup/${newFileName(state)}`}
          onSubmit={(v) => v.trim() && actions.write(v.trim())}
        />
      </Box>
    );
  } else {
    const name = newFileName(state);
    const options = [
      ...sticks.map((s) => ({label: `on stick ${s.label} as ${name}`, value: join(s.path, name)})),
      // Not '': Select reports no choice of an empty value.
      {label: 'Type a path…', value: TYPE},
    ];
    body = (
      <Box flexDirection="column">
        <Text>
          Quorum {r.required} of {n}. Where does the new file go?
        </Text>
        <Choice
          options={options}
          onChoose={(v) => (v === TYPE ? setTyping(true) : actions.write(v))}
        />
      </Box>
    );
  }
  return (
    <Box flexDirection="column" gap={1}>
      <Text>{summary}</Text>
      {body}
      <Notice notice={state.notice} />
    </Box>
  );
}
