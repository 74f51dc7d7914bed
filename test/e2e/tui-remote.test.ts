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
/** Carol's certificate fingerprint (fixtures/demo), as the holder registry keys it. */
const CAROL_FP = 'b4f48ccd84e7e6844c6c606bc979464d7a5caf07eca92f0fabe4050966cc67c9';

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
    // Who is called: nobody is registered for carol's key, so the operator names them.
    await p.waitFor('Who keeps the key of carol (holder 3), at the other site?');
    await p.waitFor('Their name:');
    await p.burst('Carol Diaz');
    await p.waitFor('Their role:');
    await p.burst('Key custodian');
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
      participants: Array<{
        holderIndex: number;
        custodian: string | null;
        role: string | null;
        remote?: boolean;
        contribution?: unknown;
      }>;
    }>(reports);
    expect(report.verdict).toBe('pass');
    const row = report.participants.find((x) => x.holderIndex === 3);
    expect(row).toMatchObject({
      custodian: 'Carol Diaz',
      role: 'Key custodian',
      remote: true,
      contribution: {sha256: expect.any(String)},
    });
    // Nothing secret on any frame: the passphrases never showed.
    expect(shownAnywhere(p, ['practice-only'])).toEqual([]);
  }, 120_000);

  it('calls a registered holder to a folder typed after "a folder (type its path)…", and reads the answer by path', async () => {
    const media = tempDir('e2e-remote-folder-media');
    for (const h of ['alice', 'bob'])
      cpSync(join(demoSticks, h), join(media, h), {recursive: true});
    const exchange = tempDir('e2e-remote-exchange');
    const carol = tempDir('e2e-remote-folder-carol');
    const app = startApp('remote', ['drill', '--sd', demoSd, '--media', media]);
    const {p, reports} = app;
    const registered = await runCliAsync(
      [
        ...['holders', 'register', '--fingerprint', CAROL_FP],
        ...['--custodian', 'Carol Diaz', '--role', 'Key custodian'],
      ],
      {env: {SD_DRILL_CONFIG_DIR: app.config}},
    );
    expect(registered.code, registered.stderr).toBe(0);
    await toCollect(p);
    await p.keys('c');
    await p.waitFor('Holder at another site');
    await p.keys('Enter');
    await choose(p, '3 carol');
    // Registered: one key calls her.
    await p.waitFor('The holder registry has Carol Diaz, Key custodian');
    await p.keys('y');
    await p.waitFor('Write the request for carol (holder 3) to');
    // The last choice: before, it showed a ✔ and then nothing, and typing did nothing.
    await choose(p, 'a folder (type its path)');
    await p.waitFor('Folder for the request to carol (holder 3):');
    await p.text(exchange);
    await p.waitFor(exchange);
    await p.keys('Enter');
    const called = await p.waitFor(/remote — waiting\s+code (\w{4}-\w{4}-\w{4}-\w{4}-\w{4})/);
    const code = /code (\w{4}-\w{4}-\w{4}-\w{4}-\w{4})/.exec(called)?.[1] ?? '';
    const request = readdirSync(exchange).find((n) => n.startsWith('sd-drill-request-holder-3-'));
    expect(request, `the request in ${exchange}`).toBeDefined();

    writeFileSync(join(carol, 'pass'), `${pass('carol')}\n`, {mode: 0o600});
    const answer = join(carol, 'contribution.json');
    const answered = await runCliAsync([
      ...['contribute', '--request', join(exchange, request as string), '--sd', demoSd],
      ...[
        '--key',
        join(demoSticks, 'carol', 'carol.key'),
        '--passphrase-file',
        join(carol, 'pass'),
      ],
      ...['--out', answer, '--expect-code', code],
    ]);
    expect(answered.code, answered.stderr).toBe(0);
    await p.keys('c');
    await p.waitFor('Holder at another site');
    await choose(p, 'Read a contribution file');
    await p.waitFor('Path of the contribution file:');
    await p.burst(answer);
    await p.waitFor(/Contribution of carol \(holder 3\) accepted \(remote\)/);

    await present(p, 'alice', 'Alice Ng', 'Key custodian');
    await present(p, 'bob', 'Bob Brown', 'Key custodian');
    await p.waitFor('Quorum reached: press r');
    await p.keys('r');
    await answerFirstPin(p);
    await p.waitFor('Report saved');
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');
    const report = onlyReport<{
      participants: Array<{holderIndex: number; custodian: string | null; remote?: boolean}>;
    }>(reports);
    expect(report.participants.find((x) => x.holderIndex === 3)).toMatchObject({
      custodian: 'Carol Diaz',
      remote: true,
    });
  }, 120_000);
});
