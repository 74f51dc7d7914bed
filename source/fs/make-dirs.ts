/**
 * `mkdir -p`, one level at a time. Node's own `mkdirSync(path, {recursive: true})` never
 * returns for some paths (measured on Node 20: `/proc/x/y` spins forever, deaf to SIGTERM,
 * since the signal handler waits for the synchronous call), so sd-drill creates each missing
 * folder itself, from the nearest one that exists; any error is the caller's to report.
 */
import {mkdirSync, statSync} from 'node:fs';
import {dirname, resolve} from 'node:path';

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export function makeDirs(path: string, mode?: number): void {
  const missing: string[] = [];
  let at = resolve(path);
  while (!exists(at)) {
    missing.push(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir, mode === undefined ? {} : {mode});
    } catch (error) {
      // Made meanwhile by another process: fine, if it is a folder.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory())
        throw error;
    }
  }
  if (missing.length === 0 && !statSync(at).isDirectory()) {
    const error: NodeJS.ErrnoException = new Error(`ENOTDIR: not a directory, mkdir '${at}'`);
    error.code = 'ENOTDIR';
    throw error;
  }
}
