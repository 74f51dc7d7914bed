/**
 * The one table of key bindings. Screens name the bindings they honour; the help line and
 * the handlers both read from here, so what the footer says is what the keys do.
 */
export const KEYS = {
  move: {keys: '↑↓', label: 'move'},
  choose: {keys: 'Enter', label: 'choose'},
  next: {keys: 'Enter', label: 'continue'},
  submit: {keys: 'Enter', label: 'submit'},
  back: {keys: 'Esc', label: 'back'},
  insert: {keys: 'Enter', label: 'insert'},
  eject: {keys: 'x', label: 'remove stick'},
  absent: {keys: 'a', label: 'absent'},
  remote: {keys: 'c', label: 'remote'},
  reconstruct: {keys: 'r', label: 'reconstruct'},
  check: {keys: 'r', label: 'check every share'},
  drop: {keys: 'u', label: 'undo the last'},
  done: {keys: 'd', label: 'done'},
  cancel: {keys: 'Esc', label: 'cancel'},
  yes: {keys: 'y', label: 'yes'},
  no: {keys: 'n', label: 'no'},
  quit: {keys: 'q', label: 'quit'},
  again: {keys: 'Enter', label: 'check another stick'},
  abort: {keys: 'Ctrl-C', label: 'abort'},
} as const;

export type Binding = keyof typeof KEYS;

export function helpText(bindings: readonly Binding[]): string {
  return bindings.map((b) => `${KEYS[b].keys} ${KEYS[b].label}`).join(' · ');
}
