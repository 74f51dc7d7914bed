/**
 * The one table of key bindings: what each key is called on the footer, what it does there, and
 * which keystroke it is. The footer and the handlers both read from here (use-keys.ts): a screen
 * hands `useKeys` a handler per binding it honours right now, the handler runs on that binding's
 * keystroke, and the footer lists exactly those bindings. A key shown works; a key that works
 * is shown. Pure: no Ink, no React.
 */
import type {KeyFlags} from './field-events.js';

/** The part of Ink's Key (and its input string) a binding looks at. */
export type KeyPress = Pick<KeyFlags, 'return' | 'escape' | 'ctrl' | 'upArrow' | 'downArrow'> &
  Partial<KeyFlags>;

export interface KeySpec {
  /** The key's name on the footer (Unicode terminals). */
  keys: string;
  /** Its name in ASCII, and for a screen reader, when it differs. */
  plainKeys?: string;
  label: string;
  /** Whether this keystroke is the binding's key. */
  matches: (input: string, key: KeyPress) => boolean;
}

const letter =
  (c: string) =>
  (input: string, key: KeyPress): boolean =>
    !key.ctrl && !key.meta && input.toLowerCase() === c;
const enter = (_: string, key: KeyPress): boolean => key.return;
const escape = (_: string, key: KeyPress): boolean => key.escape;

export const KEYS = {
  move: {
    keys: '↑↓',
    plainKeys: 'Up/Down',
    label: 'move',
    matches: (_, key) => key.upArrow || key.downArrow,
  },
  scroll: {
    keys: '↑↓',
    plainKeys: 'Up/Down',
    label: 'scroll',
    matches: (_, key) => key.upArrow || key.downArrow,
  },
  choose: {keys: 'Enter', label: 'choose', matches: enter},
  insert: {keys: 'Enter', label: 'insert', matches: enter},
  next: {keys: 'Enter', label: 'continue', matches: enter},
  submit: {keys: 'Enter', label: 'submit', matches: enter},
  start: {keys: 'Enter', label: 'start', matches: enter},
  pick: {
    keys: '1-9',
    label: 'choose by number',
    matches: (input, key) => !key.ctrl && !key.meta && /^[1-9]$/.test(input),
  },
  eject: {keys: 'x', label: 'remove stick', matches: letter('x')},
  absent: {keys: 'a', label: 'absent', matches: letter('a')},
  remote: {keys: 'c', label: 'remote', matches: letter('c')},
  reconstruct: {keys: 'r', label: 'reconstruct', matches: letter('r')},
  check: {keys: 'r', label: 'check every share', matches: letter('r')},
  done: {keys: 'd', label: 'done', matches: letter('d')},
  drop: {keys: 'u', label: 'undo the last', matches: letter('u')},
  again: {keys: 'Enter', label: 'check another stick', matches: enter},
  yes: {keys: 'y', label: 'yes', matches: letter('y')},
  no: {keys: 'n', label: 'no', matches: letter('n')},
  back: {keys: 'Esc', label: 'back', matches: escape},
  cancel: {keys: 'Esc', label: 'cancel', matches: escape},
  quit: {keys: 'q', label: 'quit', matches: letter('q')},
  abort: {keys: 'Ctrl-C', label: 'abort', matches: (input, key) => key.ctrl && input === 'c'},
  /** Ctrl-C at the first-pin question: answers no (the report is written then). */
  decline: {
    keys: 'Ctrl-C',
    label: 'answer no',
    matches: (input, key) => key.ctrl && input === 'c',
  },
  /** Ctrl-C once the drill is over: nothing is left to abort. */
  leave: {keys: 'Ctrl-C', label: 'quit', matches: (input, key) => key.ctrl && input === 'c'},
} as const satisfies Record<string, KeySpec>;

export type Binding = keyof typeof KEYS;

/** The bindings in the order the footer lists them. */
export const BINDING_ORDER = Object.keys(KEYS) as Binding[];

/** A binding on the footer; `keys` overrides the table's name (a list of 4 shows "1-4"). */
export interface ShownKey {
  binding: Binding;
  keys?: string;
}

/** A key's name: as the table spells it, or plainly (ASCII terminals, screen readers). */
export function keyName(shown: ShownKey, plain: boolean): string {
  const spec: KeySpec = KEYS[shown.binding];
  return shown.keys ?? (plain && spec.plainKeys ? spec.plainKeys : spec.keys);
}

/** Each key on the footer with what it does: `↑↓ move`, `Enter choose`, `Ctrl-C abort`. */
export function helpItems(shown: readonly (Binding | ShownKey)[], plain = false): string[] {
  return shown
    .map((s) => (typeof s === 'string' ? {binding: s} : s))
    .map((s) => `${keyName(s, plain)} ${KEYS[s.binding].label}`);
}

/** The footer's text: `↑↓ move · Enter choose · Ctrl-C abort`. */
export function helpText(shown: readonly (Binding | ShownKey)[], plain = false): string {
  return helpItems(shown, plain).join(plain ? ' | ' : ' · ');
}

/** The binding a keystroke means among those honoured, first in table order; or undefined. */
export function bindingFor(
  honoured: readonly Binding[],
  input: string,
  key: KeyPress,
): Binding | undefined {
  return BINDING_ORDER.find(
    (b) => honoured.includes(b) && (KEYS[b] as KeySpec).matches(input, key),
  );
}

/**
 * Bindings that share a keystroke, among those shown at once: each is a key that does two
 * things, or a key shown that another handler takes first. A screen must never have one.
 */
export function clashes(shown: readonly Binding[]): string[] {
  const byKey = new Map<string, Binding[]>();
  for (const b of new Set(shown)) {
    const k = KEYS[b].keys;
    byKey.set(k, [...(byKey.get(k) ?? []), b]);
  }
  return [...byKey.values()].filter((bs) => bs.length > 1).map((bs) => bs.join(' and '));
}
