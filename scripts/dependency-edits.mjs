// The few places where the bundle departs from a dependency's published code, as esbuild
// plugins. Each one is checked while the build runs: if an upgrade changes the code an edit
// relies on, the build stops with the file and the reason instead of shipping a guess.
// bench/README.md lists each with what it was measured to save; scripts/build.mjs and
// scripts/build-exe.mjs say which build uses which.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';

const require = createRequire(import.meta.url);

/**
 * yoga-layout (Ink's layout engine) is WebAssembly behind an Emscripten loader. Its entry
 * awaits the instance at top level, and the loader fetch()es the bytes from a data: URL,
 * which makes Node load its whole fetch implementation (undici) on the TUI's first frame.
 * The bundle gets an entry of its own that hands the loader an instance made synchronously
 * (Emscripten's `instantiateWasm` option), so Yoga is ready when the module has loaded: no
 * fetch, and no top-level await — which the executable's CommonJS bundle cannot hold at all.
 * The build checks that the loader still starts synchronously this way; the entry checks it
 * again when it runs.
 */
export async function yogaWithoutFetch() {
  const dir = join(dirname(require.resolve('yoga-layout/load')), '..');
  const loader = join(dir, 'binaries', 'yoga-wasm-base64-esm.js');
  const base64 = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/.exec(
    readFileSync(loader, 'utf8'),
  )?.[1];
  if (!base64) throw new Error(`${loader}: no embedded WebAssembly (yoga-layout changed?)`);
  const wrapper = join(dir, 'src', 'wrapAssembly.js');
  const {default: loadYoga} = await import(pathToFileURL(loader).href);
  const {default: wrapAssembly} = await import(pathToFileURL(wrapper).href);
  const wasm = new WebAssembly.Module(Buffer.from(base64, 'base64'));
  const probe = {
    instantiateWasm(imports, receive) {
      const instance = new WebAssembly.Instance(wasm, imports);
      receive(instance);
      return instance.exports;
    },
  };
  loadYoga(probe);
  if (probe.calledRun !== true)
    throw new Error(`${loader}: does not start synchronously with instantiateWasm`);
  const node = wrapAssembly(probe).Node.create();
  node.setWidth(7);
  node.calculateLayout();
  if (node.getComputedWidth() !== 7) throw new Error(`${loader}: a layout came out wrong`);
  node.free();

  const entry = `
import loadYoga from ${JSON.stringify(loader)};
import wrapAssembly from ${JSON.stringify(wrapper)};
export * from ${JSON.stringify(join(dir, 'src', 'generated', 'YGEnums.js'))};
// yoga-layout's entry, without its top-level await and fetch: see scripts/dependency-edits.mjs.
const wasm = new WebAssembly.Module(Buffer.from(${JSON.stringify(base64)}, 'base64'));
const yoga = {
  instantiateWasm(imports, receive) {
    const instance = new WebAssembly.Instance(wasm, imports);
    receive(instance);
    return instance.exports;
  },
};
loadYoga(yoga);
if (yoga.calledRun !== true) throw new Error('yoga-layout did not start synchronously');
export default wrapAssembly(yoga);
`;
  return {
    name: 'yoga-without-fetch',
    setup(b) {
      b.onResolve({filter: /^yoga-layout$/}, () => ({path: 'yoga-layout', namespace: 'sd-yoga'}));
      b.onLoad({filter: /.*/, namespace: 'sd-yoga'}, () => ({
        contents: entry,
        resolveDir: dir,
        loader: 'js',
      }));
    },
  };
}

/**
 * Ink's reconciler awaits at top level, only when DEV=true (to load React devtools, which
 * sd-drill does not ship): the bundles pin DEV to "false". A CommonJS bundle (the
 * executable's) cannot hold a top-level await even in a branch that never runs, so these two
 * are replaced by what they yield without DEV. (Should Ink add another, esbuild refuses it.)
 */
export const inkWithoutDevtools = {
  name: 'ink-without-devtools',
  setup(b) {
    b.onLoad({filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/}, ({path}) => {
      let source = readFileSync(path, 'utf8');
      for (const [from, to] of [
        ["await import('./devtools.js');", 'void 0;'],
        ['? await loadPackageJson()', '? {name: undefined, version: undefined}'],
      ]) {
        if (source.split(from).length !== 2) throw new Error(`${path}: expected one "${from}"`);
        source = source.replace(from, to);
      }
      return {contents: source, loader: 'js'};
    });
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
export const stringWidthFastPath = {
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
 * Ink wraps a Text with wrap-ansi at `trim: false` (so indentation survives), which leaves the
 * space between two words at the start of the next row whenever the first word ends exactly at
 * the edge: " pin its key?" under a line that fills the terminal. The bundle's Ink wraps each of
 * the text's own lines as before and takes that one space off the rows the wrapping made; a line
 * the text itself starts with spaces keeps them. Layout measures with the same function, so the
 * rows Ink counts are the rows it draws.
 */
export const inkWrapBoundary = {
  name: 'ink-wrap-boundary',
  setup(b) {
    b.onLoad({filter: /[\\/]ink[\\/]build[\\/]wrap-text\.js$/}, ({path}) => {
      const from = `wrappedText = wrapAnsi(text, maxWidth, {
            trim: false,
            hard: true,
        });`;
      const to = `wrappedText = text
            .split('\\n')
            .map((line) => wrapAnsi(line, maxWidth, {trim: false, hard: true})
                .split('\\n')
                .map((row, i) => (i === 0 ? row : row.replace(/^((?:\\u001B\\[[0-9;]*m)*) /, '$1')))
                .join('\\n'))
            .join('\\n');`;
      const source = readFileSync(path, 'utf8');
      if (source.split(from).length !== 2) throw new Error(`${path}: expected one "${from}"`);
      return {contents: source.replace(from, to), loader: 'js'};
    });
  },
};
