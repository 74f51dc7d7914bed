import {useEffect, useRef, useState} from 'react';
import {Text, useInput} from 'ink';
import {color} from './theme.js';

/**
 * A masked passphrase field. Not @inkjs/ui's PasswordInput: that keeps the typed value as a
 * string in React state, and a passphrase must live only in a Buffer we zero. Here the bytes
 * go into a fixed Buffer held in a ref; React state holds only how many were typed, which
 * is all the screen shows (as dots).
 *
 *   Passphrase: ••••••••▌
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
  const buffer = useRef(Buffer.alloc(1024));
  const length = useRef(0);
  const [shown, setShown] = useState(0);

  useEffect(() => {
    const b = buffer.current;
    return () => {
      b.fill(0);
    };
  }, []);

  useInput(
    (input, key) => {
      const b = buffer.current;
      if (key.return) {
        const out = Buffer.from(b.subarray(0, length.current));
        b.fill(0);
        length.current = 0;
        setShown(0);
        onSubmit(out);
        return;
      }
      if (key.escape) {
        b.fill(0);
        length.current = 0;
        setShown(0);
        onCancel?.();
        return;
      }
      if (key.backspace || key.delete) {
        if (length.current > 0) b[--length.current] = 0;
        setShown(length.current);
        return;
      }
      if (
        key.ctrl ||
        key.meta ||
        key.tab ||
        key.upArrow ||
        key.downArrow ||
        key.leftArrow ||
        key.rightArrow
      )
        return;
      const bytes = Buffer.from(input, 'utf8');
      const room = b.length - length.current;
      bytes.copy(b, length.current, 0, Math.min(room, bytes.length));
      length.current += Math.min(room, bytes.length);
      bytes.fill(0);
      setShown(length.current);
    },
    {isActive: !isDisabled},
  );

  return (
    <Text>
      {label}
      <Text color={color('accent')}>{'•'.repeat(Math.min(shown, 40))}</Text>
      {isDisabled ? '' : '▌'}
    </Text>
  );
}
