// Regenerates fixtures/azure/ with the TypeScript fixture maker in test/domain/azure:
// esbuild bundles it to a temporary module, which is run and removed.
import {build} from 'esbuild';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'sd-drill-fixtures-'));
const bundle = join(out, 'make-fixtures.mjs');
try {
  await build({
    entryPoints: [join(root, 'test/domain/azure/make-fixtures.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: {
      js: "import {createRequire as __sdCreateRequire} from 'node:module'; const require = __sdCreateRequire(import.meta.url);",
    },
  });
  const {makeAzureFixtures} = await import(pathToFileURL(bundle).href);
  const target = join(root, 'fixtures', 'azure');
  makeAzureFixtures(target);
  process.stdout.write(`wrote ${target}\n`);
} finally {
  rmSync(out, {recursive: true, force: true});
}
