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
beforeEach((ctx) => {
  testStarting();
  ctx.onTestFinished(testOver);
});
afterAll(fileOver);
