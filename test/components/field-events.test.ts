/**
 * What a one-line field makes of each `useInput` call, for the inputs Ink 6.8 really hands
 * over (see source/components/field-events.ts): whole bursts with their Enter inside, a
 * lone LF, DEL, stripped escape sequences, bracketed-paste markers.
 */
import {describe, expect, it} from 'vitest';
import {reduceTextField} from '../../source/components/text-field-state.js';
import {
  fieldEvents,
  splitBurst,
  withoutLastCharacter,
  type KeyFlags,
} from '../../source/components/field-events.js';
import {
  appendText,
  characterCount,
  dropLastCharacter,
} from '../../source/components/secret-buffer.js';

const NO_KEY: KeyFlags = {
  return: false,
  escape: false,
  backspace: false,
  delete: false,
  ctrl: false,
  meta: false,
  tab: false,
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageUp: false,
  pageDown: false,
  home: false,
  end: false,
};
const key = (flags: Partial<KeyFlags>): KeyFlags => ({...NO_KEY, ...flags});

describe('splitBurst: one read of text', () => {
  it.each([
    ['CR', 'Alice Ng\r'],
    ['LF', 'Alice Ng\n'],
    ['CRLF', 'Alice Ng\r\n'],
  ])('text then %s is the text, then one submit', (_, burst) => {
    expect(splitBurst(burst)).toEqual([{type: 'text', text: 'Alice Ng'}, {type: 'submit'}]);
  });

  it('drops what follows the first Enter in the same read', () => {
    expect(splitBurst('Alice\rSecurity Architect\r')).toEqual([
      {type: 'text', text: 'Alice'},
      {type: 'submit'},
    ]);
  });

  it('keeps control characters out: tab, NUL, BEL, C1', () => {
    expect(splitBurst('Al\tice\u0000 N\u0007g\u0085')).toEqual([
      {type: 'text', text: 'Al'},
      {type: 'text', text: 'ice'},
      {type: 'text', text: ' N'},
      {type: 'text', text: 'g'},
    ]);
  });

  it('reads DEL and BS inside a burst as Backspace (a fast correction over ssh)', () => {
    expect(splitBurst('Alicf\u007fe\b')).toEqual([
      {type: 'text', text: 'Alicf'},
      {type: 'backspace'},
      {type: 'text', text: 'e'},
      {type: 'backspace'},
    ]);
  });

  it('never splits a character outside the BMP', () => {
    expect(splitBurst('Grüße-é😀\r')).toEqual([
      {type: 'text', text: 'Grüße-é😀'},
      {type: 'submit'},
    ]);
  });

  it('inside a paste, DEL and BS are content to drop, not keys', () => {
    expect(splitBurst('ab\u007fc', true)).toEqual([
      {type: 'text', text: 'ab'},
      {type: 'text', text: 'c'},
    ]);
  });
});

describe('fieldEvents: what each useInput call means', () => {
  it('key.return (a read that is exactly CR) submits', () => {
    expect(fieldEvents('\r', key({return: true})).events).toEqual([{type: 'submit'}]);
  });

  it('a lone LF (not key.return in Ink) submits too', () => {
    expect(fieldEvents('\n', NO_KEY).events).toEqual([{type: 'submit'}]);
  });

  it('Backspace (key.delete for DEL, key.backspace for BS) erases; Escape is reported', () => {
    expect(fieldEvents('', key({delete: true})).events).toEqual([{type: 'backspace'}]);
    expect(fieldEvents('', key({backspace: true})).events).toEqual([{type: 'backspace'}]);
    expect(fieldEvents('', key({escape: true, meta: true})).events).toEqual([{type: 'escape'}]);
  });

  it('arrows, tab, Ctrl- and Alt- keys and unnamed escape sequences type nothing', () => {
    expect(fieldEvents('', key({upArrow: true})).events).toEqual([]);
    expect(fieldEvents('\t', key({tab: true})).events).toEqual([]);
    expect(fieldEvents('w', key({ctrl: true})).events).toEqual([]);
    expect(fieldEvents('b', key({meta: true})).events).toEqual([]);
    // Shift-F1 in xterm: ESC[1;2P, which Ink hands over as "[1;2P".
    expect(fieldEvents('[1;2P', NO_KEY).events).toEqual([]);
  });

  it('Ctrl-U clears the line, as in a shell; inside a paste it is content and is dropped', () => {
    expect(fieldEvents('u', key({ctrl: true})).events).toEqual([{type: 'clear'}]);
    expect(fieldEvents('u', key({ctrl: true}), true)).toEqual({events: [], inPaste: true});
  });

  it('bracketed paste: the markers open and close it and never reach the field', () => {
    let read = fieldEvents('[200~', NO_KEY);
    expect(read).toEqual({events: [], inPaste: true});
    // Keys inside a paste are content: an ESC or a DEL in it is not obeyed.
    expect(fieldEvents('', key({escape: true}), true)).toEqual({events: [], inPaste: true});
    expect(fieldEvents('', key({delete: true}), true)).toEqual({events: [], inPaste: true});
    read = fieldEvents('secret\n', NO_KEY, read.inPaste);
    expect(read).toEqual({
      events: [{type: 'text', text: 'secret'}, {type: 'submit'}],
      inPaste: true,
    });
    expect(fieldEvents('[201~', NO_KEY, true)).toEqual({events: [], inPaste: false});
  });
});

describe('editing by character, not byte', () => {
  it('withoutLastCharacter removes one code point', () => {
    expect(withoutLastCharacter('Grüße-é')).toBe('Grüße-');
    expect(withoutLastCharacter('ok😀')).toBe('ok');
    expect(withoutLastCharacter('')).toBe('');
  });

  it('a secret Buffer loses a whole UTF-8 character per Backspace, its bytes zeroed', () => {
    const b = Buffer.alloc(32);
    let n = appendText(b, 0, 'Grüße-é');
    expect(n).toBe(Buffer.byteLength('Grüße-é'));
    expect(characterCount(b, n)).toBe(7);
    n = dropLastCharacter(b, n);
    expect(b.subarray(0, n).toString('utf8')).toBe('Grüße-');
    expect(b.subarray(n).every((x) => x === 0)).toBe(true);
    n = appendText(b, n, '😀');
    n = dropLastCharacter(b, n);
    n = dropLastCharacter(b, n);
    expect(b.subarray(0, n).toString('utf8')).toBe('Grüße');
    expect(dropLastCharacter(b, 0)).toBe(0);
  });

  it('a full Buffer takes only whole characters', () => {
    const b = Buffer.alloc(5);
    const n = appendText(b, 0, 'abcé€');
    expect(b.subarray(0, n).toString('utf8')).toBe('abcé');
    expect(appendText(b, n, 'x')).toBe(n);
  });
});

describe('reduceTextField', () => {
  it('holds a submission until its owner took it, ignoring reads meanwhile', () => {
    let s = reduceTextField({value: ''}, {type: 'input', events: splitBurst('Ali\u007fice\r')});
    expect(s).toEqual({value: 'Alice', submitted: {value: 'Alice'}});
    const pending = s;
    s = reduceTextField(s, {type: 'input', events: [{type: 'text', text: 'late'}]});
    expect(s).toBe(pending);
    s = reduceTextField(s, {type: 'submit-handled'});
    expect(s).toEqual({value: 'Alice'});
    s = reduceTextField(s, {type: 'input', events: [{type: 'backspace'}, {type: 'submit'}]});
    expect(s.submitted).toEqual({value: 'Alic'});
  });
});
