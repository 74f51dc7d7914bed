/**
 * The pure parts of the layout: word wrapping, a list's cursor and window, the key table, the
 * key registry, fitting a line to the terminal, and the screen reader's transcript.
 */
import {describe, expect, it, vi} from 'vitest';
import {initialChoice, reduceChoice, visibleWindow} from '../../source/components/choice-state.js';
import {KeyRegistry} from '../../source/components/key-registry.js';
import {bindingFor, clashes, helpText, KEYS, type KeyPress} from '../../source/components/keys.js';
import {
  EMPTY_TRANSCRIPT,
  frameLines,
  LIVE,
  nextTranscript,
  SELECTION,
} from '../../source/components/screen-reader.js';
import {fitLine} from '../../source/components/terminal-output.js';
import {rowsOf, wrapWords} from '../../source/components/wrap.js';
import {naturalOrder} from '../../source/hooks/use-sticks.js';
import {folderStick} from '../screens/fixtures.js';

const NO_KEY: KeyPress = {
  return: false,
  escape: false,
  ctrl: false,
  upArrow: false,
  downArrow: false,
};

describe('wrapping by words', () => {
  it('breaks between words, never inside one that fits, and cuts only a word wider than the line', () => {
    expect(wrapWords('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrapWords('/media/alice/SD/security-domain.json', 12)).toEqual([
      '/media/alice',
      '/SD/security',
      '-domain.json',
    ]);
    expect(rowsOf('', 10)).toBe(0);
    expect(rowsOf('a\nb', 10)).toBe(2);
    // Every line fits, and nothing is lost but the spaces the breaks fell on.
    const text = 'Policy findings before anyone arrives: review-overdue, quorum-below-three';
    for (const width of [8, 13, 21, 40]) {
      const lines = wrapWords(text, width);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width);
      expect(lines.join(' ').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    }
  });
});

describe("a list's cursor and window", () => {
  it('stays on its entry when entries change, else at its place; another list starts afresh', () => {
    let s = initialChoice(['a', 'b', 'c', 'd'], 'c');
    expect(s.cursor).toBe(2);
    s = reduceChoice(s, {type: 'move', by: 1});
    expect(s.cursor).toBe(3);
    s = reduceChoice(s, {type: 'move', by: 5});
    expect(s.cursor).toBe(3);
    // "d" moves to the front: the cursor follows it.
    s = reduceChoice(s, {type: 'entries', values: ['d', 'a', 'b', 'c']});
    expect(s.cursor).toBe(0);
    // "d" was chosen and left the list: the cursor stays at its place.
    s = reduceChoice(reduceChoice(s, {type: 'to', index: 2}), {
      type: 'entries',
      values: ['d', 'a', 'c'],
    });
    expect(s.cursor).toBe(2);
    // A different list in the same place.
    s = reduceChoice(s, {type: 'entries', values: ['x', 'y', 'z'], start: 'y'});
    expect(s.cursor).toBe(1);
  });

  it('shows a window that holds the cursor and moves no more than it must', () => {
    expect(visibleWindow(10, 0, 0, 4)).toEqual({from: 0, to: 4});
    expect(visibleWindow(10, 5, 0, 4)).toEqual({from: 2, to: 6});
    expect(visibleWindow(10, 3, 2, 4)).toEqual({from: 2, to: 6});
    expect(visibleWindow(10, 1, 2, 4)).toEqual({from: 1, to: 5});
    expect(visibleWindow(3, 2, 0, 4)).toEqual({from: 0, to: 3});
  });
});

describe('the key table', () => {
  it('runs the binding a key is, among those honoured, and no other', () => {
    expect(bindingFor(['eject', 'abort'], 'x', NO_KEY)).toBe('eject');
    expect(bindingFor(['eject', 'abort'], 'X', NO_KEY)).toBe('eject');
    expect(bindingFor(['absent'], 'x', NO_KEY)).toBeUndefined();
    expect(bindingFor(['abort'], 'c', {...NO_KEY, ctrl: true})).toBe('abort');
    expect(bindingFor(['remote'], 'c', {...NO_KEY, ctrl: true})).toBeUndefined();
    expect(bindingFor(['pick'], '7', NO_KEY)).toBe('pick');
    expect(bindingFor(['pick'], '0', NO_KEY)).toBeUndefined();
    expect(bindingFor(['move'], '', {...NO_KEY, upArrow: true})).toBe('move');
  });

  it('names keys for the terminal, and finds two bindings of one key shown at once', () => {
    expect(helpText(['move', 'choose', 'abort'])).toBe('↑↓ move · Enter choose · Ctrl-C abort');
    expect(helpText(['move', {binding: 'pick', keys: '1-4'}], true)).toBe(
      'Up/Down move | 1-4 choose by number',
    );
    expect(clashes(['choose', 'next'])).toEqual(['choose and next']);
    expect(clashes(['back', 'cancel'])).toEqual(['back and cancel']);
    expect(clashes(['move', 'choose', 'pick', 'abort'])).toEqual([]);
    // Every binding has a key, a label and a matcher.
    for (const [name, spec] of Object.entries(KEYS)) {
      expect(spec.keys, name).not.toBe('');
      expect(spec.label, name).not.toBe('');
    }
  });
});

describe('the key registry', () => {
  it("a new screen's keys replace the old screen's; keys claimed above the frame stay", () => {
    const r = new KeyRegistry();
    r.claimAbove('app', [{binding: 'abort'}]);
    r.rendering('screen 1');
    r.claim('list', [{binding: 'move'}, {binding: 'choose'}]);
    expect(r.get().map((s) => s.binding)).toEqual(['move', 'choose', 'abort']);
    // The next screen renders; the list is going away but not yet released.
    r.rendering('screen 2');
    r.claim('field', [{binding: 'submit'}]);
    expect(r.get().map((s) => s.binding)).toEqual(['submit', 'abort']);
    const listener = vi.fn();
    r.subscribe(listener);
    r.release('list');
    expect(listener).toHaveBeenCalled();
    r.release('app');
    expect(r.get().map((s) => s.binding)).toEqual(['submit']);
    // The same screen rendered again (the frame alone re-rendered): nothing is dropped.
    r.rendering('screen 2');
    expect(r.get().map((s) => s.binding)).toEqual(['submit']);
  });
});

describe('a line fitted to the terminal', () => {
  it('drops a trailing space inside colour codes, and whatever is past the last column', () => {
    const red = (t: string) => `\u001B[31m${t}\u001B[39m`;
    expect(fitLine(red('prove the '), 9)).toBe(red('prove the'));
    expect(fitLine(`${red('abcdef')}ghij`, 8)).toBe(`${red('abcdef')}gh`);
    expect(fitLine('\u001B[2K\u001B[1Ashort', 80)).toBe('\u001B[2K\u001B[1Ashort');
    // Wide characters take two columns.
    expect(fitLine('日本語です', 6)).toBe('日本語');
  });
});

describe("the screen reader's transcript", () => {
  it('says only new lines, rewrites the line being edited in place, and keeps a submitted field', () => {
    let s = EMPTY_TRANSCRIPT;
    const step = (frame: string[]) => {
      const r = nextTranscript(s, frame, 80);
      s = r.state;
      return r.write;
    };
    expect(
      step([
        'Step 4 of 7: Collect shares.',
        'Quorum 0 of 3.',
        `${SELECTION}1 of 2, selected: alice`,
      ]),
    ).toBe('Step 4 of 7: Collect shares.\nQuorum 0 of 3.\n1 of 2, selected: alice');
    // An arrow: only the selection line, in place.
    expect(
      step(['Step 4 of 7: Collect shares.', 'Quorum 0 of 3.', `${SELECTION}2 of 2, selected: bob`]),
    ).toBe('\r\u001B[J2 of 2, selected: bob');
    // The same frame again (a redraw): nothing.
    expect(
      step(['Step 4 of 7: Collect shares.', 'Quorum 0 of 3.', `${SELECTION}2 of 2, selected: bob`]),
    ).toBe('');
    // A field, typed into: rewritten in place.
    step(['Step 4 of 7: Collect shares.', 'Quorum 0 of 3.', `Your name: ${LIVE}Bo`]);
    expect(step(['Step 4 of 7: Collect shares.', 'Quorum 0 of 3.', `Your name: ${LIVE}Bob`])).toBe(
      '\r\u001B[JYour name: Bob',
    );
    // Submitted, the next prompt: the answer stays said.
    expect(step(['Step 4 of 7: Collect shares.', 'Quorum 0 of 3.', `Your role: ${LIVE}`])).toBe(
      '\nYour role:',
    );
  });

  it('reads frames as Ink writes them: erasing sequences gone, spaces for the eye made one', () => {
    expect(frameLines('\u001B[2K\u001B[1A\u001B[2K\u001B[Gone    two\nthree  ')).toEqual([
      'one two',
      'three',
    ]);
  });
});

describe('sticks in natural order', () => {
  it('holder-2 before holder-10, Alice beside alice', () => {
    const sticks = ['holder-10', 'holder-2', 'holder-1', 'Bob', 'alice'].map(folderStick);
    expect(naturalOrder(sticks).map((s) => s.label)).toEqual([
      'alice',
      'Bob',
      'holder-1',
      'holder-2',
      'holder-10',
    ]);
  });
});
