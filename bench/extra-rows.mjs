// Rows of bench/run.mjs for builds other than dist/sd-drill.js:
//   - the single executable (dist/sd-drill-<platform>-<arch>, npm run build:exe), against bare
//     Node 24.x, the very Node it embeds (scripts/node-runtime.mjs keeps it in its cache), in
//     the same kind of run: spawned afresh, and in a pty for the first frame;
//   - SD_BENCH_COMPARE=FILE: another build's entry (an older commit's dist/sd-drill.js, copied
//     aside) run by the same Node, for a before/after in one run.
import {existsSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {cacheDir, VERSION} from '../scripts/node-runtime.mjs';

export function extraRows({
  root,
  node,
  azure,
  hasScript,
  drillCommand,
  firstFrameText,
  tuiEnv,
  notes,
}) {
  const rows = [];
  const verifyArgs = azure ? ['verify', '--sd', azure.sd, ...azure.keys] : [];
  const exe = join(root, 'dist', `sd-drill-${process.platform}-${process.arch}`);
  const node24 = join(cacheDir(), 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(exe)) notes.push(`executable rows skipped: no ${exe} (npm run build:exe)`);
  else if (!existsSync(node24))
    notes.push(`executable rows skipped: no Node ${VERSION} at ${node24} (npm run build:exe)`);
  else {
    const bare = `node ${VERSION} -e 0`;
    rows.push(
      {name: bare, cmd: node24, args: ['-e', '0'], runs: 9, quick: 5},
      {
        name: 'executable --version',
        cmd: exe,
        args: ['--version'],
        runs: 9,
        quick: 5,
        reference: bare,
      },
    );
    if (azure)
      rows.push({
        name: 'executable verify (azure)',
        cmd: exe,
        args: verifyArgs,
        runs: 9,
        quick: 5,
        reference: bare,
        goal: {ratio: 1.5, text: `≤ 1.5× bare node (${bare})`},
        also: 'node -e 0',
      });
    if (hasScript)
      rows.push(
        {
          name: `node ${VERSION} in a pty (first text)`,
          pty: `${JSON.stringify(node24)} -e "console.log('${firstFrameText}')"`,
          text: firstFrameText,
          runs: 7,
          quick: 3,
        },
        {
          name: 'executable TUI first frame (pty)',
          pty: drillCommand(exe),
          text: firstFrameText,
          env: tuiEnv,
          runs: 7,
          quick: 3,
          reference: `node ${VERSION} in a pty (first text)`,
          goal: {ratio: 2.5, text: '≤ 2.5× bare node (its own, in the same pty)'},
          also: 'node in a pty (first text)',
        },
      );
  }

  const compare = process.env.SD_BENCH_COMPARE && resolve(process.env.SD_BENCH_COMPARE);
  if (compare && !existsSync(compare)) notes.push(`SD_BENCH_COMPARE: no ${compare}`);
  else if (compare) {
    notes.push(`compared with ${compare}`);
    if (azure)
      rows.push({
        name: 'verify (azure), compared build',
        cmd: node,
        args: [compare, ...verifyArgs],
        runs: 9,
        quick: 5,
        reference: 'verify (azure)',
      });
    if (hasScript)
      rows.push({
        name: 'TUI first frame (pty), compared build',
        pty: drillCommand(node, compare),
        text: firstFrameText,
        env: tuiEnv,
        runs: 7,
        quick: 3,
        reference: 'TUI first frame (pty)',
        // The ratio is the compared build's time over this build's: ≥ 1 is no worse now.
        goal: {minRatio: 1, text: 'this build no slower (ratio ≥ 1)'},
      });
  }
  return rows;
}
