import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/helpers/global-setup.ts'],
    // After-hooks in reverse order of registration: setup.ts's removal of a test's temporary
    // folders runs after the test file's own afterEach (which may unmount something in them).
    sequence: {hooks: 'stack'},
  },
});
