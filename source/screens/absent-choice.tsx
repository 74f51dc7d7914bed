import {useState} from 'react';
import {Box} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {Choice} from '../components/choice.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';
import {useKeys} from '../hooks/use-keys.js';

/**
 * How many holders could still come if `index` were marked absent: when that is fewer than
 * the quorum (every new holder, in a rotation's prove step), the mark ends the drill.
 */
export function stillPossible(state: CeremonyState, index: number): number {
  return state.holders.filter(
    (h) =>
      h.index !== index &&
      (h.state === 'accepted' || h.state === 'waiting' || h.state === 'presenting'),
  ).length;
}

/**
 * The `a` key: which holder is absent (or present again), numbered by holder — 3 is holder 3,
 * whichever line it is on. A mark that leaves too few holders for the quorum ends the drill as
 * FAIL, so it asks first, with n the way back.
 *
 *   Mark bob (holder 2) absent? Only 2 holders could still come, fewer than the quorum of 3:
 *   the drill ends now as FAIL.   y yes · n no
 */
export function AbsentChoice({
  state,
  rows,
  onChoose,
  onCancel,
}: {
  state: CeremonyState;
  /** The rows its list may take. */
  rows?: number;
  onChoose: (i: number) => void;
  onCancel: () => void;
}) {
  const [confirming, setConfirming] = useState<number>();
  const required = state.domain?.required ?? 0;
  const proving = state.step === 'prove';
  const asking = confirming !== undefined;
  useKeys({
    cancel: asking ? () => setConfirming(undefined) : onCancel,
    yes: asking && (() => onChoose(confirming)),
    no: asking && (() => setConfirming(undefined)),
  });
  const label = (i: number) => {
    const h = state.holders.find((x) => x.index === i);
    return h?.name ? `${h.name} (holder ${i})` : `holder ${i}`;
  };
  if (confirming !== undefined) {
    const left = stillPossible(state, confirming);
    return (
      <Box flexDirection="column">
        <Text color={color('warning')}>
          {proving
            ? `Mark ${label(confirming)} absent? Every new holder must prove their key: the rotation ends now as FAIL, nothing is to be destroyed, and the old file stays in use.`
            : `Mark ${label(confirming)} absent? Only ${left} ${left === 1 ? 'holder' : 'holders'} could still come, fewer than the quorum of ${required}: the drill ends now as FAIL.`}
        </Text>
        <Text bold>Press y to mark them absent and end the drill, n to go back.</Text>
      </Box>
    );
  }
  const options = state.holders
    .filter((h) => h.state === 'waiting' || h.state === 'absent')
    .map((h) => ({
      label: `${h.name ?? `holder ${h.index}`} — ${h.state === 'absent' ? 'mark present again' : 'mark absent'}`,
      value: String(h.index),
      ...(h.index <= 9 ? {key: String(h.index)} : {}),
    }));
  return (
    <Box flexDirection="column">
      <Text>Which holder is absent? (the number is the holder's)</Text>
      <Choice
        options={options}
        {...(rows ? {rows} : {})}
        onChoose={(v) => {
          const i = Number(v);
          const h = state.holders.find((x) => x.index === i);
          if (h?.state === 'waiting' && stillPossible(state, i) < required) setConfirming(i);
          else onChoose(i);
        }}
      />
    </Box>
  );
}
