/**
 * The single executable (npm run build:exe) as the offline laptop runs it: no Node anywhere
 * on PATH. Skipped, saying why, where no executable was built (`npm test` alone does not build
 * it; .ci/run does, before the tests, so there a missing one fails). It embeds its own Node, so
 * it is tested once per CI run, not again on each Node leg.
 */
import {spawnSync} from 'node:child_process';
import {closeSync, existsSync, openSync, readFileSync, readSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeEach, describe, expect, it} from 'vitest';
import {sha256File as sha256} from './helpers/files.js';
import {demoSd, fixturesDir, fullStrengthSticks, repoRoot} from './helpers/paths.js';
import {needsInstalled, onceAcrossNodes} from './helpers/skips.js';
import {tempDir} from './helpers/temp.js';
import {EXITED, hasTmux, killServer, Pane} from './helpers/tmux.js';
import {present, toCollect, toReport} from './helpers/tui.js';

const name = `sd-drill-${process.platform}-${process.arch}`;
const exe = join(repoRoot, 'dist', name);
const built = existsSync(exe);
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {version: string};
const azure = (p: string): string => join(fixturesDir, 'azure', p);

/** Runs the executable with PATH empty: nothing named `node` can be found. */
function run(args: readonly string[]) {
  const r = spawnSync(exe, args, {
    cwd: repoRoot,
    env: {PATH: '', HOME: tmpdir(), NO_COLOR: '1'},
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  return {code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? ''};
}

describe(`the executable dist/${name}, with no Node on PATH`, () => {
  beforeEach((ctx) => {
    onceAcrossNodes(ctx, 'the executable embeds its own Node');
    if (!built) needsInstalled(ctx, `no dist/${name}`, 'npm run build:exe makes it');
  });
  afterAll(() => killServer());

  it('is a native executable, not a script for some node on PATH, and knows its version', () => {
    const head = Buffer.alloc(4);
    const fd = openSync(exe, 'r');
    readSync(fd, head, 0, 4, 0);
    closeSync(fd);
    expect(head.toString('latin1')).toBe('\x7fELF');
    const r = run(['--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('verifies the Azure fixture: an encrypted key, a passphrase file, the blob digests', () => {
    const r = run([
      'verify',
      '--sd',
      azure('security-domain.json'),
      '--key',
      azure('holders/holder1.pem'),
      '--key',
      azure('holders/holder2.pem'),
      '--passphrase-file',
      azure('passphrases.txt'),
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = JSON.parse(readFileSync(azure('expected.json'), 'utf8')) as {
      blobs: Array<{tag: string; bytes: number; sha256: string}>;
    };
    const out = JSON.parse(r.stdout) as {
      blobs: Array<{tag: string; bytes: number; sha256: string}>;
    };
    expect(out.blobs).toEqual(expected.blobs);
  });

  it('fails a quorum it cannot meet with exit 1 and one line naming the file', () => {
    const r = run([
      'verify',
      '--sd',
      azure('security-domain.json'),
      '--key',
      azure('holders/holder1.pem'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('security-domain.json');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('is the build SHA256SUMS describes, made with this JavaScript build', () => {
    const sums = new Map(
      readFileSync(join(repoRoot, 'dist', 'SHA256SUMS'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => {
          const [hash, file] = line.split('  ');
          return [file, hash] as const;
        }),
    );
    expect(sums.get(name)).toBe(sha256(exe));
    // The JS build is reproducible, so today's (global setup rebuilt it) must be the one the
    // executable was built with; if not, dist/ holds an executable of another commit.
    const js = [
      'sd-drill.js',
      ...readdirSync(join(repoRoot, 'dist', 'chunks')).map((f) => `chunks/${f}`),
    ].sort();
    expect([...sums.keys()].filter((f) => f !== name).sort(), 'run npm run build:exe').toEqual(js);
    for (const f of js) expect(sums.get(f), f).toBe(sha256(join(repoRoot, 'dist', f)));
  });

  it('runs the demo drill in a terminal to a passing report (Ink, Yoga, crypto, the store)', async (ctx) => {
    if (!hasTmux) needsInstalled(ctx, 'tmux is not installed', 'apt-get install tmux');
    const config = tempDir('exe-config');
    const reports = tempDir('exe-reports');
    const pane = Pane.start(
      `exe-${process.pid}`,
      [
        'drill',
        '--sd',
        demoSd,
        '--media',
        // The demo as shipped: keys at full strength, as the laptop would open them.
        fullStrengthSticks,
        '--report-dir',
        reports,
      ],
      {
        program: [exe],
        env: {
          PATH: '',
          TERM: 'xterm-256color',
          LANG: 'C.UTF-8',
          CI: 'false',
          SD_DRILL_CONFIG_DIR: config,
        },
      },
    );
    try {
      await toCollect(pane);
      for (const [stick, custodian] of [
        ['alice', 'Alice Ng'],
        ['bob', 'Bob Brown'],
        ['carol', 'Carol Chu'],
      ] as const)
        await present(pane, stick, custodian, 'Holder');
      // r, and y to pin the demo domain's key at its first drill here.
      await toReport(pane);
      expect(pane.capture()).toShow('Verdict: PASS');
      await pane.keys('q');
      expect(EXITED.exec(await pane.waitFor(EXITED))?.[1]).toBe('0');
      expect(readdirSync(reports).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    } finally {
      pane.kill();
    }
  }, 90_000);
});
