import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {join} from 'node:path';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const bundle = join(repoRoot, 'dist', 'sd-drill.js');
export const fixturesDir = join(repoRoot, 'fixtures');

/**
 * azure-cli's real security-domain vectors (fixtures/azure-cli-vectors, MIT, see its README).
 * Committed with the repo, so a clean clone checks the Azure format against them.
 */
const vectorCandidates = [join(repoRoot, 'fixtures', 'azure-cli-vectors')];
export const azureVectorsDir: string | undefined = vectorCandidates.find((p) => existsSync(p));
