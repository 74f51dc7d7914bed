// The solo check's figures (issue 23's goals): a check of an encrypted 3072-bit key in ≤ 2 s of
// machine time beyond the key's KDF, and a person's turn in the TUI in ≤ 30 s.
//
//   node bench/solo-check.mjs [--runs N]
//
// Makes a 2-of-3 native domain with encrypted 3072-bit keys (PBKDF2-HMAC-SHA256, 600,000
// iterations, as `init` writes them), records its commitments with `verify --all`, then times:
//   - `check` as a holder runs it (a fresh process: Node's start, the domain, the store, the
//     key's KDF, the share, the commitment, the store written), wall clock;
//   - the KDF alone: node:crypto opening the same key with its passphrase, in-process;
//   - in tmux (when installed), the TUI's machine part of a holder's turn: from the Enter that
//     submits the passphrase to "PASS" on the screen.
// Prints medians; the difference is the machine time beyond the KDF.
import {execFileSync, spawnSync} from 'node:child_process';
import {createPrivateKey} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {performance} from 'node:perf_hooks';
import {setTimeout} from 'node:timers';

const root = resolve(import.meta.dirname, '..');
const bundle = join(root, 'dist', 'sd-drill.js');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const work = mkdtempSync(join(tmpdir(), 'sd-drill-bench-solo-'));
const env = {...process.env, SD_DRILL_CONFIG_DIR: join(work, 'store'), CI: '1'};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sd = join(work, 'd', 'security-domain.json');
const key = (i) => join(work, 'd', 'sticks', `holder-${i}`, `holder-${i}.key`);
const cli = (...args) =>
  execFileSync(process.execPath, [bundle, ...args], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });

try {
  const passes = ['bench-one-passphrase', 'bench-two-passphrase', 'bench-three-passphrase'];
  writeFileSync(join(work, 'all.pass'), `${passes.join('\n')}\n`);
  writeFileSync(join(work, 'two.pass'), `${passes[1]}\n`);
  cli(
    ...['init', '--out', join(work, 'd'), '--holders', '3', '--quorum', '2'],
    ...['--key-bits', '3072', '--passphrase-file', join(work, 'all.pass')],
  );
  cli(
    'verify',
    '--all',
    '--sd',
    sd,
    '--key',
    key(1),
    '--key',
    key(2),
    '--key',
    key(3),
    '--passphrase-file',
    join(work, 'all.pass'),
  );

  const check = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const out = cli(
      'check',
      '--sd',
      sd,
      '--key',
      key(2),
      '--passphrase-file',
      join(work, 'two.pass'),
    );
    check.push(performance.now() - t);
    if (!out.startsWith('✓')) throw new Error(`check did not pass:\n${out}`);
  }
  const pem = readFileSync(key(2));
  const kdf = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    createPrivateKey({key: pem, format: 'pem', passphrase: Buffer.from(passes[1])});
    kdf.push(performance.now() - t);
  }
  const bare = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t);
  }
  const row = (name, xs) => console.log(`| ${name} | ${(median(xs) / 1000).toFixed(3)} |`);
  console.log(`${runs} runs each, medians, on ${process.version}:\n`);
  console.log('| what | median s |\n| --- | ---: |');
  row('sd-drill check (encrypted 3072-bit key), whole process', check);
  row("the key's KDF alone (createPrivateKey with its passphrase)", kdf);
  row('node -e 0', bare);
  console.log(
    `\nBeyond the KDF: ${((median(check) - median(kdf)) / 1000).toFixed(3)} s (goal ≤ 2 s), of which Node's own start ${(median(bare) / 1000).toFixed(3)} s.`,
  );

  if (spawnSync('tmux', ['-V']).status === 0) {
    const turns = [];
    const sock = `bench-solo-${process.pid}`;
    const tmux = (...a) => execFileSync('tmux', ['-L', sock, ...a], {encoding: 'utf8'});
    for (let i = 0; i < Math.min(runs, 5); i++) {
      const sticks = join(work, `sticks-${i}`);
      execFileSync('cp', ['-r', join(work, 'd', 'sticks'), sticks]);
      const cmd = `cd ${root} && SD_DRILL_CONFIG_DIR=${env.SD_DRILL_CONFIG_DIR} CI=false ${process.execPath} ${bundle} --mode check --sd ${sd} --media ${sticks} --mount-root ${work}; sleep 30`;
      tmux('new-session', '-d', '-s', `s${i}`, '-x', '80', '-y', '24', cmd);
      const screen = () => tmux('capture-pane', '-p', '-t', `s${i}`);
      const until = async (text) => {
        const t0 = performance.now();
        while (!screen().includes(text)) {
          if (performance.now() - t0 > 30_000) throw new Error(`no "${text}":\n${screen()}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      await until('Insert your stick');
      // Keys sent the moment the list is drawn can come before Ink reads them: try again.
      for (let n = 0; n < 20 && !screen().includes('❯ holder-2'); n++) {
        tmux('send-keys', '-t', `s${i}`, 'Down');
        await new Promise((r) => setTimeout(r, 150));
      }
      await until('❯ holder-2');
      tmux('send-keys', '-t', `s${i}`, 'Enter');
      await until('Passphrase:');
      tmux('send-keys', '-t', `s${i}`, '-l', passes[1]);
      await until('•'.repeat(passes[1].length));
      const t = performance.now();
      tmux('send-keys', '-t', `s${i}`, 'Enter');
      await until('PASS');
      turns.push(performance.now() - t);
      tmux('send-keys', '-t', `s${i}`, 'n');
    }
    tmux('kill-server');
    console.log(
      `\nTUI, Enter on the passphrase → PASS on screen: median ${(median(turns) / 1000).toFixed(3)} s over ${turns.length} turns. A holder's turn is that plus the keys they press: Enter on their stick, the passphrase, Enter, y/n.`,
    );
  } else console.log('\nTUI figure skipped: tmux is not installed.');
} finally {
  rmSync(work, {recursive: true, force: true});
}
