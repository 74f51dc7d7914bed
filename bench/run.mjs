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
//   - the Azure restore path on the shared vector (format spec §9-§10): a lean python3 +
//     cryptography implementation (bench/azure_restore_reference.py) against
//     `sd-drill restore-blob` (the same work) and `sd-drill verify`;
//   - `init` and `verify` of a 25-key and a 5,000-key simulated domain;
//   - the TUI's first frame in a pseudo-terminal (script(1)), against bare node printing the
//     same line in the same kind of terminal, and a keystroke's way to the screen.
// A row whose tool is missing (python3's cryptography, script(1), the Azure vectors) is
// skipped with a note. This is a measurement, not a test: `npm test` asserts no timings.
//
// To add a row, add an entry to `rows` below: {name, cmd, args, runs, quick, reference?,
// goal?}. `args` may be a function (called once per run); `reference` names the row the
// ratio is taken against; `goal` says what is checked.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {cpus, loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {clearTimeout, setTimeout} from 'node:timers';
import {fileURLToPath, pathToFileURL} from 'node:url';

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
  join(root, '..', 'shared', 'interop', 'azure-cli-vectors'),
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

// util-linux script(1) gives the child a pseudo-terminal; BSD script has other flags.
const hasScript =
  process.platform === 'linux' &&
  spawnSync('script', ['-qfec', 'true', '/dev/null'], {stdio: 'ignore'}).status === 0;
if (!hasScript) notes.push('TUI rows skipped: they need util-linux script(1)');

const FIRST_FRAME_TEXT = 'What is this session for?';
// The pointer has moved to the second choice (Ink may draw the gap as a cursor move).
const AFTER_DOWN_TEXT = /❯\s*Restore after a purge/;
// eslint-disable-next-line no-control-regex
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]/g, '');

/** Kills what runs in the pty (script's child, by its pid), then script itself. */
function killPty(child) {
  try {
    const kids = execFileSync('pgrep', ['-P', String(child.pid)], {encoding: 'utf8'});
    for (const pid of kids.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
  } catch {
    // pgrep found nothing: the child has gone.
  }
  child.kill('SIGKILL');
}

/**
 * One run in a pty: seconds until `text` appears on the screen; with `keystroke`, then also
 * the seconds from sending it until `after` appears. The child is asked to quit (Ctrl-C) and
 * killed if it has not gone within two seconds.
 */
function ptyRun(command, {text, keystroke, after, env = {}}) {
  // `text` is a string to find on the screen; `after` a RegExp.
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const seconds = (from) => Number(process.hrtime.bigint() - from) / 1e9;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: root,
      env: {...process.env, CI: 'false', TERM: 'xterm-256color', ...env},
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let screen = '';
    let sinceKey = '';
    let first;
    let keySent;
    let key;
    let finished = false;
    const finish = (error) => {
      finished = true;
      clearTimeout(timer);
      child.stdin.write('\x03');
      const hard = setTimeout(() => killPty(child), 2000);
      child.on('exit', () => {
        clearTimeout(hard);
        resolve({seconds: first, keySeconds: key, error});
      });
    };
    const timer = setTimeout(() => finish(`no "${text}" within 20 s`), 20_000);
    child.stdout.on('data', (data) => {
      const chunk = data.toString('utf8');
      if (first === undefined) {
        screen += chunk;
        if (!stripAnsi(screen).includes(text)) return;
        first = seconds(start);
        if (!keystroke) return finish();
        // Give the first frame a moment to settle, then press the key.
        setTimeout(() => {
          keySent = process.hrtime.bigint();
          child.stdin.write(keystroke);
        }, 300);
        return;
      }
      if (keySent === undefined || key !== undefined) return;
      sinceKey += chunk;
      if (after.test(stripAnsi(sinceKey))) {
        key = seconds(keySent);
        finish();
      }
    });
    child.on('exit', () => {
      if (finished) return;
      clearTimeout(timer);
      resolve({seconds: first, keySeconds: key, error: 'exited before the screen showed it'});
    });
  });
}

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

const drillCommand = [
  node,
  bundle,
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
          pty: drillCommand,
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
  const r = await ptyRun(row.pty, row);
  if (r.error || r.seconds === undefined) {
    console.error(`bench: "${row.name}": ${r.error ?? 'no first frame'}`);
    cleanup();
    process.exit(1);
  }
  return r;
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

const summary = rows.map((row) => {
  const runs = results.get(row.name);
  const secs = runs.map((r) => r.seconds);
  const rss = runs.map((r) => r.rssKiB).filter((v) => v !== undefined);
  const keys = runs.map((r) => r.keySeconds).filter((v) => v !== undefined);
  const progress = runs.map((r) => r.progress).filter((v) => v !== undefined);
  return {
    row,
    name: row.name,
    runs: runs.length,
    median: median(secs),
    min: Math.min(...secs),
    max: Math.max(...secs),
    rssMiB: rss.length ? Math.max(...rss) / 1024 : undefined,
    keyMedian: keys.length ? median(keys) : undefined,
    progress: progress.length ? Math.min(...progress) : undefined,
  };
});
const byName = new Map(summary.map((s) => [s.name, s]));
/** The reference row: the named one, or the fastest of several (the python references). */
const referenceOf = (s) => {
  const names = [s.row.reference ?? []].flat();
  const refs = names.map((n) => byName.get(n)).filter(Boolean);
  return refs.sort((a, b) => a.median - b.median)[0];
};
const ratioOf = (s) => {
  const ref = referenceOf(s);
  return ref ? s.median / ref.median : undefined;
};

/** Met, missed, or nothing to check. */
function verdict(s) {
  const g = s.row.goal;
  if (!g) return undefined;
  const checks = [];
  if (g.ratio !== undefined) checks.push(ratioOf(s) <= g.ratio);
  if (g.seconds !== undefined) checks.push(s.median <= g.seconds);
  if (g.rssMiB !== undefined && s.rssMiB !== undefined) checks.push(s.rssMiB <= g.rssMiB);
  if (s.row.progress) checks.push((s.progress ?? 0) >= 2);
  return checks.every(Boolean);
}

const table = [
  ['row', 'runs', 'median s', 'min s', 'max s', 'peak RSS MiB', 'vs reference', 'goal', 'met'],
  ...summary.map((s) => {
    const ratio = ratioOf(s);
    const v = verdict(s);
    return [
      s.name,
      String(s.runs),
      s.median.toFixed(3),
      s.min.toFixed(3),
      s.max.toFixed(3),
      s.rssMiB === undefined ? '–' : s.rssMiB.toFixed(1),
      ratio === undefined ? '' : `${ratio.toFixed(2)}× ${referenceOf(s).name}`,
      s.row.goal?.text ?? '',
      v === undefined ? '' : v ? 'yes' : 'NO',
    ];
  }),
];
const widths = table[0].map((_, c) => Math.max(...table.map((r) => [...r[c]].length)));
const left = new Set([0, 6, 7, 8]);
const pad = (cell, c) =>
  left.has(c)
    ? cell + ' '.repeat(widths[c] - [...cell].length)
    : ' '.repeat(widths[c] - [...cell].length) + cell;
const fmt = (r) => r.map(pad).join('  ').trimEnd();
console.log();
console.log(fmt(table[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table.slice(1)) console.log(fmt(r));

// Figures that are not a row of their own.
const get = (name) => byName.get(name);
console.log();
const bare = get('node -e 0').median;
const tui = get('TUI first frame (pty)');
if (tui) {
  console.log(
    `TUI first frame: ${tui.median.toFixed(3)} s = ${(tui.median / bare).toFixed(2)}× node -e 0 ` +
      `(outside a pty), ${ratioOf(tui).toFixed(2)}× bare node in the same pty`,
  );
  if (tui.keyMedian !== undefined) {
    const ms = tui.keyMedian * 1000;
    console.log(
      `keystroke → frame: ${ms.toFixed(0)} ms median (Down arrow until the choice has moved; ` +
        `one frame is ${(1000 / 30).toFixed(0)} ms at Ink's 30 fps) — ${ms <= 1000 / 30 ? 'within one frame' : 'NOT within one frame'}`,
    );
  }
}
const i5k = get('init --keys 5000');
if (i5k)
  console.log(
    `init --keys 5000: ${i5k.median.toFixed(1)} s median, ${i5k.progress ?? 0} progress lines on stderr`,
  );
const v5k = get('verify (5000 keys)');
if (v5k?.rssMiB !== undefined)
  console.log(`verify (5000 keys) peak RSS: ${v5k.rssMiB.toFixed(1)} MiB`);
console.log(
  `load average ${load()} at the end (ratios hold up better than seconds on a busy machine)`,
);
const missed = summary.filter((s) => verdict(s) === false).map((s) => s.name);
console.log(missed.length ? `goals missed: ${missed.join('; ')}` : 'all goals met');

if (markdown) {
  console.log();
  console.log('| row | median s | peak RSS MiB | vs reference | goal | met |');
  console.log('| --- | ---: | ---: | --- | --- | --- |');
  for (const r of table.slice(1))
    console.log(`| ${[r[0], r[2], r[5], r[6], r[7], r[8]].join(' | ')} |`);
}
cleanup();
