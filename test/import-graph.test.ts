import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

// The arrows point one way (conventions: screens → hooks → ceremony/services): a command
// module is a leaf that only cli.tsx and other commands reach, and no two modules need
// each other. Type-only imports count too: they tie the files together for a reader.
const source = fileURLToPath(new URL('../source', import.meta.url));

function modules(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const files = modules(source);
const graph = new Map(
  files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'(\.[^']+)'/g)].flatMap(
      ([, spec]) => {
        const base = resolve(dirname(file), spec!).replace(/\.js$/, '');
        return [`${base}.ts`, `${base}.tsx`].filter((candidate) => files.includes(candidate));
      },
    );
    return [relative(source, file), targets.map((t) => relative(source, t))];
  }),
);

describe('the import graph', () => {
  it('reaches commands/ only from cli.tsx and from commands/', () => {
    const upward = [...graph].flatMap(([from, targets]) =>
      targets
        .filter((to) => to.startsWith('commands/'))
        .filter(() => from !== 'cli.tsx' && !from.startsWith('commands/'))
        .map((to) => `${from} -> ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('finds the imports it checks', () => {
    // A regex that silently matched nothing would pass both tests above.
    expect(graph.get('cli.tsx')).toContain('commands/index.ts');
    expect(graph.get('domain/azure/reader.ts')).toContain('domain/azure/reconstruct.ts');
  });
});
