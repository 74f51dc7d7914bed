// Bundles the CLI into one file: measured ~0.39 s to first frame against ~1.0 s for
// plain tsc output, because Node resolves one module instead of hundreds.
import {build} from 'esbuild';
import {readFileSync} from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['source/cli.tsx'],
  outfile: 'dist/sd-drill.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  splitting: false,
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    SD_DRILL_VERSION: JSON.stringify(pkg.version),
    'process.env.DEV': '"false"',
  },
  plugins: [
    {
      // Ink imports a React devtools bridge used only with DEV=true; it is not installed, so
      // it resolves to an empty module instead of a missing package.
      name: 'no-devtools',
      setup(b) {
        b.onResolve({filter: /^react-devtools-core$/}, () => ({
          path: 'devtools-stub',
          namespace: 'stub',
        }));
        b.onLoad({filter: /.*/, namespace: 'stub'}, () => ({
          contents: 'export default {connectToDevTools() {}};',
          loader: 'js',
        }));
      },
    },
  ],
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import {createRequire as __sdCreateRequire} from 'node:module';",
      'const require = __sdCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});
