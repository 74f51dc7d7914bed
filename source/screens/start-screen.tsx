import {Box} from 'ink';
import type {Mode} from '../ceremony/types.js';
import {Choice} from '../components/choice.js';
import {Text} from '../components/text.js';

/** What a session is for: one of the ceremony's uses, or one holder checking their key. */
export type Use = Mode | 'check';

const OPTIONS: Array<{label: string; value: Use}> = [
  {
    label: 'Quarterly rehearsal — simulate a disaster and prove the quorum can recover',
    value: 'rehearsal',
  },
  {label: 'Restore after a purge — recover the domain into a new HSM for real', value: 'restore'},
  {
    label: 'Onboarding — make your key, join a practice domain, practise the drill',
    value: 'onboarding',
  },
  {
    label: 'Rotation — the quorum changes: wrap the domain to new holders, prove every new key',
    value: 'rotation',
  },
  {
    label: 'Compromise — the domain is lost: rehearse moving every key to a new HSM',
    value: 'compromise',
  },
  {
    label: 'Check my key (one holder) — alone, no quorum: does my key still open my true share?',
    value: 'check',
  },
];

/** Start: what is this drill for? */
export function StartScreen({onChoose}: {onChoose: (use: Use) => void}) {
  return (
    <Box flexDirection="column" gap={1}>
      <Text>
        What is this session for? Choose with the arrow keys and press Enter, or press its number.
      </Text>
      <Choice options={OPTIONS} onChoose={(v) => onChoose(v as Use)} />
    </Box>
  );
}
