/**
 * The list every screen chooses from: 1-9 choose at once (an entry's own key when it has one),
 * arrows and Enter, a window that says how many entries are above and below it, and a cursor
 * that stays where it was when the entries change. A screen reader hears every entry numbered
 * and the one selected.
 */
import {useState} from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {Choice, type ChoiceOption} from '../../source/components/choice.js';
import {KEY, plain, press} from '../helpers/ink.js';
import {renderScreen} from '../helpers/screen.js';

const entries = (n: number): ChoiceOption[] =>
  Array.from({length: n}, (_, i) => ({label: `use ${i + 1}`, value: `u${i + 1}`}));

let open: Array<() => void> = [];
afterEach(() => {
  for (const u of open) u();
  open = [];
});
const render = (...a: Parameters<typeof renderScreen>) => {
  const r = renderScreen(...a);
  open.push(r.unmount);
  return r;
};

describe('a list to choose from', () => {
  it('numbers its entries; a digit chooses at once, among six uses or more', async () => {
    const onChoose = vi.fn();
    const r = render(<Choice options={entries(7)} onChoose={onChoose} />, {step: 'start'});
    const f = plain(r.lastFrame());
    expect(f).toMatch(/❯ 1 {2}use 1/);
    expect(f).toMatch(/^ {2}7 {2}use 7$/m);
    expect(f).toMatch(/1-7 choose by number/);
    await press(r.stdin, '6');
    expect(onChoose).toHaveBeenLastCalledWith('u6');
    // A digit past the last entry, or 0, does nothing.
    await press(r.stdin, '8', '0');
    expect(onChoose).toHaveBeenCalledTimes(1);
    // The cursor went where the digit chose.
    expect(plain(r.lastFrame())).toMatch(/❯ 6 {2}use 6/);
  });

  it('an entry with a key of its own is chosen by it: 3 is "3 of 5", not the third line', async () => {
    const onChoose = vi.fn();
    const quorum = [2, 3, 4, 5].map((m) => ({
      label: `${m} of 5`,
      value: String(m),
      key: String(m),
    }));
    const r = render(<Choice options={quorum} onChoose={onChoose} />);
    expect(plain(r.lastFrame())).toMatch(/2-5 choose by number/);
    // The key begins the label: no number beside it to read twice.
    expect(plain(r.lastFrame())).toMatch(/^❯ 2 of 5$/m);
    await press(r.stdin, '3');
    expect(onChoose).toHaveBeenLastCalledWith('3');
    await press(r.stdin, '1');
    expect(onChoose).toHaveBeenCalledTimes(1);
  });

  it('says how many entries are above and below the ones it shows, and follows the cursor', async () => {
    const onChoose = vi.fn();
    const r = render(<Choice options={entries(12)} rows={6} onChoose={onChoose} />);
    let f = plain(r.lastFrame());
    expect(f).toMatch(/1-4 of 12 shown/);
    expect(f).toMatch(/↓ 8 more below/);
    expect(f).not.toMatch(/use 5/);
    for (let i = 0; i < 6; i++) await press(r.stdin, KEY.down);
    f = plain(r.lastFrame());
    expect(f).toMatch(/↑ 3 more above/);
    expect(f).toMatch(/❯ 7 {2}use 7/);
    expect(f).toMatch(/↓ 5 more below/);
    // The tenth and later have no digit: the arrows reach them.
    for (let i = 0; i < 5; i++) await press(r.stdin, KEY.down);
    await press(r.stdin, KEY.enter);
    expect(onChoose).toHaveBeenLastCalledWith('u12');
    expect(plain(r.lastFrame())).toMatch(/↑ 8 more above/);
    expect(plain(r.lastFrame())).not.toMatch(/more below/);
  });

  it('keeps the cursor where it was when a choice changes the entries', async () => {
    function Keeping() {
      const [left, setLeft] = useState(entries(6));
      return (
        <Choice options={left} onChoose={(v) => setLeft((l) => l.filter((o) => o.value !== v))} />
      );
    }
    const r = render(<Keeping />);
    await press(r.stdin, KEY.down, KEY.down, KEY.enter);
    // "use 3" is gone; the cursor is still the third line, not back at the top.
    expect(plain(r.lastFrame())).toMatch(/❯ 3 {2}use 4/);
    await press(r.stdin, KEY.enter);
    expect(plain(r.lastFrame())).toMatch(/❯ 3 {2}use 5/);
  });

  it('for a screen reader: every entry numbered, the selected one said as the arrows move', async () => {
    const r = render(<Choice options={entries(3)} onChoose={vi.fn()} />, {
      display: {screenReader: true, ascii: true},
    });
    const f = r.lastFrame() ?? '';
    expect(f).toMatch(/1 of 3: use 1\n.*2 of 3: use 2\n.*3 of 3: use 3/);
    expect(f).toMatch(/1 of 3, selected: use 1/);
    await press(r.stdin, KEY.down);
    expect(r.lastFrame()).toMatch(/2 of 3, selected: use 2/);
    expect(r.lastFrame()).not.toMatch(/❯|>/);
  });
});
