/**
 * The command line's surface: every command, in --help order. Each command's options and
 * descriptions, and nothing else, are in ./register-ceremony.ts, ./register-domain.ts and
 * ./register-records.ts. Each action imports its command's module only when that command runs,
 * so `--version`, `--help` and a headless command never load (nor, in the bundle, evaluate)
 * what they do not use: Ink and React for the TUI, node-forge for key generation, conf for the
 * store, and so on. Keep these files' imports to type-only imports and small modules without
 * dependencies.
 */
import type {Command} from 'commander';
import {
  registerCheck,
  registerContribute,
  registerDrill,
  registerMedia,
} from './register-ceremony.js';
import {
  registerAssess,
  registerInit,
  registerKeygen,
  registerRestoreBlob,
  registerRotate,
  registerVerify,
} from './register-domain.js';
import {
  registerCustody,
  registerHistory,
  registerHolders,
  registerReport,
} from './register-records.js';

/** Each command registers itself; cli.tsx only parses and dispatches. Order is --help order. */
export type Register = (program: Command) => void;

export const registrations: Register[] = [
  registerDrill,
  registerInit,
  registerKeygen,
  registerVerify,
  registerRestoreBlob,
  registerRotate,
  registerAssess,
  registerMedia,
  registerHistory,
  registerReport,
  registerCustody,
  registerHolders,
  registerContribute,
  registerCheck,
];
