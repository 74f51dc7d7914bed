/**
 * Child processes a test holds at a point of its choosing and lets go together: each says a
 * line when it gets there (`at NAME`) and waits for a word on stdin. Several of them held at
 * the same point, then let go at once, really race, which starting them "at the same time"
 * does not promise on a loaded machine.
 */
import {spawn} from 'node:child_process';
import {createInterface} from 'node:readline';

/**
 * JavaScript for the child (bundleModule source lines): `gate(name)` says `at NAME` and blocks
 * until the test calls `go()` (or closes the child's stdin).
 */
export const GATE_SOURCE: readonly string[] = [
  "import {readSync as gateRead, writeSync as gateSay} from 'node:fs';",
  'const gate = (name) => {',
  '  gateSay(1, `at ${name}\\n`);',
  '  const byte = Buffer.alloc(1);',
  '  for (;;) {',
  '    try {',
  '      gateRead(0, byte, 0, 1, null);',
  '      return;',
  '    } catch (error) {',
  "      if (error.code !== 'EAGAIN') throw error;",
  '      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);',
  '    }',
  '  }',
  '};',
];

export interface HeldChild {
  /** The next line the child says (`at NAME`, or whatever it prints), in order. */
  next(): Promise<string>;
  /** Lets the child, held at a gate, go on. */
  go(): void;
}

/** Runs `node SCRIPT ARGS…`, its stdout read line by line, its stderr the test's. */
export function startHeld(script: string, args: readonly string[]): HeldChild {
  const child = spawn(process.execPath, [script, ...args], {stdio: ['pipe', 'pipe', 'inherit']});
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let ended: string | undefined;
  createInterface({input: child.stdout}).on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else lines.push(line);
  });
  child.on('close', (code) => {
    ended = `(the child exited with ${code} and said nothing more)`;
    for (const w of waiting.splice(0)) w(ended);
  });
  return {
    next: () =>
      new Promise((resolve) => {
        const line = lines.shift();
        if (line !== undefined) resolve(line);
        else if (ended !== undefined) resolve(ended);
        else waiting.push(resolve);
      }),
    go: () => child.stdin.write('\n'),
  };
}
