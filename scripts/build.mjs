// Builds dist/sd-drill.js: the whole CLI in one file, in which each command's code is
// compiled only when that command runs.
//
// Why: Node resolves one file instead of hundreds (plain tsc output took ~1.0 s to the TUI's
// first frame, one bundle ~0.39 s), but V8 still parses every byte of a bundle before it runs
// any of it: 20-30 ms per MB on the 2-core machine the figures in bench/README.md come from,
// and the old single bundle was 4.2 MB. `sd-drill --version` or `verify` should not pay for
// the TUI (React, Ink, Yoga), key generation (node-forge) or the store (conf).
//
// How:
//   1. esbuild bundles with code splitting: the entry (cli.tsx: commander and the command
//      registrations in commands/index.ts) plus one chunk per lazily imported module (each
//      command's implementation, the TUI) and chunks for the code they share; esbuild works
//      out which code each command needs.
//   2. esbuild's transform turns each chunk into a CommonJS-style function body: static
//      imports become require('./chunk-….js'), import() becomes __sdImport('./chunk-….js').
//   3. The output file is the entry's code, then every chunk inside a block comment (V8 skips
//      a comment about ten times faster than it scans a string literal), then a table of
//      where each chunk starts. A small loader reads a chunk's bytes back from the file and
//      compiles it (vm.compileFunction) the first time it is required, caching its exports
//      as Node's module cache would; Node built-ins go to Node's require.
// `node dist/sd-drill.js` needs no other file. bench/run.mjs measures the effect.
import {build, transform} from 'esbuild';
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {basename, dirname, join, relative} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outfile = join(root, 'dist', 'sd-drill.js');
const outdir = join(root, 'dist', 'chunks'); // never written: write:false below

/**
 * Ink's reconciler awaits at its top level, only when DEV=true (React devtools); the build
 * pins DEV to "false", and a chunk with a top-level await cannot become a function body.
 * The two awaits are replaced by what they yield without DEV; if Ink changes them the build
 * fails here rather than at run time.
 */
const inkWithoutDevtools = {
  name: 'ink-without-devtools',
  setup(b) {
    b.onLoad({filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/}, ({path}) => {
      let source = readFileSync(path, 'utf8');
      for (const [from, to] of [
        ["await import('./devtools.js');", 'void 0;'],
        ['? await loadPackageJson()', '? {name: undefined, version: undefined}'],
      ]) {
        if (!source.includes(from)) throw new Error(`${path}: expected "${from}" (Ink changed?)`);
        source = source.replace(from, to);
      }
      return {contents: source, loader: 'js'};
    });
  },
};

/**
 * yoga-layout's entry awaits its WebAssembly at top level, and its Emscripten loader fetch()es
 * the module from a data: URL (which loads Node's fetch, undici, just for that). The bundle
 * gets an entry that hands Emscripten the bytes instead (moved out of its data: URL) and
 * exports the same object, filled in once the WebAssembly has loaded. Ink only touches Yoga
 * inside functions, never while its modules load; the loader's import() of a chunk waits for
 * it (__sdAwait below).
 */
const yogaWithoutTopLevelAwait = {
  name: 'yoga-without-top-level-await',
  setup(b) {
    const dir = join(dirname(createRequire(import.meta.url).resolve('yoga-layout/load')), '..');
    const binary = join(dir, 'binaries', 'yoga-wasm-base64-esm.js');
    const base64 = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/.exec(
      readFileSync(binary, 'utf8'),
    )?.[1];
    if (!base64) throw new Error(`${binary}: no embedded WebAssembly (yoga-layout changed?)`);
    // The loader keeps its copy of the bytes only as a fallback; it has them from us.
    b.onLoad({filter: /[\\/]yoga-wasm-base64-esm\.js$/}, ({path}) => ({
      contents: readFileSync(path, 'utf8').replace(base64, ''),
      loader: 'js',
    }));
    b.onResolve({filter: /^yoga-layout$/}, () => ({path: 'yoga-layout', namespace: 'sd-yoga'}));
    b.onLoad({filter: /.*/, namespace: 'sd-yoga'}, () => ({
      contents: [
        `import loadYogaImpl from ${JSON.stringify(binary)};`,
        `import wrapAssembly from ${JSON.stringify(join(dir, 'src', 'wrapAssembly.js'))};`,
        `export * from ${JSON.stringify(join(dir, 'src', 'generated', 'YGEnums.js'))};`,
        'const Yoga = {};',
        `const wasmBinary = Buffer.from(${JSON.stringify(base64)}, 'base64');`,
        '__sdAwait(loadYogaImpl({wasmBinary}).then((m) => Object.assign(Yoga, wrapAssembly(m))));',
        'export default Yoga;',
      ].join('\n'),
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/**
 * conf (the drill store) imports ajv, ajv-formats and semver for its `schema` and
 * `migrations` options, which the store does not use (it checks its data with zod). They
 * are half a megabyte the TUI would compile on every start; the bundle gets stand-ins that
 * fail loudly if one of those options is ever passed.
 */
const confWithoutSchemaSupport = {
  name: 'conf-without-schema-support',
  setup(b) {
    const unused = (what) =>
      `() => { throw new Error(${JSON.stringify(`${what} is not in sd-drill's bundle: conf's schema and migrations options are unsupported (see scripts/build.mjs)`)}); }`;
    const stubs = {
      'ajv/dist/2020.js': `export const Ajv2020 = ${unused('ajv')};`,
      'ajv-formats': `export default {default: ${unused('ajv-formats')}};`,
      semver: `const unused = ${unused('semver')};\nexport default {eq: unused, clean: unused, satisfies: unused, lte: unused, gt: unused};`,
    };
    b.onResolve({filter: /^(ajv\/dist\/2020\.js|ajv-formats|semver)$/}, ({path, importer}) =>
      /[\\/]node_modules[\\/]conf[\\/]/.test(importer)
        ? {path, namespace: 'sd-conf-stub'}
        : undefined,
    );
    b.onLoad({filter: /.*/, namespace: 'sd-conf-stub'}, ({path}) => ({
      contents: stubs[path],
      loader: 'js',
    }));
  },
};

/**
 * Makes a module's top-level `const NAME = <expression>;` lazy: the expression runs the first
 * time NAME is used, not when the module loads. For values that are costly to make and that
 * the first frame never needs (measured with --cpu-prof: an Intl.Segmenter loads ICU data,
 * ~4 ms the first time; `new RegExp('^\\p{RGI_Emoji}$', 'v')` expands every emoji sequence,
 * ~8 ms). NAME must be used only as a value (no assignment to it); the edit fails the build
 * if the declaration is not found exactly once.
 */
function makeLazy(path, source, names) {
  for (const name of names) {
    const decl = new RegExp(`^const ${name} = (.+);$`, 'm');
    const found = source.match(new RegExp(decl.source, 'gm')) ?? [];
    if (found.length !== 1) throw new Error(`${path}: expected one "const ${name} = …;"`);
    const [line, expression] = decl.exec(source);
    const [before, after] = source.split(line);
    const use = new RegExp(`(?<![\\w$.])${name}(?![\\w$])`, 'g');
    source =
      before.replace(use, `${name}()`) +
      `let ${name}$lazy;\nconst ${name} = () => (${name}$lazy ??= ${expression});` +
      after.replace(use, `${name}()`);
  }
  return source;
}

const LAZY = [
  // string-width 8 and ansi-tokenize are handled with their fast paths below.
  [
    /[\\/]slice-ansi[\\/]tokenize-ansi\.js$/,
    ['GRAPHEME_SEGMENTER', 'EMOJI_PRESENTATION_GRAPHEME_REGEX'],
  ],
];
const lazyTopLevelValues = {
  name: 'lazy-top-level-values',
  setup(b) {
    for (const [filter, names] of LAZY) {
      b.onLoad({filter}, ({path}) => ({
        contents: makeLazy(path, readFileSync(path, 'utf8'), names),
        loader: 'js',
      }));
    }
  },
};

/**
 * string-width (Ink's text measure; two versions in the tree) makes an Intl.Segmenter when it
 * loads (~20 ms: ICU data) and, for any non-ASCII text, runs Unicode-property regexes that
 * take tens of milliseconds to compile on first use. The TUI's own text is ASCII plus a few
 * symbols (box drawing, ❯, —, ·, ✓ …), each one column wide. The bundle's string-width
 * counts such text directly, the way its ASCII fast path does, and makes the segmenter on
 * first real use. Every symbol in NARROW is checked against the real string-width here, so
 * the shortcut gives exactly its answers; if string-width changes, the build stops. (© ® ▪ ▫
 * are left out: string-width 7 counts them as emoji, two columns.)
 */
const NARROW =
  '\u00a1-\u00a8\u00aa-\u00ac\u00af-\u00ff\u2010-\u2027\u2030-\u203a\u2190-\u2193' +
  '\u2500-\u259f\u25a0\u25a1\u25b8\u25b9\u25c6\u25c7\u25c9\u25cb\u25cf\u25ef' +
  '\u2713\u2717\u276e\u276f';
const narrowChars = () => {
  const out = [];
  for (const [, a, b] of NARROW.matchAll(/(.)(?:-(.))?/gsu))
    for (let c = a.codePointAt(0); c <= (b ?? a).codePointAt(0); c++)
      out.push(String.fromCodePoint(c));
  return out;
};
const stringWidthFastPath = {
  name: 'string-width-fast-path',
  setup(b) {
    b.onLoad({filter: /[\\/]string-width[\\/]index\.js$/}, async ({path}) => {
      const {default: original} = await import(pathToFileURL(path).href);
      for (const c of narrowChars()) {
        if (original(c) !== 1 || original(`a${c}b`) !== 3)
          throw new Error(`${path}: U+${c.codePointAt(0).toString(16)} is not one column wide`);
      }
      const test = `/^[\\u0020-\\u007E${[...NARROW].map((c) => (c === '-' ? '-' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('')}]*$/.test(string)`;
      let source = readFileSync(path, 'utf8');
      const edits = [
        ['const segmenter = new Intl.Segmenter();', 'let segmenter;'],
        ['segmenter.segment(string)', '(segmenter ??= new Intl.Segmenter()).segment(string)'],
        // string-width 8: widen its ASCII fast path.
        source.includes('if (/^[\\u0020-\\u007E]*$/.test(string)) {')
          ? [
              'if (/^[\\u0020-\\u007E]*$/.test(string)) {',
              `if (/^[\\u0020-\\u007E]*$/.test(string) || (ambiguousIsNarrow && ${test})) {`,
            ]
          : // string-width 7 has none: add one after it strips ANSI codes.
            [
              '\tlet width = 0;',
              `\tif (ambiguousIsNarrow && ${test}) {\n\t\treturn string.length;\n\t}\n\n\tlet width = 0;`,
            ],
      ];
      for (const [from, to] of edits) {
        if (source.split(from).length !== 2) throw new Error(`${path}: expected one "${from}"`);
        source = source.replace(from, to);
      }
      // string-width 8's emoji regex: compiled when a non-ASCII cluster first needs it.
      if (source.includes('const rgiEmojiRegex = '))
        source = makeLazy(path, source, [
          'rgiEmojiRegex',
          'visibleCharacterRegex',
          'spacingMarkRegex',
        ]);
      return {contents: source, loader: 'js'};
    });
  },
};

/**
 * ansi-tokenize (Ink's output, for every line it draws) walks each string by grapheme with an
 * Intl.Segmenter, whose first use loads ICU's break data (~8 ms, on the first frame). In text
 * made only of tab, newline, ESC, printable ASCII and the NARROW symbols, every character is
 * its own grapheme (none of them is CR, a combining mark, a joiner, a variation selector or a
 * regional indicator), so such strings are walked a character at a time and the segmenter is
 * made on first real use. The build checks that claim against Intl.Segmenter itself.
 */
const ansiTokenizeFastPath = {
  name: 'ansi-tokenize-fast-path',
  setup(b) {
    b.onLoad(
      {filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/},
      ({path}) => {
        const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
        const simple = ['\t', '\n', '\u001b', ...narrowChars()];
        for (let c = 0x20; c <= 0x7e; c++) simple.push(String.fromCharCode(c));
        for (const c of simple) {
          const sample = `a${c}${c}\u001b[1m${c}b\n${c}`;
          if ([...graphemes.segment(sample)].length !== sample.length)
            throw new Error(`U+${c.codePointAt(0).toString(16)} joins a grapheme cluster`);
        }
        const charClass = simple
          .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
          .join('');
        let source = makeLazy(path, readFileSync(path, 'utf8'), ['segmenter']);
        const from = 'segmenter().segment(str)';
        if (source.split(from).length !== 2) throw new Error(`${path}: expected one "${from}"`);
        source = source.replace(from, 'graphemesOf(str)');
        source += `
const SIMPLE_TEXT = /^[${charClass}]*$/;
function graphemesOf(str) {
  if (!SIMPLE_TEXT.test(str)) return segmenter().segment(str);
  const out = new Array(str.length);
  for (let index = 0; index < str.length; index++) out[index] = {segment: str[index], index};
  return out;
}
`;
        return {contents: source, loader: 'js'};
      },
    );
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: {'sd-drill': 'source/cli.tsx'},
  outdir,
  bundle: true,
  splitting: true,
  write: false,
  metafile: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  chunkNames: 'chunk-[hash]',
  entryNames: '[name]',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  charset: 'ascii',
  logLevel: 'warning',
  define: {
    SD_DRILL_VERSION: JSON.stringify(pkg.version),
    'process.env.DEV': '"false"',
    // React's and the reconciler's production builds: a third of the size, no dev checks.
    'process.env.NODE_ENV': '"production"',
  },
  plugins: [
    inkWithoutDevtools,
    yogaWithoutTopLevelAwait,
    confWithoutSchemaSupport,
    stringWidthFastPath,
    lazyTopLevelValues,
    ansiTokenizeFastPath,
  ],
});

const entryName = 'sd-drill.js';
const outputs = new Map(
  result.outputFiles.map((f) => [relative(outdir, f.path).split('\\').join('/'), f.text]),
);
if (!outputs.has(entryName)) throw new Error(`esbuild produced no ${entryName}`);

const PARAMS = ['require', 'module', 'exports', '__sdImportMetaUrl', '__sdImport', '__sdAwait'];

/** An ES module chunk as the body of function (...PARAMS). */
async function toFunctionBody(name, code) {
  const out = await transform(code, {
    loader: 'js',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    charset: 'ascii',
    legalComments: 'none',
    sourcefile: name,
    // import() of another chunk becomes Promise.resolve().then(() => require(…)).
    supported: {'dynamic-import': false},
    define: {'import.meta.url': '__sdImportMetaUrl'},
    logLevel: 'error',
  });
  // import() of a chunk must also wait for what the chunk's modules await (see Yoga above).
  const dynamic = result.metafile.outputs[relative(root, join(outdir, name))].imports.filter(
    (i) => i.kind === 'dynamic-import' && !i.external,
  );
  let body = out.code;
  for (const target of new Set(dynamic.map((i) => `./${basename(i.path)}`))) {
    const from = `Promise.resolve().then(() => __toESM(require(${JSON.stringify(target)})))`;
    if (!body.includes(from)) throw new Error(`${name}: no \`${from}\` (esbuild changed?)`);
    body = body.split(from).join(`__sdImport(${JSON.stringify(target)})`);
  }
  // Comments keep whatever characters they had; one non-ASCII byte makes V8 hold the whole
  // file as a two-byte string (slower to decode and to scan). \u escapes are valid anywhere
  // such characters can still occur.
  return `"use strict";\n${body}`.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const chunks = [];
for (const [name, code] of outputs) {
  if (name !== entryName) chunks.push([name, await toFunctionBody(name, code)]);
}
const entry = await toFunctionBody(entryName, outputs.get(entryName));

// The chunks sit in block comments after the code (measured: 2.8 MB of chunks as string
// literals cost 23 ms of parsing at every start, as comments 3 ms). Inside a comment "*/" is written \x01b and \x01 itself \x01a (node-forge has raw
// \x01 bytes in strings). The loader reads a chunk's bytes from this file through a
// descriptor opened at startup, so a rebuild cannot swap the file under a running process.
const encodeChunk = (code) =>
  // eslint-disable-next-line no-control-regex -- \x01 is the escape character here
  code.replace(/\x01|\*\//g, (m) => (m === '\x01' ? '\x01a' : '\x01b'));

const header = `#!/usr/bin/env node
// sd-drill ${pkg.version}, built by scripts/build.mjs. One file: the entry's code comes first,
// then each chunk in a comment, compiled the first time it is required.
import {openSync as __sdOpenSync, readSync as __sdReadSync} from 'node:fs';
import {createRequire as __sdCreateRequire} from 'node:module';
import {fileURLToPath as __sdFileURLToPath} from 'node:url';
import {compileFunction as __sdCompileFunction} from 'node:vm';
const __sdImportMetaUrl = import.meta.url;
const __sdNodeRequire = __sdCreateRequire(__sdImportMetaUrl);
const __sdFile = __sdFileURLToPath(__sdImportMetaUrl);
const __sdFd = __sdOpenSync(__sdFile, 'r');
const __sdChunks = __sdChunkTable();
const __sdModules = new Map();
const __sdPending = [];
function __sdAwait(promise) {
  __sdPending.push(promise);
}
async function __sdImport(id) {
  const exports = __sdRequire(id);
  while (__sdPending.length > 0) await __sdPending.shift();
  return exports;
}
function __sdSource(name) {
  const [start, length] = __sdChunks[name];
  const bytes = Buffer.allocUnsafe(length);
  if (__sdReadSync(__sdFd, bytes, 0, length, start) !== length)
    throw new Error(\`\${__sdFile}: truncated (chunk \${name})\`);
  return bytes.toString('latin1').replace(/\\x01([ab])/g, (_, c) => (c === 'a' ? '\\x01' : '*/'));
}
function __sdRequire(id) {
  const name = id.startsWith('./') ? id.slice(2) : id;
  if (!Object.hasOwn(__sdChunks, name)) return __sdNodeRequire(id);
  let module = __sdModules.get(name);
  if (module) return module.exports;
  module = {exports: {}};
  __sdModules.set(name, module);
  const body = __sdCompileFunction(__sdSource(name), ${JSON.stringify(PARAMS)}, {
    filename: \`\${__sdFile} [\${name}]\`,
  });
  body(__sdRequire, module, module.exports, __sdImportMetaUrl, __sdImport, __sdAwait);
  return module.exports;
}
__sdRequire.resolve = __sdNodeRequire.resolve;
__sdRequire.cache = __sdNodeRequire.cache;
(function (${PARAMS.join(', ')}) {
${entry}
})(__sdRequire, {exports: {}}, {}, __sdImportMetaUrl, __sdImport, __sdAwait);
`;

let bundle = header;
const table = {};
for (const [name, body] of chunks) {
  bundle += `\n/* ${name}\n`;
  const stored = encodeChunk(body);
  table[name] = [bundle.length, stored.length];
  bundle += `${stored}\n*/`;
}
bundle += `\n// Where each chunk's code starts in this file, and its length in bytes.\nfunction __sdChunkTable() {\n  return ${JSON.stringify(table)};\n}\n`;
// Offsets are byte offsets only because every character is ASCII.
if (/[\u0080-\uffff]/.test(bundle)) throw new Error('the bundle is not pure ASCII');

// Written aside and renamed: tests and other shells may be running the previous bundle.
mkdirSync(dirname(outfile), {recursive: true});
const tmp = join(dirname(outfile), `.${basename(outfile)}.${process.pid}.tmp`);
writeFileSync(tmp, bundle, {mode: 0o755});
renameSync(tmp, outfile);
