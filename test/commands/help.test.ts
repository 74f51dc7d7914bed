/**
 * Every command's --help marks its required options and ends with an example: for a newcomer
 * reading --help, and for the operator at 3 a.m. who needs the one line to copy.
 */
import {Command} from 'commander';
import {describe, expect, it} from 'vitest';
import {EXAMPLE_COMMANDS, finishHelp} from '../../source/commands/help.js';
import {registrations} from '../../source/commands/index.js';
import {runCli} from '../helpers/run-cli.js';

function program(): Command {
  const p = new Command('sd-drill');
  for (const register of registrations) register(p);
  finishHelp(p);
  return p;
}

/** Every command that runs something (not a group like `report`), by its path. */
function leaves(cmd: Command, prefix = ''): Array<[string, Command]> {
  return cmd.commands.flatMap((c) => {
    const path = `${prefix}${c.name()}`;
    return c.commands.length > 0 ? leaves(c, `${path} `) : [[path, c] as [string, Command]];
  });
}

describe('--help', () => {
  it('has an example for every command, and for no command that does not exist', () => {
    const paths = leaves(program()).map(([path]) => path);
    expect([...paths].sort()).toEqual([...EXAMPLE_COMMANDS].sort());
  });

  it('marks every required option "(required)"', () => {
    const unmarked = leaves(program()).flatMap(([path, c]) =>
      c.options
        .filter((o) => o.mandatory && !o.description.endsWith('(required)'))
        .map((o) => `${path} ${o.long ?? o.flags}`),
    );
    expect(unmarked).toEqual([]);
    // And it is really there for the ones a user must give.
    const rb = leaves(program()).find(([p]) => p === 'restore-blob')?.[1];
    expect(
      rb?.options.filter((o) => o.description.endsWith('(required)')).map((o) => o.long),
    ).toEqual(['--sd', '--exchange-key', '--key', '--out']);
  });

  it('shows both on the command line', () => {
    const r = runCli(['restore-blob', '--help']);
    expect(r.code).toBe(0);
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(flat).toMatch(
      /--out <file> where to write the restore blob \(never overwritten\) \(required\)/,
    );
    expect(r.stdout).toContain('\nExample:\n  $ npx sd-drill restore-blob --sd ');
    const sub = runCli(['holders', 'register', '--help']);
    expect(sub.stdout.replace(/\s+/g, ' ')).toMatch(
      /--custodian <name> the person who keeps the key \(required\)/,
    );
    expect(sub.stdout).toContain('Example:\n  $ npx sd-drill holders register --fingerprint');
  });
});
