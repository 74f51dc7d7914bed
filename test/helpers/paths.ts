import {fileURLToPath} from 'node:url';
import {join} from 'node:path';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const bundle = join(repoRoot, 'dist', 'sd-drill.js');
export const fixturesDir = join(repoRoot, 'fixtures');

/**
 * The demo domain (fixtures/demo) as `npm start` runs it: holders alice to erin, each key on
 * its folder stick, encrypted as sd-drill writes keys (PBKDF2 at 600,000 iterations).
 */
export const demoDir = join(fixturesDir, 'demo');
export const demoSd = join(demoDir, 'security-domain.json');
/** The demo's own sticks, at full strength: for the one drill that runs what `npm start` runs. */
export const fullStrengthSticks = join(demoDir, 'sticks');
/**
 * The demo's sticks as the tests use them (fixtures/test-sticks, made by `npm run fixtures`):
 * the same key pairs and certificates, each key encrypted under the same passphrase at 2,048
 * PBKDF2 iterations. The app reads the count from the key file; a test opening a demo key then
 * takes a millisecond instead of a quarter-second.
 */
export const demoSticks = join(fixturesDir, 'test-sticks');
export const demoKey = (holder: string): string => join(demoSticks, holder, `${holder}.key`);
export const demoCer = (holder: string): string => join(demoSticks, holder, `${holder}.cer`);
/** The passphrase a demo holder's key is encrypted under. */
export const demoPassphrase = (holder: string): string => `${holder}-practice-only`;

/**
 * azure-cli's real security-domain vectors (fixtures/azure-cli-vectors, MIT, see its README).
 * Committed with the repo, so a clean clone checks the Azure format against them.
 */
export const azureVectorsDir = join(fixturesDir, 'azure-cli-vectors');
