/**
 * What stands between Ink and the terminal: frames fitted to the width and the screen cleared
 * when it narrows (normal mode); frames turned into a transcript (screen-reader mode).
 */
import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import {LIVE, STEP} from '../../source/components/screen-reader.js';
import {TerminalStdout, TranscriptStdout} from '../../source/components/terminal-output.js';

class FakeTerminal extends EventEmitter {
  readonly written: string[] = [];
  constructor(
    public columns: number,
    public rows = 24,
  ) {
    super();
  }
  write = (s: string): boolean => {
    this.written.push(s);
    return true;
  };
  resize(columns: number): void {
    this.columns = columns;
    this.emit('resize');
  }
}

const real = (t: FakeTerminal) => t as unknown as NodeJS.WriteStream;

describe('the normal stdout', () => {
  it('fits every line of a frame to the width the terminal has now', () => {
    const t = new FakeTerminal(10);
    const out = new TerminalStdout(real(t));
    out.write('0123456789AB\n\u001B[36mprove the \u001B[39m\nshort');
    expect(t.written).toEqual(['0123456789\n\u001B[36mprove the\u001B[39m\nshort']);
    out.stop();
  });

  it('clears the screen when the terminal narrows, before Ink hears of the resize', () => {
    const t = new FakeTerminal(100);
    const out = new TerminalStdout(real(t));
    const seen: string[][] = [];
    out.on('resize', () => seen.push([...t.written]));
    t.resize(120);
    expect(t.written).toEqual([]);
    t.resize(60);
    expect(t.written).toEqual(['\u001B[2J\u001B[H']);
    // Ink's own handler runs after the screen is clear, and reads the new width.
    expect(seen).toEqual([[], ['\u001B[2J\u001B[H']]);
    expect(out.columns).toBe(60);
    out.stop();
    t.resize(40);
    expect(t.written).toHaveLength(1);
  });
});

describe('the screen-reader stdout', () => {
  it('says a frame once Ink is quiet, only what is new, and ends the line being edited', async () => {
    const t = new FakeTerminal(80);
    const out = new TranscriptStdout(real(t));
    // Ink tells a reader's terminal it is very wide: it must not cut sentences itself.
    expect(out.columns).toBeGreaterThan(1000);
    out.write(`${STEP}Step 1 of 7: Load domain.\nWhich domain?`);
    // A frame superseded within a few milliseconds is never said.
    out.write(`\u001B[2K\u001B[1A\u001B[2K\u001B[G${STEP}Step 2 of 7: Inspect.\nPress Enter.`);
    out.write('\u001B[?2026l');
    expect(t.written).toEqual([]);
    await new Promise((r) => setTimeout(r, 150));
    expect(t.written).toEqual(['Step 2 of 7: Inspect.\nPress Enter.\n']);
    out.write(`\u001B[2K\u001B[G${STEP}Step 2 of 7: Inspect.\nPress Enter.\nPath: ${LIVE}/tm`);
    out.stop();
    expect(t.written.slice(1)).toEqual(['Path: /tm', '\n']);
  });
});
