// Builds dist/sd-drill-linux-x64: the whole CLI inside the Node.js binary, as a Node single
// executable application (SEA), for a machine with no Node on it; then dist/SHA256SUMS over
// the executable and the JavaScript build.
//
//   npm run build:exe       (the JavaScript build first, then the executable)
//
// Steps, each the documented one:
//   1. scripts/build.mjs: dist/sd-drill.js and dist/chunks/ (listed in SHA256SUMS too).
//   2. esbuild bundles the same source into one CommonJS file: Node 24's SEA runs one script,
//      CommonJS, whose require() reaches only Node's built-ins.
//   3. The pinned Node 24 (scripts/node-runtime.mjs) writes the SEA preparation blob from
//      that script, with a V8 code cache of it (`useCodeCache`), so the executable starts
//      from compiled code instead of parsing 3 MB of JavaScript.
//   4. postject writes the blob into a copy of that same Node binary and flips its SEA fuse.
//   5. The executable is run once, with no PATH, before it takes its name in dist/.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {buildJs, commonOptions} from './build.mjs';
import {inkWithoutDevtools} from './dependency-edits.mjs';
import {embeddedNode} from './node-runtime.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);
// The sentinel Node's SEA documentation gives for postject; Node checks it at startup.
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const jsFiles = await buildJs(dist);
const node = embeddedNode();
const name = `sd-drill-${node.target}`;
const work = mkdtempSync(join(tmpdir(), 'sd-drill-exe-'));
try {
  const common = await commonOptions();
  await build({
    ...common,
    entryPoints: ['source/cli.tsx'],
    outfile: join(work, 'sd-drill.cjs'),
    format: 'cjs',
    target: `node${node.version.split('.')[0]}`,
    plugins: [inkWithoutDevtools, ...common.plugins],
    define: {
      ...common.define,
      // Read only by Yoga's loader, to find a .wasm file it is handed instead, and by Ink's
      // DEV-only package.json lookup; a CommonJS bundle has no import.meta.
      'import.meta.url': 'undefined',
    },
  });

  const runtime = join(work, 'node');
  writeFileSync(runtime, node.bytes, {mode: 0o755});
  writeFileSync(
    join(work, 'sea-config.json'),
    JSON.stringify({
      main: 'sd-drill.cjs',
      output: 'sea-prep.blob',
      disableExperimentalSEAWarning: true,
      useCodeCache: true,
      // The executable takes no Node options from NODE_OPTIONS: what runs is what was hashed.
      execArgvExtension: 'none',
    }),
  );
  const prepared = spawnQuiet(runtime, ['--experimental-sea-config', 'sea-config.json'], work);
  if (prepared.status !== 0) throw new Error(`the SEA blob was not made:\n${prepared.output}`);

  const exe = join(work, name);
  writeFileSync(exe, node.bytes, {mode: 0o755});
  const postject = join(dirname(require.resolve('postject')), 'cli.js');
  const injected = spawnQuiet(process.execPath, [
    postject,
    exe,
    'NODE_SEA_BLOB',
    join(work, 'sea-prep.blob'),
    '--sentinel-fuse',
    FUSE,
  ]);
  if (injected.status !== 0) throw new Error(`postject failed:\n${injected.output}`);

  // The executable must answer without any Node on PATH before it is put in dist/.
  const version = execFileSync(exe, ['--version'], {env: {PATH: ''}, encoding: 'utf8'}).trim();
  if (version !== pkg.version) throw new Error(`${exe} --version said "${version}"`);
  // Copied beside its final name, then renamed over it: the work folder may be on another
  // file system, and a shell may be running the previous executable.
  const aside = join(dist, `.${name}.tmp`);
  copyFileSync(exe, aside);
  chmodSync(aside, 0o755);
  renameSync(aside, join(dist, name));
} finally {
  rmSync(work, {recursive: true, force: true});
}

// `sha256sum -c SHA256SUMS` in dist/ checks them all; on the offline machine, with only the
// executable copied, `sha256sum -c --ignore-missing SHA256SUMS`.
const sums = [name, ...jsFiles]
  .map(
    (file) =>
      `${createHash('sha256')
        .update(readFileSync(join(dist, file)))
        .digest('hex')}  ${file}\n`,
  )
  .join('');
writeFileSync(join(dist, '.SHA256SUMS.tmp'), sums);
renameSync(join(dist, '.SHA256SUMS.tmp'), join(dist, 'SHA256SUMS'));
process.stdout.write(`${join('dist', name)} (Node ${node.version}) and dist/SHA256SUMS\n`);

/** Runs a tool and keeps its output to show only if it fails (postject's LIEF is chatty). */
function spawnQuiet(cmd, args, cwd = root) {
  try {
    execFileSync(cmd, args, {cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8'});
    return {status: 0};
  } catch (error) {
    return {status: error.status ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}`};
  }
}
