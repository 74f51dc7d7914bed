/**
 * A screen as the app shows it: inside AppFrame (the header, the footer with the keys the key
 * registry holds) under the app's own Ctrl-C, in a terminal of a given size. ink-testing-library's stdout is always 100
 * columns and has no rows; this one has both, and can be resized as SIGWINCH would.
 */
import {EventEmitter} from 'node:events';
import {render as inkRender} from 'ink';
import type {ReactElement} from 'react';
import type {Mode, Step} from '../../source/ceremony/types.js';
import {AppFrame, KeysProvider} from '../../source/components/app-frame.js';
import {useKeys} from '../../source/hooks/use-keys.js';
import {setDisplay, type Display} from '../../source/components/display.js';

export class SizedStdout extends EventEmitter {
  readonly frames: string[] = [];
  readonly isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = (): string | undefined => this.frames.at(-1);
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

/** What the app above every screen honours: Ctrl-C (it aborts the drill, or quits at the end). */
function AppKeys({over, children}: {over: boolean; children: React.ReactNode}) {
  useKeys({abort: !over && (() => {}), leave: over && (() => {})});
  return <>{children}</>;
}

export interface ScreenOptions {
  columns?: number;
  rows?: number;
  step?: Step;
  mode?: Mode;
  domain?: string;
  /** Glyphs, colour and screen reader as start-up would set them (reset when unmounted). */
  display?: Partial<Display>;
  /** Render `node` as it is, without the frame (an App or a Boot brings its own). */
  bare?: boolean;
}

export function renderScreen(node: ReactElement, options: ScreenOptions = {}) {
  const {columns = 80, rows = 24, step = 'collect'} = options;
  const shown: Display = {ascii: false, color: false, screenReader: false, ...options.display};
  setDisplay(shown);
  const stdout = new SizedStdout(columns, rows);
  const stdin = new FakeStdin();
  const framed = (n: ReactElement) =>
    options.bare ? (
      n
    ) : (
      <KeysProvider>
        <AppKeys over={step === 'report' || step === 'done'}>
          <AppFrame
            step={step}
            {...(options.mode ? {mode: options.mode} : {})}
            {...(options.domain ? {domain: options.domain} : {})}
          >
            {n}
          </AppFrame>
        </AppKeys>
      </KeysProvider>
    );
  const tree = framed(node);
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new SizedStdout(columns, rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
    isScreenReaderEnabled: shown.screenReader,
  });
  return {
    stdout,
    stdin,
    frames: stdout.frames,
    lastFrame: stdout.lastFrame,
    rerender: (next: ReactElement) => instance.rerender(framed(next)),
    unmount: () => {
      instance.unmount();
      instance.cleanup();
      setDisplay(undefined);
    },
  };
}

/** The lines of a frame wider than `columns`, each with its width (colour codes stripped). */
export function linesWiderThan(frame: string, columns: number): string[] {
  return frame
    .split('\n')
    .filter((l) => [...l].length > columns)
    .map((l) => `${[...l].length} columns: ${l}`);
}
