/**
 * Output for headless commands: results on stdout, one-line errors and warnings on stderr.
 * Names from a stick (a file or volume label made to hold escapes) are shown, not obeyed.
 * Also the check every `--out` gets before any work: a new file, in a folder that exists.
 */
import {lstatSync, statSync} from 'node:fs';
import {dirname} from 'node:path';
import {inputError, printable} from '../errors.js';

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

/**
 * Before any work is done: `--out` must name a new file in a folder that exists (exit 2, one
 * line, otherwise). The write itself refuses an existing file too; this says so before a
 * quorum has typed anything.
 */
export function refuseExistingOut(path: string, command: string): void {
  let exists = true;
  try {
    lstatSync(path);
  } catch {
    exists = false;
  }
  if (exists)
    throw inputError(
      'out-exists',
      `${path}: already exists; ${command} never writes over a file — choose another --out`,
      path,
    );
  if (!statSync(dirname(path), {throwIfNoEntry: false})?.isDirectory())
    throw inputError('out-dir', `${dirname(path)}: no such folder for --out`, path);
}
