import type {Command} from 'commander';
import {registerCustody} from './custody.js';
import {registerDrill} from './drill.js';
import {registerHistory} from './history.js';
import {registerHolders} from './holders.js';
import {registerInit} from './init.js';
import {registerKeygen} from './keygen.js';
import {registerMedia} from './media.js';
import {registerReport} from './report.js';
import {registerRestoreBlob} from './restore-blob.js';
import {registerVerify} from './verify.js';

/** Each command registers itself; cli.tsx only parses and dispatches. Order is --help order. */
export type Register = (program: Command) => void;

export const registrations: Register[] = [
  registerDrill,
  registerInit,
  registerKeygen,
  registerVerify,
  registerRestoreBlob,
  registerMedia,
  registerHistory,
  registerReport,
  registerCustody,
  registerHolders,
];
