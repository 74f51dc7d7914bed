/**
 * The store is a trust anchor (its pinned keys decide whether a report counts), so it is
 * trusted only while it is the user's own, as ssh trusts `~/.ssh` only then: its folder and its
 * pinned-keys file must belong to the user running sd-drill and be writable by nobody else
 * (no group or other write bit). Anyone else who can write them could pin a substitute's key,
 * or drop the real one. sd-drill makes them so itself (folder 0700, files 0600).
 */
import {statSync} from 'node:fs';
import {join} from 'node:path';
import {inputError} from '../errors.js';

/** Why `path` cannot be trusted, or undefined (also when it does not exist). */
function problemWith(path: string, what: string): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  const uid = process.getuid?.();
  const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
  const fix = what === 'folder' ? `chmod 700 ${path}` : `chmod 600 ${path}`;
  if (uid !== undefined && st.uid !== uid)
    return `${path}: the sd-drill store ${what} belongs to another user (uid ${st.uid}), so its pinned keys prove nothing; use your own store (SD_DRILL_CONFIG_DIR) or have it given to you (chown)`;
  if (st.mode & 0o022)
    return `${path}: the sd-drill store ${what} is writable by ${st.mode & 0o002 ? 'anyone' : 'its group'} (mode ${mode}), so its pinned keys prove nothing; make it yours alone: ${fix}`;
  return undefined;
}

/** The store's folder and pinned-keys file, checked; throws one line (exit 2) if either is loose. */
export function assertStoreTrusted(dir: string): void {
  const problem = problemWith(dir, 'folder') ?? problemWith(join(dir, 'domains.json'), 'file');
  if (problem) throw inputError('store-not-private', problem, dir);
}
