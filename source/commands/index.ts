import type {Command} from 'commander';

/** Each headless command registers itself; cli.tsx only parses and dispatches. */
export type Register = (program: Command) => void;

export const registrations: Register[] = [];
