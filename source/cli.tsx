import {Command, CommanderError} from 'commander';
import {SdError} from './errors.js';
import {registrations} from './commands/index.js';
import {finishHelp} from './commands/help.js';

declare const SD_DRILL_VERSION: string;
const version = typeof SD_DRILL_VERSION === 'string' ? SD_DRILL_VERSION : '0.0.0-dev';

/** One clean line on stderr; a stack trace only with --debug. */
function report(error: unknown, debug: boolean): number {
  if (error instanceof SdError) {
    process.stderr.write(`sd-drill: ${error.message}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`sd-drill: internal error: ${message} (run with --debug for details)\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return 2;
}

// `sd-drill media | head`: a closed pipe ends output quietly, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const program = new Command('sd-drill')
    .description('Disaster-recovery drills for an HSM security domain')
    .version(version, '-V, --version')
    .option('--debug', 'show stack traces for errors')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `sd-drill: ${s}` : s),
    })
    .showHelpAfterError('(run sd-drill --help for usage)');
  for (const register of registrations) register(program);
  finishHelp(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return report(error, debug);
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error, process.argv.includes('--debug'));
  },
);
