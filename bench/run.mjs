// Times the built CLI as users run it: each row is spawned afresh (spawnSync of plain
// `node dist/sd-drill.js …`), rows are interleaved round by round so drift on a busy machine
// hits them alike, and the table reports the median wall time and the peak RSS.
//
//   npm run bench                 build, then every row
//   node bench/run.mjs --runs 1   one run of each row (a quick look)
//   node bench/run.mjs --keep     keep the scratch folder with the domains
//
// To add a row, add an entry to `rows` below: {name, cmd, args, runs?, reference?}. `args`
// may be a function of the scratch folder; `reference` names the row it is compared with.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'sd-drill.js');
const node = process.execPath;
const TIME = '/usr/bin/time';
const probe = pathToFileURL(join(root, 'bench', 'rss-probe.mjs')).href;

const argv = process.argv.slice(2);
const runsOverride = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : undefined;
const keep = argv.includes('--keep');

if (!existsSync(bundle)) {
  console.error(`bench: ${bundle} is missing; run \`npm run bench\` (it builds first)`);
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'sd-drill-bench-'));
const domain = (keys) => join(scratch, `keys-${keys}`);

/** A practice domain: 5 holders, quorum 3, unencrypted RSA-2048 keys, `keys` HSM keys. */
const init = (keys) => () => [
  bundle,
  'init',
  '--out',
  domain(keys),
  '--holders',
  '5',
  '--quorum',
  '3',
  '--key-bits',
  '2048',
  '--no-passphrase',
  '--keys',
  String(keys),
  '--force',
];

/** Three of the five holders bring their keys. */
const verify = (keys) => () => [
  bundle,
  'verify',
  '--sd',
  join(domain(keys), 'security-domain.json'),
  ...[1, 2, 3].flatMap((i) => [
    '--key',
    join(domain(keys), 'sticks', `holder-${i}`, `holder-${i}.key`),
  ]),
];

// Rows run in this order within each round: an `init` row must come before the `verify`
// rows that read its domain.
const rows = [
  {name: 'node -e 0', cmd: node, args: ['-e', '0'], runs: 7},
  {
    name: 'sd-drill --version',
    cmd: node,
    args: [bundle, '--version'],
    runs: 7,
    reference: 'node -e 0',
  },
  {name: 'init --keys 25', cmd: node, args: init(25), runs: 3, reference: 'node -e 0'},
  {name: 'init --keys 5000', cmd: node, args: init(5000), runs: 3, reference: 'init --keys 25'},
  {name: 'verify (25 keys)', cmd: node, args: verify(25), runs: 5, reference: 'node -e 0'},
  {
    name: 'verify (5000 keys)',
    cmd: node,
    args: verify(5000),
    runs: 5,
    reference: 'verify (25 keys)',
  },
];

const hasTime = existsSync(TIME);

/** One run: wall seconds and peak RSS in KiB (undefined when it cannot be measured). */
function measure(row) {
  const args = typeof row.args === 'function' ? row.args(scratch) : row.args;
  let cmd = row.cmd;
  let full = args;
  if (hasTime) {
    cmd = TIME;
    full = ['-f', 'SDBENCH_RSS %M', row.cmd, ...args];
  } else if (row.cmd === node) {
    full = ['--import', probe, ...args];
  }
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, full, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1'},
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) {
    console.error(`bench: "${row.name}" exited ${r.status ?? r.signal}:\n${r.stderr}`);
    cleanup();
    process.exit(1);
  }
  const m = /SDBENCH_RSS (\d+)\s*$/.exec(r.stderr ?? '');
  return {seconds, rssKiB: m ? Number(m[1]) : undefined};
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function cleanup() {
  if (keep) console.log(`scratch folder kept: ${scratch}`);
  else rmSync(scratch, {recursive: true, force: true});
}

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
console.log(
  `sd-drill ${version} bench — node ${process.version}, ${process.platform}/${process.arch}`,
);
console.log(`peak RSS via ${hasTime ? TIME : 'process.resourceUsage() in the child'}`);

const results = new Map(rows.map((row) => [row.name, []]));
const rounds = Math.max(...rows.map((row) => runsOverride ?? row.runs ?? 3));
for (let round = 0; round < rounds; round++) {
  for (const row of rows) {
    if (round >= (runsOverride ?? row.runs ?? 3)) continue;
    process.stderr.write(`  round ${round + 1}/${rounds}: ${row.name}…\r`);
    results.get(row.name).push(measure(row));
  }
}
process.stderr.write(`${' '.repeat(60)}\r`);

const summary = rows.map((row) => {
  const runs = results.get(row.name);
  const secs = runs.map((r) => r.seconds);
  const rss = runs.map((r) => r.rssKiB).filter((v) => v !== undefined);
  return {
    name: row.name,
    runs: runs.length,
    median: median(secs),
    min: Math.min(...secs),
    max: Math.max(...secs),
    rssMiB: rss.length ? Math.max(...rss) / 1024 : undefined,
    reference: row.reference,
  };
});
const byName = new Map(summary.map((s) => [s.name, s]));

const table = [
  ['row', 'runs', 'median s', 'min s', 'max s', 'peak RSS MiB', 'vs reference'],
  ...summary.map((s) => {
    const ref = s.reference ? byName.get(s.reference) : undefined;
    return [
      s.name,
      String(s.runs),
      s.median.toFixed(3),
      s.min.toFixed(3),
      s.max.toFixed(3),
      s.rssMiB === undefined ? '–' : s.rssMiB.toFixed(1),
      ref ? `${(s.median / ref.median).toFixed(2)}× ${ref.name}` : '',
    ];
  }),
];
const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
const fmt = (r) =>
  r
    .map((cell, c) => (c === 0 || c === 6 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
    .join('  ');
console.log();
console.log(fmt(table[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table.slice(1)) console.log(fmt(r));

const ratio = (a, b) => (byName.get(a).median / byName.get(b).median).toFixed(2);
console.log();
console.log(`verify 5000 / verify 25: ${ratio('verify (5000 keys)', 'verify (25 keys)')}×`);
console.log(`init 5000 / init 25:     ${ratio('init --keys 5000', 'init --keys 25')}×`);
console.log(
  `init --keys 5000:        ${byName.get('init --keys 5000').median.toFixed(1)} s (median)`,
);
console.log(`startup (node -e 0):     ${byName.get('node -e 0').median.toFixed(3)} s`);
cleanup();
