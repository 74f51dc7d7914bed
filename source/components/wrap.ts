import {plainText} from './glyphs.js';

/**
 * Word wrapping as Ink does it (wrap-ansi, hard), to know how many rows a text will take before
 * it is drawn: a screen shares the terminal's rows between its parts from these counts. Pure.
 * Widths count code points; the rare double-width character (CJK, emoji) is counted as one,
 * so a count can fall short by a row then, never the text itself: Ink wraps what it draws.
 * Text is measured as it will be shown: in ASCII mode "…" is three columns (glyphs.ts).
 */

/** The text's lines, each at most `width` columns, broken between words where it can be. */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width));
  const out: string[] = [];
  for (const paragraph of plainText(text).split('\n')) {
    let line = '';
    let length = 0;
    for (const word of paragraph.split(' ')) {
      let chars = Array.from(word);
      const room = length === 0 ? w : w - length - 1;
      if (chars.length <= room) {
        line = length === 0 ? word : `${line} ${word}`;
        length += (length === 0 ? 0 : 1) + chars.length;
        continue;
      }
      if (length > 0) {
        out.push(line);
        line = '';
        length = 0;
      }
      // A word longer than the line is cut where the line ends (a path, a fingerprint).
      while (chars.length > w) {
        out.push(chars.slice(0, w).join(''));
        chars = chars.slice(w);
      }
      line = chars.join('');
      length = chars.length;
    }
    out.push(line);
  }
  return out;
}

/** How many rows `text` takes at `width` columns. */
export function rowsOf(text: string, width: number): number {
  return text === '' ? 0 : wrapWords(text, width).length;
}

/** The display width of a line (code points; see above). */
export function widthOf(text: string): number {
  return Array.from(plainText(text)).length;
}
