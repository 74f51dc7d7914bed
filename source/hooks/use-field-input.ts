import {useRef} from 'react';
import {useInput} from 'ink';
import {fieldEvents, type FieldEvent} from '../components/field-events.js';

/**
 * Ink's `useInput` read the way a one-line field must read it: each call becomes text,
 * submit, backspace and escape events (see field-events.ts for what Ink hands over and
 * why). Every text field — TextField, SecretInput — takes its keys through here, so a burst
 * (a paste, a password manager, `tmux send-keys "Alice Ng" Enter`) means the same in all.
 */
export function useFieldInput(
  onEvents: (events: FieldEvent[]) => void,
  {isActive = true}: {isActive?: boolean} = {},
): void {
  // Whether a bracketed paste is open: its start and end marker come as separate calls.
  const inPaste = useRef(false);
  useInput(
    (input, key) => {
      const read = fieldEvents(input, key, inPaste.current);
      inPaste.current = read.inPaste;
      if (read.events.length > 0) onEvents(read.events);
    },
    {isActive},
  );
}
