import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {join} from 'node:path';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const bundle = join(repoRoot, 'dist', 'sd-drill.js');
export const fixturesDir = join(repoRoot, 'fixtures');

/** The shared Azure vectors sit beside the repo in the workplace; a user's clone has none. */
const sharedCandidates = [join(repoRoot, '..', 'shared', 'interop', 'azure-cli-vectors')];
export const azureVectorsDir: string | undefined = sharedCandidates.find((p) => existsSync(p));
