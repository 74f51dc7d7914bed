import {availableParallelism} from 'node:os';
import {defineConfig} from 'vitest/config';
import SlowFirstSequencer from './test/helpers/sequencer.js';

// The drills driven in tmux spend most of their time waiting for the app to redraw, not
// computing, so the suite runs more test files at once than there are cores: at least 3,
// even on a 2-core machine (vitest's own default there would be 1). Each file gets its own
// temporary folder and sd-drill store (test/helpers/setup.ts), so files running side by side
// share nothing. `--maxWorkers=N` on the command line still decides.
const workers = Math.max(3, availableParallelism() + 1);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: workers,
    // A worker runs file after file in one process, loading the modules they share once (a new
    // process and fresh imports cost about a second a file on the 2-core machine). Each file
    // still gets its own TMPDIR and store (setup.ts runs before every file); the state the
    // shared modules keep is either settled at each file's end (temp.ts) or a cache.
    isolate: false,
    globalSetup: ['test/helpers/global-setup.ts'],
    // Every skipped test's reason, one line per reason, at the end of the run.
    reporters: ['default', './test/helpers/skip-reporter.ts'],
    // After-hooks in reverse order of registration: setup.ts's removal of a test's temporary
    // folders runs after the test file's own afterEach (which may unmount something in them).
    sequence: {hooks: 'stack', sequencer: SlowFirstSequencer},
  },
});
