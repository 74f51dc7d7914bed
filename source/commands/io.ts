/**
 * Output for headless commands: results on stdout, one-line errors and warnings on stderr.
 * Names from a stick (a file or volume label made to hold escapes) are shown, not obeyed.
 */
import {printable} from '../errors.js';

export function out(line = ''): void {
  process.stdout.write(`${line.split('\n').map(printable).join('\n')}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`sd-drill: warning: ${printable(line)}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Collects a repeatable option: `--key a --key b`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
