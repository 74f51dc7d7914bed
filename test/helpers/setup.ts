// Frames are compared as plain text: no colour codes, whatever the terminal says.
process.env.FORCE_COLOR = '0';
process.env.NO_COLOR = '1';

// Property tests run with a fixed seed so CI is repeatable; change the seed (or set
// FC_SEED) to explore other cases locally.
import fc from 'fast-check';
fc.configureGlobal({seed: Number(process.env.FC_SEED ?? 20261128)});

// Every folder tempDir() made is removed when its test (or file) is done, pass or fail: after
// the test's own afterEach hooks (onTestFinished runs after them, even when one throws).
import {afterAll, beforeEach} from 'vitest';
import {fileOver, testOver, testStarting} from './temp.js';
import {isolateFile} from './isolate.js';
// expect(screen).toShow(text): a screen matched however it is wrapped.
import './screen-text.js';
beforeEach((ctx) => {
  testStarting();
  ctx.onTestFinished(testOver);
});
afterAll(fileOver);

// Test files run side by side (vitest.config.ts): each gets a temporary folder (TMPDIR) and
// an sd-drill store (SD_DRILL_CONFIG_DIR) of its own, removed when its tests are done.
isolateFile();
