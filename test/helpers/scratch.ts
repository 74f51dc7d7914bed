import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {onTestFinished} from 'vitest';

/** A throw-away folder for the running test, removed when it finishes, pass or fail. */
export function scratchDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sd-drill-${label}-`));
  onTestFinished(() => rmSync(dir, {recursive: true, force: true}));
  return dir;
}
