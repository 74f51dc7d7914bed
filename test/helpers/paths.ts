import {fileURLToPath} from 'node:url';
import {join} from 'node:path';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const bundle = join(repoRoot, 'dist', 'sd-drill.js');
export const fixturesDir = join(repoRoot, 'fixtures');

/** The demo domain (fixtures/demo): holders alice to erin, each key on its folder stick. */
export const demoDir = join(fixturesDir, 'demo');
export const demoSd = join(demoDir, 'security-domain.json');
export const demoKey = (holder: string): string => join(demoDir, 'sticks', holder, `${holder}.key`);
/** The passphrase a demo holder's key is encrypted under. */
export const demoPassphrase = (holder: string): string => `${holder}-practice-only`;

/**
 * azure-cli's real security-domain vectors (fixtures/azure-cli-vectors, MIT, see its README).
 * Committed with the repo, so a clean clone checks the Azure format against them.
 */
export const azureVectorsDir = join(fixturesDir, 'azure-cli-vectors');
