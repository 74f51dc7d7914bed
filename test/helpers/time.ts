/** Waiting, for the helpers that poll (a screen, a process): never a test's assertion. */

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Blocks this thread for `ms` milliseconds (for synchronous cleanup steps). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
