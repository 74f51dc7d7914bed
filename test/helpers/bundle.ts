/**
 * Some of the app's own modules in a child process under plain node: TypeScript importing them
 * (by `appModule`) bundled by esbuild into one ES module, as the build bundles the app.
 */
import {writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {build} from 'esbuild';
import {repoRoot} from './paths.js';

/** An app module's absolute path, quoted for an import in bundleModule's source. */
export const appModule = (path: string): string => JSON.stringify(join(repoRoot, path));

/**
 * Bundles `source` (lines of TypeScript, written beside it as entry.ts) into the ES module
 * `outfile`; `require` works in it, for a bundled CommonJS dependency.
 */
export async function bundleModule(outfile: string, source: readonly string[]): Promise<void> {
  const entry = join(dirname(outfile), 'entry.ts');
  writeFileSync(entry, source.join('\n'));
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
    banner: {
      js: "import {createRequire} from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
}
