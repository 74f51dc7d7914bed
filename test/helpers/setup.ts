// Frames are compared as plain text: no colour codes, whatever the terminal says.
process.env.FORCE_COLOR = '0';
process.env.NO_COLOR = '1';

// Property tests run with a fixed seed so CI is repeatable; change the seed (or set
// FC_SEED) to explore other cases locally.
import fc from 'fast-check';
fc.configureGlobal({seed: Number(process.env.FC_SEED ?? 20261128)});

// Every folder tempDir() made is removed when its test (or file) is done, pass or fail. Hooks
// registered here run first before a test and last after it, around the file's own hooks.
import {afterAll, afterEach, beforeEach} from 'vitest';
import {fileOver, testOver, testStarting} from './temp.js';
beforeEach(testStarting);
afterEach(testOver);
afterAll(fileOver);
