// Builds the JavaScript app: plain esbuild output, ES modules with code splitting.
//
//   node scripts/build.mjs                 into dist/: sd-drill.js (the package's bin) and chunks/
//   node scripts/build.mjs --outdir DIR    into DIR (the reproducibility test builds twice)
//
// Each command imports its own code when it runs (source/commands/register-*.ts), and esbuild puts
// each such module, and the code they share, in a chunk of its own: `--version` or `verify` never
// reads the TUI's React and Ink, nor node-forge. Node loads the chunks as ordinary ES modules;
// nothing here compiles code at run time. The same commit gives the same bytes: no timestamps, no
// absolute paths, chunk names from content hashes (test/build.test.ts).
import {build} from 'esbuild';
import {mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {inkWrapBoundary, stringWidthFastPath, yogaWithoutFetch} from './dependency-edits.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * Ink imports React's devtools (a websocket client) only when DEV=true, which `define` below
 * rules out: that import stays an import of a file the build does not write, as
 * `external` leaves a package out.
 */
const inkDevtoolsLeftOut = {
  name: 'ink-devtools-left-out',
  setup(b) {
    b.onResolve({filter: /^\.\/devtools\.js$/}, ({importer}) =>
      /[\\/]ink[\\/]build[\\/]reconciler\.js$/.test(importer)
        ? {path: './devtools.js', external: true}
        : undefined,
    );
  },
};

/** Options both builds share: the same source, constants and dependency edits. */
export async function commonOptions() {
  return {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    jsx: 'automatic',
    charset: 'ascii',
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      SD_DRILL_VERSION: JSON.stringify(pkg.version),
      'process.env.DEV': '"false"',
      // React's and the reconciler's production builds: a third of the size, no dev checks.
      'process.env.NODE_ENV': '"production"',
    },
    plugins: [inkDevtoolsLeftOut, await yogaWithoutFetch(), stringWidthFastPath, inkWrapBoundary],
  };
}

export async function buildJs(outdir) {
  const common = await commonOptions();
  const result = await build({
    ...common,
    entryPoints: {'sd-drill': 'source/cli.tsx'},
    outdir,
    write: false,
    splitting: true,
    format: 'esm',
    target: 'node20',
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    banner: {
      // CommonJS dependencies (commander, node-forge, …) require() Node's built-ins; an ES
      // module has no `require` of its own, so each file makes one.
      js: [
        "import {createRequire as __sdCreateRequire} from 'node:module';",
        'const require = __sdCreateRequire(import.meta.url);',
      ].join('\n'),
    },
  });
  const files = result.outputFiles.map((f) => ({
    name: relative(outdir, f.path).split('\\').join('/'),
    bytes: f.contents,
  }));
  const entry = files.find((f) => f.name === 'sd-drill.js');
  if (!entry) throw new Error('esbuild produced no sd-drill.js');
  entry.bytes = Buffer.concat([Buffer.from('#!/usr/bin/env node\n'), entry.bytes]);

  // Chunks first, the entry last, each written aside and renamed: a shell or test running the
  // previous build keeps a whole file under its name. Chunks of earlier builds go.
  const chunkDir = join(outdir, 'chunks');
  mkdirSync(chunkDir, {recursive: true});
  const names = new Set(files.map((f) => f.name));
  for (const old of readdirSync(chunkDir)) {
    if (!names.has(`chunks/${old}`)) rmSync(join(chunkDir, old), {force: true});
  }
  for (const f of [...files.filter((f) => f !== entry), entry]) {
    const path = join(outdir, f.name);
    const tmp = join(dirname(path), `.${process.pid}.tmp`);
    writeFileSync(tmp, f.bytes, {mode: f === entry ? 0o755 : 0o644});
    renameSync(tmp, path);
  }
  return files.map((f) => f.name).sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--outdir');
  await buildJs(at > 0 ? resolve(process.argv[at + 1]) : join(root, 'dist'));
}
