/**
 * Skips said out loud. A test skips only through these, with its reason (vitest keeps it as
 * the test's note), and the run ends with one line per reason (skip-reporter.ts).
 *
 * Under CI (`CI=true`) a test that needs what .ci/run installs — tmux, the FUSE tools and a
 * working FUSE, losetup, python3 with cryptography, the built executable — fails instead,
 * naming what is missing: a green CI run that tested no FAT stick would say something false.
 * What no CI can provide (another OS, mounting as a user without the privilege) still skips.
 */
import type {TestContext} from 'vitest';

/** True in CI (CI=true or 1, as CI services and .ci/run set it). */
export const inCi = /^(true|1)$/i.test(process.env.CI ?? '');

/** Skips the running test, saying why (`reason` is printed in the run's summary). */
export function skipBecause(ctx: TestContext, reason: string): never {
  ctx.skip(reason);
  throw new Error('unreachable: ctx.skip throws');
}

/**
 * For what .ci/run installs: skips the test, saying what is missing and how to get it; under
 * CI, fails it instead.
 */
export function needsInstalled(ctx: TestContext, missing: string, howToGet: string): never {
  const reason = `${missing} (${howToGet})`;
  if (inCi) throw new Error(`${reason}: .ci/run provides it, so under CI this fails, not skips`);
  return skipBecause(ctx, reason);
}

/**
 * The environment variable .ci/run sets on its Node 22 and 24 legs: the tests whose result
 * cannot depend on the Node running the tests already ran on the Node 20 leg.
 */
export const ONCE_ENV = 'SD_DRILL_TESTS_RAN_ONCE';

/**
 * For a test whose result cannot depend on the Node running the tests (`why`): skipped, as
 * expected, on the later legs of .ci/run (ONCE_ENV), which test the rest of the suite on
 * another Node.
 */
export function onceAcrossNodes(ctx: TestContext, why: string): void {
  if (process.env[ONCE_ENV])
    skipBecause(
      ctx,
      `ran once, on the first Node leg of this CI run (${process.env[ONCE_ENV]}): ${why}`,
    );
}
