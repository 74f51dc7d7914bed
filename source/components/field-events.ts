/**
 * What one `useInput` call means to a one-line text field, as a list of field events. Pure:
 * no Ink, no React, so every case is tested without a terminal.
 *
 * Why this exists — what Ink 6.8.0 hands `useInput` (src/input-parser.ts, parse-keypress.ts):
 * - A read from the terminal is split only at escape sequences. A run of plain text is one
 *   call, whatever it holds: `tmux send-keys "Alice Ng" Enter`, a paste, a password manager or
 *   a fast typist over ssh gives one call with input `'Alice Ng\r'` and no key flag set.
 * - Only a read that is exactly `'\r'` sets `key.return`; a lone `'\n'` is not "return" (its
 *   input is `'\n'`); Backspace (DEL, 0x7f) alone sets `key.delete`, `'\b'` `key.backspace`,
 *   both with an empty input; inside a burst they stay raw characters.
 * - Each escape sequence is its own call, with the ESC stripped from `input`: bracketed
 *   paste arrives as `'[200~'`, the pasted text, `'[201~'`. Sequences Ink does not name (a
 *   Shift-F1, a keypad key) arrive the same way, as text such as `'[1;2P'`.
 *
 * So a field must read `input` itself: printable text goes in, CR, LF or CRLF submits what
 * came before it (the rest of that burst is dropped: it was typed for no field we know),
 * DEL and BS inside a burst erase, every other control character is dropped.
 */

export type FieldEvent =
  | {type: 'text'; text: string}
  | {type: 'submit'}
  | {type: 'backspace'}
  | {type: 'escape'}
  /** Ctrl-U: the whole line goes, as in a shell. */
  | {type: 'clear'};

/** The part of Ink's `Key` a field looks at. */
export interface KeyFlags {
  return: boolean;
  escape: boolean;
  backspace: boolean;
  delete: boolean;
  ctrl: boolean;
  meta: boolean;
  tab: boolean;
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
}

export const PASTE_START = '[200~';
export const PASTE_END = '[201~';

/**
 * The remainder of a CSI sequence after Ink stripped its ESC: a key Ink does not name. A
 * burst of exactly this shape typed as text is not plausible; a paste of it would be lost.
 */
const STRIPPED_CSI = /^\[[0-9;]*[~A-Za-z]$/;

/**
 * The field events in one `useInput` call. `inPaste` says whether a bracketed paste is open
 * (ESC[200~ seen, ESC[201~ not yet); inside one, keys are content, never commands: an ESC,
 * a DEL or an arrow in pasted text is dropped, not obeyed. Stops at the first submit.
 */
export function fieldEvents(
  input: string,
  key: KeyFlags,
  inPaste = false,
): {events: FieldEvent[]; inPaste: boolean} {
  const none = (paste: boolean) => ({events: [], inPaste: paste});
  // After an ESC in the pasted text Ink hands the end marker over with one ESC left on it.
  if (input === PASTE_START || input === `\u001B${PASTE_START}`) return none(true);
  if (input === PASTE_END || input === `\u001B${PASTE_END}`) return none(false);
  if (key.return) return {events: [{type: 'submit'}], inPaste};
  if (key.escape) return inPaste ? none(true) : {events: [{type: 'escape'}], inPaste};
  if (key.backspace || key.delete)
    return inPaste ? none(true) : {events: [{type: 'backspace'}], inPaste};
  if (key.ctrl && input === 'u' && !inPaste) return {events: [{type: 'clear'}], inPaste};
  if (
    key.ctrl ||
    key.meta ||
    key.tab ||
    key.upArrow ||
    key.downArrow ||
    key.leftArrow ||
    key.rightArrow ||
    key.pageUp ||
    key.pageDown ||
    key.home ||
    key.end ||
    STRIPPED_CSI.test(input)
  )
    return none(inPaste);
  return {events: splitBurst(input, inPaste), inPaste};
}

/**
 * Text, Enter and Backspace in a run of characters; up to and including the first Enter.
 * Text comes out as slices of `input` between control characters, not rebuilt character
 * by character: a passphrase typed in a burst is not copied into more strings than needed.
 */
export function splitBurst(input: string, inPaste = false): FieldEvent[] {
  const events: FieldEvent[] = [];
  let from = 0;
  const flush = (to: number) => {
    if (to > from) events.push({type: 'text', text: input.slice(from, to)});
  };
  // Every control character is one UTF-16 unit, and no half of a surrogate pair is one, so
  // a character outside the BMP is never split.
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c >= 0x20 && (c < 0x7f || c > 0x9f)) continue;
    flush(i);
    from = i + 1;
    if (c === 0x0d || c === 0x0a) {
      // CR, LF or CRLF: one Enter. Whatever follows it in this burst is dropped.
      events.push({type: 'submit'});
      return events;
    }
    if ((c === 0x7f || c === 0x08) && !inPaste) events.push({type: 'backspace'});
  }
  flush(input.length);
  return events;
}

/** The value without its last character (a code point: é typed as one key is one). */
export function withoutLastCharacter(value: string): string {
  const chars = Array.from(value);
  chars.pop();
  return chars.join('');
}
