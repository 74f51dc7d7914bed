/**
 * The leak scan: a secret (a passphrase, a share, a key's private numbers) and the shapes it
 * could leak in — plain text, hex, base64, base64url — looked for in output and in files.
 */
import {readFileSync} from 'node:fs';
import {filesUnder} from './files.js';
import {shows} from './screen-text.js';

/** A secret and the shapes it could leak in. */
export interface Secret {
  name: string;
  forms: string[];
}

export function secret(name: string, value: string | Buffer): Secret {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const forms = [
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
    bytes.toString('base64'),
    bytes.toString('base64url'),
  ];
  if (typeof value === 'string') forms.unshift(value);
  // A long secret could also leak in part: its first 16 bytes are enough to notice.
  if (bytes.length > 24) {
    const head = bytes.subarray(0, 16);
    forms.push(head.toString('hex'), head.toString('base64').slice(0, 20));
  }
  return {name, forms};
}

/** Text that must not appear as it is (a marker like `PRIVATE KEY`, a line of a PEM body). */
export function verbatim(text: string, name = `"${text.slice(0, 24)}"`): Secret {
  return {name, forms: [text]};
}

/** The names of the secrets found in `text` (and in which form). */
export function leaks(text: string, secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  for (const s of secrets) {
    const form = s.forms.find((f) => f.length >= 6 && text.includes(f));
    if (form !== undefined) found.push(`${s.name} (as ${form.slice(0, 16)}…)`);
  }
  return found;
}

/** The names of the secrets a screen shows, however it is wrapped (screen-text.ts). */
export function leaksOnScreen(screen: string, secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  for (const s of secrets) {
    const form = s.forms.find((f) => f.length >= 6 && shows(screen, f));
    if (form !== undefined) found.push(`${s.name} (as ${form.slice(0, 16)}…)`);
  }
  return found;
}

/** Leaks in every file under the given folders, as `file: secret`. */
export function leaksInFiles(
  dirs: readonly string[],
  secrets: readonly Secret[],
  skip: (file: string) => boolean = () => false,
): string[] {
  return dirs
    .flatMap((d) => filesUnder(d))
    .filter((f) => !skip(f))
    .flatMap((f) => leaks(readFileSync(f, 'latin1'), secrets).map((l) => `${f}: ${l}`));
}
