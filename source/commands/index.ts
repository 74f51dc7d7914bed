import type {Command} from 'commander';
import {registerInit} from './init.js';
import {registerKeygen} from './keygen.js';
import {registerVerify} from './verify.js';

/** Each headless command registers itself; cli.tsx only parses and dispatches. */
export type Register = (program: Command) => void;

export const registrations: Register[] = [registerInit, registerKeygen, registerVerify];
