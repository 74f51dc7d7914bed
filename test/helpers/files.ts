/** Looking at what a run left on disk. */
import {readdirSync} from 'node:fs';
import {join} from 'node:path';

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
