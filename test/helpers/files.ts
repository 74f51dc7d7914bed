/** Looking at what a run left on disk. */
import {createHash} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect} from 'vitest';

/**
 * Every regular file under `dir`, recursively, in directory order; symbolic links are not
 * followed and a missing folder has none.
 */
export function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, {withFileTypes: true});
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries.flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(p);
    return e.isFile() ? [p] : [];
  });
}

/** The one JSON report in `dir`, parsed (there must be exactly one). */
export function onlyReport<T>(dir: string): T {
  const json = readdirSync(dir).filter((n) => n.endsWith('.json'));
  expect(json).toHaveLength(1);
  return JSON.parse(readFileSync(join(dir, json[0] as string), 'utf8')) as T;
}

/** The SHA-256 of a file's bytes, hex, as sha256sum prints it. */
export const sha256File = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex');
