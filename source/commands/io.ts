/** Output for headless commands: results on stdout, one-line errors and warnings on stderr. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`sd-drill: warning: ${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Collects a repeatable option: `--key a --key b`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
