// Times the built CLI as users run it and checks each figure against its goal (issue 8).
// Every row is spawned afresh (plain `node dist/sd-drill.js …`); rows run interleaved, round
// by round, so that drift on a busy machine hits a figure and its reference alike; the table
// reports medians, and each ratio is taken between two medians of the same run.
//
//   npm run bench                  build, then every row (about two to four minutes)
//   node bench/run.mjs --quick     fewer runs of each row (under a minute; a quick look)
//   node bench/run.mjs --runs 1    exactly one run of each row
//   node bench/run.mjs --keep      keep the scratch folder with the domains
//   node bench/run.mjs --markdown  also print the table as Markdown (for the README)
//
// Rows:
//   - start-up: bare `node -e 0` against `--version`, `--help` and headless commands;
//   - the Azure restore path on azure-cli's vector (docs/azure-security-domain-format.md): a lean python3 +
//     cryptography implementation (bench/azure_restore_reference.py) against
//     `sd-drill restore-blob` (the same work) and `sd-drill verify`;
//   - `init` and `verify` of a 25-key and a 5,000-key simulated domain;
//   - the TUI's first frame in a pseudo-terminal (script(1)), against bare node printing the
//     same line in the same kind of terminal, and a keystroke's way to the screen;
//   - the single executable (npm run build:exe), against bare Node 24, the Node inside it
//     (bench/extra-rows.mjs);
//   - with SD_BENCH_COMPARE=FILE, another build's sd-drill.js (say, an older commit's) beside
//     this one: its first frame and Azure verify, in the same run.
// A row whose tool is missing (python3's cryptography, script(1), the Azure vectors, the
// executable) is skipped with a note. This is a measurement, not a test: `npm test` asserts no timings.
//
// To add a row, add an entry to `rows` below: {name, cmd, args, runs, quick, reference?,
// goal?}. `args` may be a function (called once per run); `reference` names the row the
// ratio is taken against; `goal` says what is checked.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {cpus, loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {hasScript, ptyRun} from './pty.mjs';
import {extraRows} from './extra-rows.mjs';
import {report} from './report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'sd-drill.js');
const node = process.execPath;
const TIME = '/usr/bin/time';
const probe = pathToFileURL(join(root, 'bench', 'rss-probe.mjs')).href;

const argv = process.argv.slice(2);
const runsOverride = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : undefined;
const quick = argv.includes('--quick');
const keep = argv.includes('--keep');
const markdown = argv.includes('--markdown');

if (!existsSync(bundle)) {
  console.error(`bench: ${bundle} is missing; run \`npm run bench\` (it builds first)`);
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'sd-drill-bench-'));
const domain = (keys) => join(scratch, `keys-${keys}`);
let serial = 0;
/** A path that does not exist yet (restore-blob never overwrites its --out). */
const freshOut = (label) => join(scratch, `${label}-${++serial}.json`);

// The TUI gets its own store and report folder: the bench must not touch the user's.
const tuiEnv = {XDG_CONFIG_HOME: join(scratch, 'config')};
mkdirSync(tuiEnv.XDG_CONFIG_HOME);

const notes = [];

// ---- Azure vector and the python reference -----------------------------------------------

const azureDir = [
  process.env.SD_BENCH_AZURE_VECTORS,
  join(root, 'fixtures', 'azure-cli-vectors'),
].find((d) => d && existsSync(join(d, 'sdfile.json')));
if (!azureDir)
  notes.push('Azure rows skipped: no azure-cli-vectors (set SD_BENCH_AZURE_VECTORS=DIR)');

// Every python3 here that has the cryptography module is a reference: python3 on PATH (here a
// pyenv 3.11 with cryptography 48) and Debian's /usr/bin/python3 (apt's python3-cryptography,
// 38). sd-drill is compared with the fastest of them. SD_BENCH_PYTHON adds another.
const pythons = [];
for (const p of [process.env.SD_BENCH_PYTHON, 'python3', '/usr/bin/python3']) {
  if (!p || (p.includes('/') && !existsSync(p))) continue;
  const probe = spawnSync(
    p,
    [
      '-c',
      'import sys, cryptography; print(sys.executable, sys.version.split()[0], cryptography.__version__)',
    ],
    {encoding: 'utf8'},
  );
  if (probe.status !== 0) continue;
  const [exe, pyVersion, cryptoVersion] = probe.stdout.trim().split(' ');
  if (pythons.some((x) => x.exe === exe)) continue;
  // The interpreter itself: `python3` on PATH may be a pyenv shim (a shell script that adds
  // ~80 ms of its own to every run), which would flatter sd-drill.
  pythons.push({
    cmd: exe,
    exe,
    name: `python restore (cryptography ${cryptoVersion})`,
    pyVersion,
  });
}
const python = pythons.length > 0;
if (azureDir && !python)
  notes.push(
    'python reference skipped: no python3 with the cryptography module ' +
      '(apt-get install python3-cryptography, or set SD_BENCH_PYTHON)',
  );
const pythonRows = pythons.map((p) => p.name);

/** The restore path's arguments, the same for sd-drill and the python reference. */
const restoreArgs = (out) => [
  '--sd',
  azure.sd,
  ...azure.keys,
  '--exchange-key',
  azure.exchange,
  '--out',
  freshOut(out),
];

const azure = azureDir
  ? {
      sd: join(azureDir, 'sdfile.json'),
      keys: ['sd1.pem', 'sd2.pem'].flatMap((k) => ['--key', join(azureDir, k)]),
      exchange: join(azureDir, 'sdex.pem'),
    }
  : undefined;

// ---- pty rows ------------------------------------------------------------------------------

if (!hasScript) notes.push('TUI rows skipped: they need util-linux script(1)');

const FIRST_FRAME_TEXT = 'What is this session for?';
// The pointer has moved to the second choice (Ink may draw the gap as a cursor move).
const AFTER_DOWN_TEXT = /❯\s*Restore after a purge/;

// ---- rows ----------------------------------------------------------------------------------

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

/** The demo drill as a shell command for script(1), run by `program` (words). */
const drillCommand = (...program) =>
  [
    ...program,
    'drill',
    '--sd',
    join(root, 'fixtures', 'demo', 'security-domain.json'),
    '--media',
    join(root, 'fixtures', 'demo', 'sticks'),
    '--report-dir',
    join(scratch, 'reports'),
  ]
    .map((word) => JSON.stringify(word))
    .join(' ');

const HEADLESS = {ratio: 2.5, text: '≤ 2.5× bare node'};
const AZURE = {ratio: 0.5, text: '≤ 0.5× python (the faster one)'};

// Rows run in this order within each round: an `init` row must come before the `verify`
// rows that read its domain. `runs`: a full run; `quick`: with --quick.
const rows = [
  {name: 'node -e 0', cmd: node, args: ['-e', '0'], runs: 9, quick: 5},
  {
    name: 'sd-drill --version',
    cmd: node,
    args: [bundle, '--version'],
    runs: 9,
    quick: 5,
    reference: 'node -e 0',
    goal: HEADLESS,
  },
  {
    name: 'sd-drill --help',
    cmd: node,
    args: [bundle, '--help'],
    runs: 9,
    quick: 5,
    reference: 'node -e 0',
    goal: HEADLESS,
  },
  {
    name: 'media (demo sticks)',
    cmd: node,
    args: [bundle, 'media', '--media', join(root, 'fixtures', 'demo', 'sticks')],
    runs: 9,
    quick: 5,
    reference: 'node -e 0',
    goal: HEADLESS,
  },
  ...(azure
    ? pythons.map((p) => ({
        name: p.name,
        cmd: p.cmd,
        args: () => [
          join(root, 'bench', 'azure_restore_reference.py'),
          ...restoreArgs('python-restore-blob'),
        ],
        runs: 9,
        quick: 5,
        reference: 'node -e 0',
      }))
    : []),
  ...(azure
    ? [
        {
          name: 'restore-blob (azure)',
          cmd: node,
          args: () => [bundle, 'restore-blob', ...restoreArgs('restore-blob')],
          runs: 9,
          quick: 5,
          reference: python ? pythonRows : 'node -e 0',
          goal: python ? AZURE : undefined,
        },
        {
          name: 'verify (azure)',
          cmd: node,
          args: [bundle, 'verify', '--sd', azure.sd, ...azure.keys],
          runs: 9,
          quick: 5,
          reference: python ? pythonRows : 'node -e 0',
          goal: python ? AZURE : undefined,
        },
      ]
    : []),
  {name: 'init --keys 25', cmd: node, args: init(25), runs: 3, quick: 1, reference: 'node -e 0'},
  {
    name: 'init --keys 5000',
    cmd: node,
    args: init(5000),
    runs: 3,
    quick: 1,
    goal: {seconds: 30, text: 'well under a minute (≤ 30 s), with progress'},
    progress: /Generating HSM keys \d+\/\d+/g,
  },
  {
    name: 'verify (25 keys)',
    cmd: node,
    args: verify(25),
    runs: 9,
    quick: 5,
    reference: 'node -e 0',
    goal: HEADLESS,
  },
  {
    name: 'verify (5000 keys)',
    cmd: node,
    args: verify(5000),
    runs: 5,
    quick: 3,
    reference: 'verify (25 keys)',
    goal: {ratio: 2, rssMiB: 200, text: '≤ 2× verify (25 keys), peak RSS ≤ 200 MiB'},
  },
  ...(hasScript
    ? [
        {
          name: 'node in a pty (first text)',
          pty: `${node} -e "console.log('${FIRST_FRAME_TEXT}')"`,
          text: FIRST_FRAME_TEXT,
          runs: 7,
          quick: 3,
        },
        {
          name: 'TUI first frame (pty)',
          pty: drillCommand(node, bundle),
          text: FIRST_FRAME_TEXT,
          keystroke: '\x1b[B', // Down
          after: AFTER_DOWN_TEXT,
          env: tuiEnv,
          runs: 7,
          quick: 3,
          reference: 'node in a pty (first text)',
          goal: {ratio: 3, text: '≤ 3× bare node (in the same pty)'},
        },
      ]
    : []),
  ...extraRows({
    root,
    node,
    azure,
    hasScript,
    drillCommand,
    firstFrameText: FIRST_FRAME_TEXT,
    tuiEnv,
    notes,
  }),
];

const hasTime = existsSync(TIME);

/** One spawned run: wall seconds, peak RSS in KiB and stderr. */
function measure(row) {
  const args = typeof row.args === 'function' ? row.args() : row.args;
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
  const progress = row.progress ? (r.stderr.match(row.progress) ?? []).length : undefined;
  return {seconds, rssKiB: m ? Number(m[1]) : undefined, progress};
}

async function measurePty(row) {
  const r = await ptyRun(row.pty, {cwd: root, ...row});
  if (r.error || r.seconds === undefined) {
    console.error(`bench: "${row.name}": ${r.error ?? 'no first frame'}`);
    cleanup();
    process.exit(1);
  }
  return r;
}

function cleanup() {
  if (keep) console.log(`scratch folder kept: ${scratch}`);
  else rmSync(scratch, {recursive: true, force: true});
}

const runsOf = (row) => runsOverride ?? (quick ? row.quick : row.runs) ?? 3;

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
console.log(
  `sd-drill ${version} bench — node ${process.version}, ${process.platform}/${process.arch}` +
    (quick ? ' (--quick)' : ''),
);
console.log(`peak RSS via ${hasTime ? TIME : 'process.resourceUsage() in the child'}`);
const load = () => loadavg()[0].toFixed(2);
console.log(`${cpus().length} CPUs, load average ${load()} at the start`);
for (const p of pythons)
  console.log(`python reference: ${p.exe} (python ${p.pyVersion}): ${p.name}`);
for (const n of notes) console.log(`note: ${n}`);

const results = new Map(rows.map((row) => [row.name, []]));
const rounds = Math.max(...rows.map(runsOf));
for (let round = 0; round < rounds; round++) {
  for (const row of rows) {
    if (round >= runsOf(row)) continue;
    if (process.stderr.isTTY)
      process.stderr.write(`  round ${round + 1}/${rounds}: ${row.name}…${' '.repeat(20)}\r`);
    results.get(row.name).push(row.pty ? await measurePty(row) : measure(row));
  }
}
if (process.stderr.isTTY) process.stderr.write(`${' '.repeat(70)}\r`);

report({rows, results, markdown, load});
cleanup();
