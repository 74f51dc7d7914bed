/**
 * Progress for a screen reader: in words, in tenths, at most once a second — a restore of
 * thousands of keys updates the bar hundreds of times, and each update would be read out.
 */
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {CeremonyState} from '../../source/ceremony/types.js';
import {RestoreScreen} from '../../source/screens/restore-screen.js';
import {renderScreen} from '../helpers/screen.js';
import {toCollect, walk} from './fixtures.js';

const at = (done: number): CeremonyState => ({
  ...walk(...toCollect),
  step: 'restore',
  reconstruction: {ok: true, usedHolders: [1, 2, 3], badShares: []},
  restoreProgress: {done, total: 1000},
});

/** React's turns (setImmediate, not faked here) without the faked timers. */
async function flush(): Promise<void> {
  for (let i = 0; i < 8; i++) await new Promise((r) => setImmediate(r));
}

beforeEach(() => {
  vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']});
});
afterEach(() => {
  vi.useRealTimers();
});

describe('spoken progress', () => {
  it('says the tenth reached, holds the next ones back until a second has passed', async () => {
    const r = renderScreen(<RestoreScreen state={at(0)} />, {
      step: 'restore',
      display: {screenReader: true, ascii: true},
    });
    const said = () => (r.lastFrame() ?? '').match(/Progress: (\d+) percent/)?.[1];
    expect(said()).toBe('0');
    expect(r.lastFrame()).not.toMatch(/#|\d+ \/ 1000/);
    for (const done of [120, 250, 370, 480]) {
      r.rerender(<RestoreScreen state={at(done)} />);
      await flush();
    }
    // The first change is said at once (no second has passed since none was said)...
    vi.advanceTimersByTime(1);
    await flush();
    const first = said();
    expect(['10', '20', '30', '40']).toContain(first);
    // ...the next one only a second after it.
    r.rerender(<RestoreScreen state={at(730)} />);
    await flush();
    vi.advanceTimersByTime(900);
    await flush();
    expect(said()).toBe(first);
    vi.advanceTimersByTime(200);
    await flush();
    expect(said()).toBe('70');
    r.unmount();
  });
});
