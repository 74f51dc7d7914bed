/**
 * Screen-reader mode's text stream. Ink's screen-reader mode (INK_SCREEN_READER, aria-label,
 * aria-role, aria-state) renders a frame as linear text — and redraws the whole of it on every
 * change, so a reader following the terminal would hear every line again at each keystroke.
 * Here a frame becomes a transcript instead: only the lines the last frame did not have are
 * written, below what was said before; nothing said is erased. The one line being edited is
 * marked by its component and rewritten in place, last:
 * - LIVE, a field with its prompt ("Your name: Alice"): rewritten while it is typed into, and
 *   kept in the transcript once it becomes something else (the field was submitted);
 * - SELECTION, a list's cursor ("3 of 5, selected: carol"): rewritten as the arrows move it,
 *   never kept (the entries were said; the choice shows in what comes next).
 * Pure: frames in, bytes out.
 */

/** Marks a field's line (U+2063, invisible). */
export const LIVE = '\u2063';
/** Marks a list's cursor line (U+2064, invisible). */
export const SELECTION = '\u2064';
/** Marks a step's first line (U+2061, invisible): what was said in the last step is forgotten. */
export const STEP = '\u2061';
/**
 * Marks a line of reference (U+2062, invisible): the keys that work, a list's entries. Said when
 * it changes, but not again in the same step once said: a holder's turn after another's has the
 * same keys and the same sticks, and the arrows say the entry selected.
 */
export const REFERENCE = '\u2062';

export interface TranscriptState {
  /** The lines said for the last frame (the live line apart). */
  lines: readonly string[];
  /** The live line as shown, whether it is a field's, and how many terminal rows it took. */
  live: string;
  field: boolean;
  liveRows: number;
  /** The field's line as it first appeared (its prompt): kept only if something was typed. */
  liveStart: string;
  /** Reference lines said in this step. */
  references: readonly string[];
}

export const EMPTY_TRANSCRIPT: TranscriptState = {
  lines: [],
  live: '',
  field: false,
  liveRows: 0,
  liveStart: '',
  references: [],
};

const MARKS = new RegExp(`[${LIVE}${SELECTION}${STEP}${REFERENCE}]`, 'g');

// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B[78]|\u001B\][^\u0007]*\u0007/g;

/**
 * A frame as Ink wrote it: its erasing and cursor sequences gone, split into lines, runs of
 * spaces (columns lined up for the eye) made one.
 */
export function frameLines(written: string): string[] {
  return written
    .replace(ESCAPES, '')
    .split('\n')
    .map((l) => l.replace(/\r/g, '').replace(/ {2,}/g, ' ').trimEnd());
}

const rowsFor = (line: string, columns: number): number =>
  line === '' ? 0 : Math.max(1, Math.ceil(Array.from(line).length / Math.max(1, columns)));

/**
 * What to write for a new frame: its new lines (those the last frame did not have, as many
 * times as they are new), in the frame's order, then the live line in place of the old one.
 */
export function nextTranscript(
  state: TranscriptState,
  frame: readonly string[],
  columns: number,
): {write: string; state: TranscriptState} {
  let live = '';
  let field = false;
  const said: string[] = [];
  for (const line of frame) {
    if (line.includes(LIVE)) {
      live = line.replace(MARKS, '').trimEnd();
      field = true;
    } else if (line.includes(SELECTION)) {
      live = line.replace(MARKS, '').trimEnd();
      field = false;
    } else if (line.trim() !== '') said.push(line);
  }
  const before = new Map<string, number>();
  for (const l of state.lines) before.set(l, (before.get(l) ?? 0) + 1);
  const fresh: string[] = [];
  let references = state.references;
  for (const l of said) {
    const left = before.get(l) ?? 0;
    if (left > 0) {
      before.set(l, left - 1);
      continue;
    }
    if (l.includes(STEP)) references = [];
    if (l.includes(REFERENCE)) {
      if (references.includes(l)) continue;
      references = [...references, l];
    }
    fresh.push(l.replace(MARKS, ''));
  }
  // A field's line that became something other than more or less of itself was submitted: it
  // stays, as what was answered — if anything was typed into it where it could be seen.
  const edited = live.startsWith(state.live) || state.live.startsWith(live);
  const newField = field && !(state.field && edited);
  const next: TranscriptState = {
    lines: said,
    live,
    field,
    liveRows: rowsFor(live, columns),
    liveStart: newField ? live : state.liveStart,
    references,
  };
  if (fresh.length === 0 && live === state.live) return {write: '', state: next};
  const keep =
    state.field && state.live !== '' && state.live !== state.liveStart && !(field && edited);
  let write = '';
  if (keep) write += '\n';
  else if (state.liveRows > 0)
    write += `${state.liveRows > 1 ? `\u001B[${state.liveRows - 1}A` : ''}\r\u001B[J`;
  write += fresh.map((l) => `${l}\n`).join('') + live;
  return {write, state: next};
}
