/**
 * The order test files start in. vitest runs the files that took longest last time first, which
 * keeps every worker busy to the end; but a clean clone has no last time, and vitest then goes
 * by file size, which can leave a long tmux suite to start last and run alone. So where it has no
 * timings, the kinds of files known to be slow go first: the drills in tmux, the hardening
 * batteries, the executable, the commands run as processes, the real file systems.
 */
import {relative} from 'node:path';
import {BaseSequencer, type TestSpecification} from 'vitest/node';

const SLOW_FIRST = [
  /\/test\/e2e\//,
  /\/test\/hardening\//,
  /\/test\/exe\.test\.ts$/,
  /\/test\/commands\//,
  /\/test\/fs\//,
];

const rank = (spec: TestSpecification): number => {
  const i = SLOW_FIRST.findIndex((re) => re.test(spec.moduleId));
  return i < 0 ? SLOW_FIRST.length : i;
};

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const timed = (spec: TestSpecification): boolean =>
      this.ctx.cache.getFileTestResults(
        `${spec.project.name}:${relative(this.ctx.config.root, spec.moduleId)}`,
      ) !== undefined;
    if (files.every(timed)) return sorted;
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
