// Frames are compared as plain text: no colour codes, whatever the terminal says.
process.env.FORCE_COLOR = '0';
process.env.NO_COLOR = '1';

// Property tests run with a fixed seed so CI is repeatable; change the seed (or set
// FC_SEED) to explore other cases locally.
import fc from 'fast-check';
fc.configureGlobal({seed: Number(process.env.FC_SEED ?? 20261128)});
