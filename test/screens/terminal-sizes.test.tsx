/**
 * Every step of every use, in a terminal of 60×24, 80×24 and 200×50, on a domain of 5 holders
 * and of 10 (the most `init` allows): no line wider than the terminal, the whole frame one row
 * short of its height (Ink keeps its cursor there; a frame as tall as the terminal makes Ink
 * clear the screen on every frame), the header on top and the keys at the bottom — every key
 * shown honoured by the screen (none doing two things), and the same in plain ASCII.
 */
import {afterEach, describe, expect, it, vi} from 'vitest';
import {clashes, KEYS, type Binding} from '../../source/components/keys.js';
import {KEY, plain, press} from '../helpers/ink.js';
import {linesWiderThan, renderScreen} from '../helpers/screen.js';
import {cases, type Case} from './every-screen.js';

const SIZES = [
  {columns: 60, rows: 24},
  {columns: 80, rows: 24},
  {columns: 200, rows: 50},
] as const;

let open: Array<() => void> = [];
afterEach(() => {
  for (const u of open) u();
  open = [];
});

async function frameOf(c: Case, columns: number, rows: number, ascii = false) {
  const r = rendered(c, columns, rows, ascii);
  for (const k of c.keys ?? []) await press(r.stdin, k);
  await press(r.stdin); // let the footer settle
  return {frame: plain(r.lastFrame()), raw: r.lastFrame() ?? ''};
}

function rendered(c: Case, columns: number, rows: number, ascii = false) {
  const r = renderScreen(c.node(), {
    columns,
    rows,
    step: c.step,
    mode: c.use,
    domain: c.holders === 10 ? 'production-managed-hsm-westeurope (3 of 10)' : 'demo-hsm (3 of 5)',
    display: {ascii},
  });
  open.push(r.unmount);
  return r;
}

/** The keystroke of each binding (Ctrl-C is the app's, above every screen). */
const STROKES: Partial<Record<Binding, string[]>> = {
  move: [KEY.up, KEY.down],
  scroll: [KEY.up, KEY.down],
  choose: [KEY.enter],
  pick: ['1', '2', '9'],
  eject: ['x'],
  absent: ['a'],
  remote: ['c'],
  reconstruct: ['r'],
  drop: ['d'],
  yes: ['y'],
  no: ['n'],
  back: [KEY.escape],
  quit: ['q'],
};

/** The bindings a footer line names. */
function footerBindings(frame: string): Binding[] {
  const lines = frame.split('\n');
  const rule = lines.findIndex((l) => /^[─-]{20,}$/.test(l.trim()));
  const footer = lines.slice(rule + 1).join(' ');
  return (Object.keys(KEYS) as Binding[]).filter((b) => {
    const label = KEYS[b].label;
    return new RegExp(`(^|[·|] ?)\\S+ ${label}( [·|]|$)`).test(footer);
  });
}

describe.each([5, 10] as const)('every screen, %i holders', (holders) => {
  for (const c of cases(holders)) {
    describe(`${c.use}: ${c.step}, ${c.what}`, () => {
      it.each(SIZES)('fits $columns×$rows', async ({columns, rows}) => {
        const {frame} = await frameOf(c, columns, rows);
        expect(linesWiderThan(frame, columns)).toEqual([]);
        const lines = frame.split('\n');
        expect(lines.length, frame).toBeLessThanOrEqual(rows - 1);
        expect(lines[0]).toMatch(/^sd-drill · /);
        // The keys under the rule, none of them shown twice for two things.
        const shown = footerBindings(frame);
        expect(shown.length, frame).toBeGreaterThan(0);
        expect(clashes(shown)).toEqual([]);
      });

      it('a key that is not on the footer does nothing', async () => {
        const spy = vi.fn();
        const c2 = cases(holders, spy).find((x) => x.what === c.what && x.use === c.use)!;
        const r = rendered(c2, 80, 24);
        for (const k of c2.keys ?? []) await press(r.stdin, k);
        await press(r.stdin);
        spy.mockClear();
        // A spinner turns on its own; that is not a key's doing.
        const still = (f: string | undefined) => plain(f).replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/g, '*');
        const frame = still(r.lastFrame());
        const shown = new Set(footerBindings(frame));
        // Enter is shown under any of its names (choose, insert, continue, submit, start).
        const enter = ['choose', 'insert', 'next', 'submit', 'start'].some((b) =>
          shown.has(b as Binding),
        );
        const esc = shown.has('back') || shown.has('cancel');
        for (const [binding, strokes] of Object.entries(STROKES) as [Binding, string[]][]) {
          if (shown.has(binding)) continue;
          if (binding === 'choose' && enter) continue;
          if (binding === 'back' && esc) continue;
          if (
            (binding === 'move' && shown.has('scroll')) ||
            (binding === 'scroll' && shown.has('move'))
          )
            continue;
          if (binding === 'pick' && /\b1-\d|\b\d choose by number/.test(frame)) continue;
          if (binding === 'reconstruct' && shown.has('check')) continue;
          for (const k of strokes) {
            // In a text field a letter or a digit is typed, not a command.
            if (shown.has('submit') && /^[\w]$/.test(k)) continue;
            await press(r.stdin, k);
            expect(
              spy,
              `${binding} (${JSON.stringify(k)}) did something:\n${frame}`,
            ).not.toHaveBeenCalled();
            expect(
              still(r.lastFrame()),
              `${binding} (${JSON.stringify(k)}) changed the screen`,
            ).toBe(frame);
          }
        }
      });

      it('fits 60×24 in plain ASCII, every character ASCII', async () => {
        const {frame, raw} = await frameOf(c, 60, 24, true);
        expect(linesWiderThan(frame, 60)).toEqual([]);
        expect(frame.split('\n').length, frame).toBeLessThanOrEqual(23);
        expect(
          [...raw].filter((ch) => (ch.codePointAt(0) ?? 0) > 0x7f),
          frame,
        ).toEqual([]);
      });
    });
  }
});
