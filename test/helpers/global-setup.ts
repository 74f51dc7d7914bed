import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

/** Builds the bundle once so smoke and pty tests run what users run. */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs'], {cwd: root, stdio: 'inherit'});
}
