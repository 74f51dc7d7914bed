/**
 * The one table of glyphs every screen draws with, in two sets: Unicode, and plain ASCII for the
 * Linux text console, TERM=dumb, a non-UTF-8 locale, --ascii and screen readers (display.ts).
 * Pure: no Ink, no React. A glyph never carries meaning alone: the words beside it say the same.
 */
import {display} from './display.js';

const UNICODE = {
  /** The list entry Enter would choose. */
  pointer: '❯',
  /** A text field's cursor. */
  cursor: '▌',
  /** One typed character of a passphrase. */
  mask: '•',
  /** The quorum meter: a share held, a share still needed. */
  held: '■',
  needed: '□',
  /** Above and below a list's visible entries. */
  above: '↑',
  below: '↓',
  /** Rules across the screen, and bar charts. */
  rule: '─',
  bar: '█',
  barEmpty: '░',
  /** Holder states (holder-list.tsx). */
  waiting: '·',
  presenting: '▸',
  accepted: '✓',
  absent: '–',
  failed: '✗',
  remote: '~',
  expired: '!',
  /** A step that went well or did not; notices. */
  ok: '✓',
  fail: '✗',
  info: 'ℹ',
  warning: '⚠',
  error: '✗',
  /** Between parts of one line; between steps of the trail. */
  sep: '·',
  trail: '›',
  ellipsis: '…',
  spinner: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'],
} as const;

export type Glyphs = {
  [K in keyof typeof UNICODE]: (typeof UNICODE)[K] extends string ? string : readonly string[];
};

const ASCII: Glyphs = {
  pointer: '>',
  cursor: '_',
  mask: '*',
  held: '#',
  needed: '-',
  above: '^',
  below: 'v',
  rule: '-',
  bar: '#',
  barEmpty: '.',
  waiting: '[ ]',
  presenting: '[>]',
  accepted: '[x]',
  absent: '[-]',
  failed: '[!]',
  remote: '[~]',
  expired: '[?]',
  ok: 'OK',
  fail: 'FAIL',
  info: 'NOTE:',
  warning: 'WARNING:',
  error: 'ERROR:',
  sep: '|',
  trail: '>',
  ellipsis: '...',
  spinner: ['|', '/', '-', '\\'],
};

/** The glyphs for the terminal in front of us. */
export function glyphs(): Glyphs {
  return display().ascii ? ASCII : UNICODE;
}

/**
 * Typography in our own sentences and in what the ceremony reports (notices, findings), spelled
 * in ASCII: dashes, ellipses, quotes, arrows. Letters (é, ü) stay: they are people's names and
 * the console's fonts have them.
 */
const TYPOGRAPHY: Record<string, string> = {
  '—': '-',
  '–': '-',
  '−': '-',
  '…': '...',
  '’': "'",
  '‘': "'",
  '“': '"',
  '”': '"',
  '«': '"',
  '»': '"',
  '·': '-',
  '›': '>',
  '‹': '<',
  '•': '*',
  '→': '->',
  '←': '<-',
  '↑': '^',
  '↓': 'v',
  '≤': '<=',
  '≥': '>=',
  '≠': '!=',
  '×': 'x',
  '✓': 'OK',
  '✔': 'OK',
  '✗': 'x',
  '✘': 'x',
  '❯': '>',
  '▸': '>',
  '►': '>',
  '■': '#',
  '□': '-',
  '█': '#',
  '░': '.',
  '▌': '_',
  '─': '-',
  '⚠': '!',
  ℹ: 'i',
  '§': 'S.',
  '\u00A0': ' ',
  '\u2009': ' ',
  '\u202F': ' ',
};

const TYPOGRAPHY_RE = new RegExp(`[${Object.keys(TYPOGRAPHY).join('')}]`, 'gu');

/** `text` with its typography in ASCII when the terminal wants ASCII; unchanged otherwise. */
export function plainText(text: string): string {
  if (!display().ascii) return text;
  return text.replace(TYPOGRAPHY_RE, (c) => TYPOGRAPHY[c] ?? c);
}

/** `text` with its typography in ASCII, whatever the terminal (for tests and transcripts). */
export function asciiTypography(text: string): string {
  return text.replace(TYPOGRAPHY_RE, (c) => TYPOGRAPHY[c] ?? c);
}
