/**
 * A holder at another site, in the TUI on the built bundle in a real pty (tmux, 80×24,
 * CI=false): the operator calls Carol (`c`), the request goes onto a courier stick and its code
 * onto the holder list; Carol's machine (a separate `sd-drill contribute`) answers; the courier
 * stick comes back, the contribution is found on it by content and accepted; a second copy
 * is refused; Alice and Bob present in person, and the drill passes with Carol marked remote.
 */
import {cpSync, mkdirSync, readdirSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {onlyReport} from '../helpers/files.js';
import {fixturesDir} from '../helpers/paths.js';
import {runCliAsync} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';
import {
  answerFirstPin,
  choose,
  exitCode,
  insert,
  present,
  removeStick,
  shownAnywhere,
  startApp,
  toCollect,
  tooWide,
  tuiSuite,
} from '../helpers/tui.js';

const demoSd = join(fixturesDir, 'demo', 'security-domain.json');
const demoSticks = join(fixturesDir, 'demo', 'sticks');
const pass = (h: string): string => `${h}-practice-only`;

tuiSuite('a holder at another site, in the TUI', () => {
  it('calls Carol, takes her contribution from a courier stick, and passes', async () => {
    const media = tempDir('e2e-remote-media');
    for (const h of ['alice', 'bob'])
      cpSync(join(demoSticks, h), join(media, h), {recursive: true});
    const courier = join(media, 'courier');
    mkdirSync(courier);
    const carol = tempDir('e2e-remote-carol');
    const {p, reports} = startApp('remote', ['drill', '--sd', demoSd, '--media', media]);
    await toCollect(p);
    await p.waitFor('c remote');
    await p.keys('c');
    await p.waitFor('Holder at another site');
    await p.keys('Enter');
    await p.waitFor('Which holder is at another site?');
    await choose(p, '3 carol');
    await p.waitFor('Write the request for carol (holder 3) to');
    await choose(p, 'stick courier');
    const called = await p.waitFor(/remote — waiting\s+code (\w{4}-\w{4}-\w{4}-\w{4}-\w{4})/);
    const code = /code (\w{4}-\w{4}-\w{4}-\w{4}-\w{4})/.exec(called)?.[1];
    expect(tooWide(p.capture({join: true}))).toEqual([]);

    // Carol's machine: the request came on the courier stick; she answers, the answer goes back.
    const request = readdirSync(courier).find((n) => n.startsWith('sd-drill-request-holder-3-'));
    expect(request).toBeDefined();
    writeFileSync(join(carol, 'pass'), `${pass('carol')}\n`, {mode: 0o600});
    const answered = await runCliAsync([
      'contribute',
      '--request',
      join(courier, request as string),
      '--sd',
      demoSd,
      '--key',
      join(demoSticks, 'carol', 'carol.key'),
      '--passphrase-file',
      join(carol, 'pass'),
      '--out',
      join(carol, 'contribution.json'),
      '--expect-code',
      (code ?? '').toLowerCase().replace(/-/g, ' '),
    ]);
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stdout).toContain(`Code ${code} confirmed (it matches --expect-code)`);
    renameSync(join(carol, 'contribution.json'), join(courier, 'contribution-carol.json'));

    await insert(p, 'courier');
    await p.waitFor(/Contribution of carol \(holder 3\) accepted \(remote\)/);
    const accepted = p.flat();
    expect(accepted).toMatch(/carol .* remote — accepted contribution/);
    expect(accepted).toMatch(/1 of 3/);
    expect(tooWide(p.capture({join: true}))).toEqual([]);
    await removeStick(p, 'courier');

    // The same stick again: the contribution on it was counted once already.
    await insert(p, 'courier');
    await p.waitFor(/is a second copy of the contribution already accepted from holder 3/);
    await removeStick(p, 'courier');

    await present(p, 'alice', 'Alice Ng', 'Key custodian');
    await present(p, 'bob', 'Bob Brown', 'Key custodian');
    await p.waitFor('Quorum reached: press r');
    await p.keys('r');
    await answerFirstPin(p);
    await p.waitFor('Verdict: PASS');
    await p.waitFor('Report saved');
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');

    const report = onlyReport<{
      verdict: string;
      participants: Array<{holderIndex: number; remote?: boolean; contribution?: unknown}>;
    }>(reports);
    expect(report.verdict).toBe('pass');
    const row = report.participants.find((x) => x.holderIndex === 3);
    expect(row).toMatchObject({remote: true, contribution: {sha256: expect.any(String)}});
    // Nothing secret on any frame: the passphrases never showed.
    expect(shownAnywhere(p, ['practice-only'])).toEqual([]);
  }, 120_000);
});
