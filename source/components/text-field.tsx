import {useEffect, useReducer, useRef} from 'react';
import {useFieldInput} from '../hooks/use-field-input.js';
import {useKeyHints} from '../hooks/use-keys.js';
import {glyphs} from './glyphs.js';
import {useLayout} from './layout.js';
import {LIVE} from './screen-reader.js';
import {reduceTextField} from './text-field-state.js';
import {Text} from './text.js';

/**
 * A one-line text field (names, roles, paths). Not @inkjs/ui's TextInput: that inserts
 * whatever string `useInput` hands it, so `'Alice Ng\r'` arriving in one read (a paste, a
 * password manager, a fast typist over ssh) puts a raw carriage return into the value and
 * never submits; its handler cannot be wrapped from outside. Here keys go through
 * useFieldInput — text in, CR/LF/CRLF submits, control characters dropped — and the value
 * lives in a reducer, so several reads before a render never act on a stale value.
 *
 *   Your name: Alice Ng▌
 *
 * For a screen reader the field is the line being edited (screen-reader.ts): no cursor glyph,
 * no placeholder, the text as typed.
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
  useKeyHints([{binding: 'submit'}], !isDisabled);
  const {screenReader} = useLayout();

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

  if (screenReader) return <Text>{`${isDisabled ? '' : LIVE}${state.value}`}</Text>;
  const cursor = isDisabled ? '' : glyphs().cursor;
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
