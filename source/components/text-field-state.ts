import {withoutLastCharacter, type FieldEvent} from './field-events.js';

/** A one-line field's value, and a submission waiting to be handed to its owner. */
export interface TextFieldState {
  value: string;
  /** Set by Enter; a fresh object per submission, so the same text submitted twice is seen. */
  submitted?: {value: string};
}

export type TextFieldAction = {type: 'input'; events: FieldEvent[]} | {type: 'submit-handled'};

/** Longer than any name, role or path typed at a ceremony; a runaway paste stops here. */
export const MAX_FIELD_CHARACTERS = 256;

export function reduceTextField(s: TextFieldState, a: TextFieldAction): TextFieldState {
  if (a.type === 'submit-handled') return {value: s.value};
  // Between Enter and its owner taking the value, the rest of that read belongs to no field.
  if (s.submitted) return s;
  let value = s.value;
  for (const e of a.events) {
    if (e.type === 'submit') return {value, submitted: {value}};
    if (e.type === 'backspace') value = withoutLastCharacter(value);
    else if (e.type === 'clear') value = '';
    else if (e.type === 'text')
      value = Array.from(value + e.text)
        .slice(0, MAX_FIELD_CHARACTERS)
        .join('');
    // Escape is the screen's to handle (cancel, back), not the field's.
  }
  return value === s.value ? s : {value};
}
