/**
 * Says every skip out loud: after the run, one line per reason a test was skipped for, with
 * how many tests and which files (the default reporter shows only a count). A skip with no
 * reason given is listed as such (a test filtered out by -t or .only is one): every skip in the
 * suite goes through skips.ts.
 */
import {relative} from 'node:path';
import type {Reporter, TestModule, Vitest} from 'vitest/node';

export default class SkipReporter implements Reporter {
  private root = process.cwd();
  private log: (line: string) => void = (line) => console.log(line);

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
    this.log = (line) => vitest.logger.log(line);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, Map<string, number>>();
    let count = 0;
    for (const module of modules) {
      const file = relative(this.root, module.moduleId);
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped') continue;
        count++;
        const reason =
          result.note ??
          'no reason given: filtered out (-t, .only) or skipped without one (use skips.ts)';
        const files = byReason.get(reason) ?? new Map<string, number>();
        files.set(file, (files.get(file) ?? 0) + 1);
        byReason.set(reason, files);
      }
    }
    if (count === 0) {
      this.log(' Skipped    none');
      return;
    }
    this.log(
      ` Skipped    ${count} test${count === 1 ? '' : 's'}, for ${byReason.size} reason${byReason.size === 1 ? '' : 's'}:`,
    );
    for (const [reason, files] of byReason) {
      const n = [...files.values()].reduce((a, b) => a + b, 0);
      const where = [...files].map(([f, k]) => `${f} (${k})`).join(', ');
      this.log(`   ${n} × ${reason} — ${where}`);
    }
  }
}
