import {useEffect, useRef, useState} from 'react';
import {useFieldInput} from '../hooks/use-field-input.js';
import {useKeyHints} from '../hooks/use-keys.js';
import type {FieldEvent} from './field-events.js';
import {appendText, characterCount, dropLastCharacter} from './secret-buffer.js';
import {glyphs} from './glyphs.js';
import {useLayout} from './layout.js';
import {LIVE} from './screen-reader.js';
import {Text} from './text.js';
import {color} from './theme.js';

/** Bytes of UTF-8 a passphrase may have; what does not fit is not typed. */
const CAPACITY = 1024;

/**
 * A masked passphrase field. Not @inkjs/ui's PasswordInput: that keeps the typed value as a
 * string in React state, and a passphrase must live only in a Buffer we zero. Here the bytes
 * go into a fixed Buffer held in a ref; React state holds only how many characters were
 * typed, which is all the screen shows (as dots). Keys come through useFieldInput, so a
 * passphrase pasted or auto-typed with its Enter in one read is submitted without the line
 * break, and Backspace removes a whole character (é is two bytes, one dot, one Backspace).
 * Enter on an empty field does nothing: a stray Enter never costs one of the tries.
 *
 *   Passphrase: ••••••••▌
 *
 * Keys: Enter submits, Esc cancels when the owner can (both on the footer through the key
 * registry). For a screen reader only the prompt is said.
 */
export function SecretInput({
  label,
  onSubmit,
  onCancel,
  isDisabled = false,
}: {
  label: string;
  /** Receives a Buffer the caller must wipe. */
  onSubmit: (secret: Buffer) => void;
  onCancel?: () => void;
  isDisabled?: boolean;
}) {
  const buffer = useRef(Buffer.alloc(CAPACITY));
  const length = useRef(0);
  // What the screen shows: the characters typed; `submissions` makes every Enter re-render.
  const [view, setView] = useState({shown: 0, submissions: 0});
  // Set by Enter until the next render: the rest of the read that carried the Enter is not
  // typed into the next try.
  const submitted = useRef(false);
  useEffect(() => {
    submitted.current = false;
  });

  useEffect(() => {
    const b = buffer.current;
    return () => {
      b.fill(0);
    };
  }, []);

  const clear = () => {
    buffer.current.fill(0);
    length.current = 0;
  };

  const handle = (events: FieldEvent[]) => {
    if (submitted.current) return;
    const b = buffer.current;
    for (const e of events) {
      if (e.type === 'text') length.current = appendText(b, length.current, e.text);
      else if (e.type === 'backspace') length.current = dropLastCharacter(b, length.current);
      else if (e.type === 'clear') clear();
      else if (e.type === 'escape') {
        clear();
        setView((v) => ({...v, shown: 0}));
        onCancel?.();
        return;
      } else if (length.current > 0) {
        const out = Buffer.from(b.subarray(0, length.current));
        clear();
        submitted.current = true;
        setView((v) => ({shown: 0, submissions: v.submissions + 1}));
        onSubmit(out);
        return;
      }
    }
    const shown = characterCount(b, length.current);
    setView((v) => (v.shown === shown ? v : {...v, shown}));
  };
  useFieldInput(handle, {isActive: !isDisabled});
  useKeyHints(
    [{binding: 'submit'}, ...(onCancel ? [{binding: 'cancel' as const}] : [])],
    !isDisabled,
  );
  const {screenReader} = useLayout();

  // A screen reader hears the prompt, never the typing: not even how many characters.
  if (screenReader) return <Text>{`${isDisabled ? '' : LIVE}${label}(typing is not shown)`}</Text>;
  const g = glyphs();
  return (
    <Text>
      {label}
      <Text color={color('accent')}>{g.mask.repeat(Math.min(view.shown, 40))}</Text>
      {isDisabled ? '' : g.cursor}
    </Text>
  );
}
