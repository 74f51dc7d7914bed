/**
 * Driving the built app in a real pty: a tmux pane of a fixed size, keys sent the way a
 * terminal sends them, the screen read back with capture-pane. Every test file gets its own
 * tmux server (its own socket, no user config), so tests never see a user's sessions or
 * each other's, and the server's environment (vitest's NO_COLOR, CI…) never leaks into the
 * app: the command is run under `env -i` with only what the caller passes. The app's own steps
 * (a suite, starting it, presenting a holder, choosing from a list) are in tui.ts.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {tmpdir} from 'node:os';
import {bundle, repoRoot} from './paths.js';
import {sdDrillPids} from './processes.js';
import {shows} from './screen-text.js';
import {sleep, sleepSync} from './time.js';

export const hasTmux: boolean = spawnSync('tmux', ['-V'], {stdio: 'ignore'}).status === 0;

const socket = `sd-drill-e2e-${process.pid}`;

function tmux(args: readonly string[]): string {
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Single-quotes a word for sh. */
export function shq(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** What the shell prints once the app has exited (the pane then stays open for capture). */
export const EXITED = /EXITED:(\d+)/;

export interface PaneOptions {
  /** Environment of the app, on top of PATH, HOME and TMPDIR; nothing else is inherited. */
  env: Record<string, string>;
  width?: number;
  height?: number;
  /** What runs, before ARGS: this Node and dist/sd-drill.js unless given (the executable). */
  program?: readonly string[];
}

export class Pane {
  /** Every frame captured so far (with scrollback), for checks over the whole session. */
  readonly frames: string[] = [];

  private constructor(readonly name: string) {}

  /** Starts `node dist/sd-drill.js ARGS…` (or `program ARGS…`) in a new detached session. */
  static start(name: string, args: readonly string[], options: PaneOptions): Pane {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      // The test file's own temporary folder (isolate.ts): what the app writes there is seen.
      TMPDIR: tmpdir(),
      ...options.env,
    };
    const assignments = Object.entries(env).map(([k, v]) => shq(`${k}=${v}`));
    const command = [
      `cd ${shq(repoRoot)} &&`,
      'env -i',
      ...assignments,
      ...(options.program ?? [process.execPath, bundle]).map(shq),
      ...args.map(shq),
      // Keep the pane after the app exits, so its last frame and exit code can be read.
      '; echo "EXITED:$?"; sleep 600',
    ].join(' ');
    // Each test kills its session; when that was the last one the server exits, and a
    // new-session racing that exit fails with "server exited unexpectedly": try again.
    const newSession = (): string =>
      tmux([
        'new-session',
        '-d',
        '-s',
        name,
        '-x',
        String(options.width ?? 80),
        '-y',
        String(options.height ?? 24),
        command,
      ]);
    for (let attempt = 1; ; attempt++) {
      try {
        newSession();
        break;
      } catch (error) {
        if (attempt >= 5) throw error;
        sleepSync(200 * attempt);
      }
    }
    return new Pane(name);
  }

  /**
   * The screen as text, the lines tmux wrapped joined (`-J`): `history` includes the
   * scrollback, `escapes` keeps SGR codes. Match it with `toShow` (screen-text.ts), which also
   * reads through the app's own wrapping.
   */
  capture(options: {history?: boolean; escapes?: boolean} = {}): string {
    const frame = tmux([
      'capture-pane',
      '-p',
      '-J',
      '-t',
      this.name,
      ...(options.history ? ['-S', '-'] : []),
      ...(options.escapes ? ['-e'] : []),
    ]);
    this.frames.push(frame);
    return frame;
  }

  /** The visible screen as one line (whitespace runs collapsed), for a regex to pick from. */
  flat(): string {
    return this.capture().replace(/\s+/g, ' ');
  }

  /**
   * Polls until the visible screen shows `pattern` (however it is wrapped: screen-text.ts), or
   * satisfies a predicate; fails with the last screen shown.
   */
  async waitFor(
    pattern: RegExp | string | ((screen: string) => boolean),
    timeoutMs = 30_000,
  ): Promise<string> {
    const test = (s: string) => (typeof pattern === 'function' ? pattern(s) : shows(s, pattern));
    const until = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < until) {
      screen = this.capture();
      if (test(screen)) {
        // Ink subscribes the new screen's key handlers just after it draws it.
        await sleep(60);
        return screen;
      }
      await sleep(80);
    }
    throw new Error(`timed out waiting for ${String(pattern)}; the screen was:\n${screen}`);
  }

  /** The terminal changes size, as when its window is resized (the app gets SIGWINCH). */
  async resize(width: number, height: number): Promise<void> {
    tmux(['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
    await sleep(200);
  }

  /** Named keys (Enter, Down, C-c, x …), one per send, with a short pause after each. */
  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) {
      tmux(['send-keys', '-t', this.name, k]);
      await sleep(120);
    }
  }

  /** Literal text (never a key name), then a short pause. */
  async text(text: string): Promise<void> {
    tmux(['send-keys', '-t', this.name, '-l', text]);
    await sleep(120);
  }

  /**
   * Text and Enter in one tmux command, as `tmux send-keys "Alice Ng" Enter`: the app reads
   * them as one burst, the way a paste, a password manager or a fast typist over ssh sends.
   */
  async burst(text: string): Promise<void> {
    tmux(['send-keys', '-t', this.name, text, 'Enter']);
    await sleep(120);
  }

  /** Pastes `text` as a terminal does (tmux turns each LF into CR, like a real paste). */
  async paste(text: string): Promise<void> {
    const buffer = `${this.name}-paste`;
    tmux(['set-buffer', '-b', buffer, text]);
    tmux(['paste-buffer', '-d', '-b', buffer, '-t', this.name]);
    await sleep(120);
  }

  /** The app's process, while it runs: the pane's shell's child (Linux: read from /proc). */
  appPid(): number | undefined {
    const shell = Number(tmux(['display-message', '-p', '-t', this.name, '#{pane_pid}']).trim());
    // Once the app has exited the shell's child is `sleep`, not the app.
    return sdDrillPids([], shell)[0];
  }

  /** Sends a signal to the app itself (not the pane's shell). */
  signal(signal: NodeJS.Signals): void {
    const pid = this.appPid();
    if (pid === undefined) throw new Error(`no app process in pane ${this.name}`);
    process.kill(pid, signal);
  }

  /**
   * Closes the terminal and waits for the app to be gone: a drill closed mid-way writes its
   * "aborted" report as it goes, so a test must not remove its folders before then.
   */
  async close(): Promise<void> {
    let pid: number | undefined;
    try {
      pid = this.appPid();
    } catch {
      // the session is already gone
    }
    this.kill();
    if (pid !== undefined) await processGone(pid);
  }

  kill(): void {
    try {
      tmux(['kill-session', '-t', this.name]);
    } catch {
      // already gone
    }
  }
}

/** Waits until a process has exited; fails loudly if it is still there after 30 s. */
export async function processGone(pid: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
  throw new Error(`process ${pid} still runs 30 s after its terminal closed`);
}

/** Stops this file's tmux server (only ours: it has its own socket). */
export function killServer(): void {
  if (!hasTmux) return;
  try {
    tmux(['kill-server']);
  } catch {
    // no server was started
  }
}
