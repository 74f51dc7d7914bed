// How long a mounted stick takes to be seen, and an unmounted one to be missed (issue 8's
// "a stick is seen within 1 s of being mounted"): a tmpfs mounted under a temporary
// --mount-root, watched by media/watch.ts as the TUI watches it. A measurement, not a test:
// `npm test` only checks that the stick arrives and leaves (test/media/watch.test.ts).
//
//   node bench/stick-latency.mjs [--runs N]     needs mount(8) permission (root on Linux)
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, realpathSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 9;

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'sd-drill-bench-sticks-')));
const point = join(scratch, 'mnt', 'KEY');
mkdirSync(point, {recursive: true});
const umount = () => spawnSync('umount', [point], {stdio: 'ignore'});

try {
  const lib = join(scratch, 'watch.mjs');
  await build({
    entryPoints: [join(root, 'source', 'media', 'watch.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: lib,
    logLevel: 'silent',
  });
  const {watchSticks, POLL_INTERVAL_MS} = await import(pathToFileURL(lib).href);
  const mount = () =>
    spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'sd-drill-bench', point], {
      encoding: 'utf8',
    });
  const first = mount();
  if (first.status !== 0) {
    console.log(`stick-latency: skipped, mounting is refused here: ${first.stderr.trim()}`);
    process.exit(0);
  }
  umount();

  let waiting;
  const watcher = watchSticks({mountRoots: [join(scratch, 'mnt')]}, (e) => waiting?.(e));
  await watcher.ready;
  const next = (type) =>
    new Promise((resolve) => {
      waiting = (e) => e.type === type && resolve(e.at);
    });
  const arrive = [];
  const leave = [];
  for (let i = 0; i < runs; i++) {
    let seen = next('arrived');
    let at = Date.now();
    mount();
    arrive.push((await seen) - at);
    seen = next('left');
    at = Date.now();
    umount();
    leave.push((await seen) - at);
  }
  watcher.stop();
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  console.log(
    `stick seen after mount: median ${median(arrive)} ms, max ${Math.max(...arrive)} ms; ` +
      `missed after umount: median ${median(leave)} ms, max ${Math.max(...leave)} ms ` +
      `(${runs} runs, polled every ${POLL_INTERVAL_MS} ms; goal: within 1 s)`,
  );
} finally {
  umount();
  rmSync(scratch, {recursive: true, force: true});
}
