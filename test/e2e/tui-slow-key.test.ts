/**
 * A key that takes seconds to open — PBKDF2 at 10,000,000 iterations, the most sd-drill accepts
 * (source/domain/key-kdf.ts) — never holds the keyboard: the derivation runs off the thread the
 * screen reads keys on, so Ctrl-C asks its question while the key is still opening, and y ends the
 * drill with the share never taken. (Were the derivation on that thread, the question could only
 * come after the share was accepted.)
 */
import {cpSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {onlyReport} from '../helpers/files.js';
import {openssl} from '../helpers/keys.js';
import {demoCer, demoKey, demoPassphrase, demoSd, demoSticks} from '../helpers/paths.js';
import {tempDir} from '../helpers/temp.js';
import {
  exitCode,
  identify,
  insert,
  passphrase,
  present,
  startApp,
  toCollect,
  tuiSuite,
} from '../helpers/tui.js';

tuiSuite('a key that is slow to open', () => {
  it('Ctrl-C while a 10,000,000-iteration key opens: the question comes before the share, and y aborts without it', async () => {
    const media = tempDir('e2e-slow-key');
    cpSync(join(demoSticks, 'bob'), join(media, 'bob'), {recursive: true});
    mkdirSync(join(media, 'alice'));
    const pass = `pass:${demoPassphrase('alice')}`;
    // alice's own key, encrypted as openssl would with the highest count sd-drill opens.
    openssl([
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-256-cbc',
      '-v2prf',
      'hmacWithSHA256',
      '-iter',
      '10000000',
      '-in',
      demoKey('alice'),
      '-passin',
      pass,
      '-passout',
      pass,
      '-out',
      join(media, 'alice', 'alice.key'),
    ]);
    cpSync(demoCer('alice'), join(media, 'alice', 'alice.cer'));

    const {p, reports} = startApp('slow-key', ['drill', '--sd', demoSd, '--media', media]);
    await toCollect(p);
    await present(p, 'bob', 'Bob Brown', 'Operations');
    await insert(p, 'alice');
    await identify(p, 'Alice Ng', 'Security Architect');
    await passphrase(p, demoPassphrase('alice'));
    await p.waitFor('Opening the share of');
    await p.keys('C-c');
    const asked = await p.waitFor('Abort the drill?');
    expect(asked).not.toShow(/alice .* share accepted/);
    await p.keys('y');
    await p.waitFor('Verdict: ABORTED');
    await p.waitFor('Report saved');
    await p.keys('q');
    expect(await exitCode(p)).toBe('1');
    const report = onlyReport<{
      verdict: string;
      participants: Array<{holderIndex: number; outcome: string}>;
    }>(reports);
    expect(report.verdict).toBe('aborted');
    // Bob's share was taken; alice's never was.
    const outcome = (i: number) => report.participants.find((x) => x.holderIndex === i)?.outcome;
    expect(outcome(2)).toBe('accepted');
    expect(outcome(1)).not.toBe('accepted');
  }, 120_000);
});
