/**
 * A passphrase being typed, kept as UTF-8 bytes in a fixed Buffer the field owns and zeroes.
 * The unit of editing is a character — one Unicode code point — not a byte: Backspace after
 * é (two bytes) or 😀 (four) removes the whole character, so a correction never leaves half
 * of one behind. A code point, not a grapheme: é typed as one key is one code point; the
 * rare decomposed e + U+0301 takes two Backspaces, as it does in a terminal's own line editor.
 */

const isContinuation = (byte: number): boolean => (byte & 0xc0) === 0x80;

/** Appends the whole characters of `text` that fit; returns the new length in bytes. */
export function appendText(buffer: Buffer, length: number, text: string): number {
  // Buffer#write never writes part of a character, so a full buffer ends on a boundary.
  return length + buffer.write(text, length, 'utf8');
}

/** Removes the last character (all of its bytes, zeroed); returns the new length. */
export function dropLastCharacter(buffer: Buffer, length: number): number {
  if (length === 0) return 0;
  let start = length - 1;
  while (start > 0 && isContinuation(buffer[start] as number)) start--;
  buffer.fill(0, start, length);
  return start;
}

/** How many characters the first `length` bytes hold: what the mask shows, not the bytes. */
export function characterCount(buffer: Buffer, length: number): number {
  let n = 0;
  for (let i = 0; i < length; i++) if (!isContinuation(buffer[i] as number)) n++;
  return n;
}
