/** The store as separate sd-drill processes use it: the built bundle, run with plain node. */
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {openStore} from '../../source/store/store.js';
import {appModule, bundleModule} from '../helpers/bundle.js';
import {GATE_SOURCE, startHeld} from '../helpers/held-child.js';
import {runCli, runCliAsync} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';
import {skipBecause} from '../helpers/skips.js';

describe('the store across processes', () => {
  it('lives under $XDG_CONFIG_HOME/sd-drill when no folder is set', (ctx) => {
    if (process.platform !== 'linux') skipBecause(ctx, 'XDG_CONFIG_HOME is where Linux keeps it');
    const xdg = tempDir('proc');
    const home = tempDir('proc');
    const r = runCli(['custody', 'add', '--from', 'Alice', '--to', 'Bob'], {
      env: {XDG_CONFIG_HOME: xdg, HOME: home, SD_DRILL_CONFIG_DIR: ''},
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = join(xdg, 'sd-drill', 'custody.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      custody: [{from: 'Alice', to: 'Bob'}],
    });
    const list = runCli(['custody', 'list', '--json'], {
      env: {XDG_CONFIG_HOME: xdg, HOME: home, SD_DRILL_CONFIG_DIR: ''},
    });
    expect(JSON.parse(list.stdout)).toMatchObject({
      store: join(xdg, 'sd-drill'),
      custody: [{from: 'Alice'}],
    });
  });

  it('loses nothing when four sd-drill processes add hand-offs at once (4 × 3)', async () => {
    const dir = tempDir('proc');
    const env = {SD_DRILL_CONFIG_DIR: dir};
    const worker = async (w: number): Promise<number[]> => {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await runCliAsync(
          ['custody', 'add', '--from', `w${w}`, '--to', `n${i}`, '--note', `${w}/${i}`],
          {env},
        );
        codes.push(r.code);
      }
      return codes;
    };
    const codes = (await Promise.all([0, 1, 2, 3].map(worker))).flat();
    expect(codes.every((c) => c === 0)).toBe(true);
    const list = runCli(['custody', 'list', '--json'], {env});
    const notes = (JSON.parse(list.stdout) as {custody: Array<{note: string}>}).custody.map(
      (c) => c.note,
    );
    expect(notes.sort()).toEqual(
      [0, 1, 2, 3].flatMap((w) => [0, 1, 2].map((i) => `${w}/${i}`)).sort(),
    );
    expect(statSync(join(dir, 'custody.json')).mode & 0o777).toBe(0o600);
  }, 120_000);

  it('loses nothing when four processes, let go together, each add 40 hand-offs as fast as they can', async () => {
    // The store's own code in four processes held until all are loaded, then let go at once:
    // 160 read-modify-writes contending for the lock, without 160 process starts.
    const dir = tempDir('proc');
    const script = join(tempDir('proc-adder'), 'adder.mjs');
    await bundleModule(script, [
      `import {openStore} from ${appModule('source/store/store.ts')};`,
      ...GATE_SOURCE,
      'const [dir, w] = process.argv.slice(2);',
      "gate('loaded');",
      'const store = openStore({dir});',
      'let failed = 0;',
      'for (let i = 0; i < 40; i++) {',
      '  const r = store.addCustody({from: `w${w}`, to: `n${i}`, fingerprint: null, note: `${w}/${i}`});',
      '  if (!r.ok) failed++;',
      '}',
      'console.log(`done ${failed} failed`);',
    ]);
    const adders = [0, 1, 2, 3].map((w) => startHeld(script, [dir, String(w)]));
    expect(await Promise.all(adders.map((a) => a.next()))).toEqual(adders.map(() => 'at loaded'));
    for (const a of adders) a.go();
    expect(await Promise.all(adders.map((a) => a.next()))).toEqual(
      adders.map(() => 'done 0 failed'),
    );
    const notes = openStore({dir})
      .custody()
      .map((c) => c.note);
    expect(notes).toHaveLength(160);
    expect(new Set(notes).size).toBe(160);
    expect(statSync(join(dir, 'custody.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((n) => /\.tmp|\.lock/.test(n))).toEqual([]);
  }, 120_000);

  it('a damaged store is set aside with one warning line, and the command still works', () => {
    const dir = tempDir('proc');
    const env = {SD_DRILL_CONFIG_DIR: dir};
    runCli(['custody', 'add', '--from', 'a', '--to', 'b'], {env});
    // simulate a torn or hand-mangled file
    const file = join(dir, 'custody.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, 20));
    const r = runCli(['custody', 'list'], {env});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No hand-offs recorded yet');
    const warnings = r.stderr.split('\n').filter(Boolean);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^sd-drill: warning: .*custody\.json: the custody log could not be used because it is not valid JSON; set aside as .*custody\.json\.corrupt-/,
    );
    expect(runCli(['custody', 'add', '--from', 'c', '--to', 'd'], {env}).code).toBe(0);
  });
});
