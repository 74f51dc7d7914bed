import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {bundle, repoRoot} from './helpers/paths.js';

describe('the built bundle under plain node', () => {
  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const out = execFileSync(process.execPath, [bundle, '--version'], {encoding: 'utf8'});
    expect(out.trim()).toBe(pkg.version);
  });
});
