import {useEffect, useReducer, useRef} from 'react';
import {Text} from 'ink';
import {useFieldInput} from '../hooks/use-field-input.js';
import {reduceTextField} from './text-field-state.js';

/**
 * A one-line text field (names, roles, paths). Not @inkjs/ui's TextInput: that inserts
 * whatever string `useInput` hands it, so `'Alice Ng\r'` arriving in one read (a paste, a
 * password manager, a fast typist over ssh) puts a raw carriage return into the value and
 * never submits; its handler cannot be wrapped from outside. Here keys go through
 * useFieldInput — text in, CR/LF/CRLF submits, control characters dropped — and the value
 * lives in a reducer, so several reads before a render never act on a stale value.
 *
 *   Your name: Alice Ng▌
 */
export function TextField({
  placeholder = '',
  onSubmit,
  isDisabled = false,
}: {
  placeholder?: string;
  /** Called with the whole value on Enter; the owner decides whether it is acceptable. */
  onSubmit: (value: string) => void;
  isDisabled?: boolean;
}) {
  const [state, dispatch] = useReducer(reduceTextField, {value: ''});
  useFieldInput((events) => dispatch({type: 'input', events}), {isActive: !isDisabled});

  const latest = useRef(onSubmit);
  useEffect(() => {
    latest.current = onSubmit;
  });
  const {submitted} = state;
  useEffect(() => {
    if (!submitted) return;
    dispatch({type: 'submit-handled'});
    latest.current(submitted.value);
  }, [submitted]);

  const cursor = isDisabled ? '' : '▌';
  if (!state.value)
    return (
      <Text>
        {cursor}
        <Text dimColor>{placeholder}</Text>
      </Text>
    );
  return (
    <Text>
      {state.value}
      {cursor}
    </Text>
  );
}
