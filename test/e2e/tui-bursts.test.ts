/**
 * Input as real terminals deliver it, on the built bundle in tmux (`CI=false`): a name, a role
 * and a passphrase each arriving with its Enter in one read (`tmux send-keys "Alice Ng"
 * Enter`, as a paste, a password manager or a fast typist over ssh sends them), a passphrase
 * pasted with its trailing newline, a bracketed paste, and a passphrase outside ASCII typed
 * with a Backspace over a two-byte character. Every one is accepted on the first try.
 */
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {onlyReport} from '../helpers/files.js';
import {bundle, fixturesDir} from '../helpers/paths.js';
import {tempDir} from '../helpers/temp.js';
import {
  answerFirstPin,
  exitCode,
  identify,
  insert,
  passphrase,
  present,
  removeStick,
  shownAnywhere,
  startApp,
  toCollect,
  toReport,
  tuiSuite,
} from '../helpers/tui.js';

interface ReportJson {
  verdict: string;
  participants: Array<{
    holderName: string | null;
    custodian: string | null;
    role: string | null;
    outcome: string;
    passphraseFailures: number;
  }>;
}

/** The interactive drill on `sd` with folder sticks under `media`, its own store and reports. */
const startDrill = (sd: string, media: string) =>
  startApp('bursts', ['drill', '--sd', sd, '--media', media]);

tuiSuite('input in bursts, in a real terminal', () => {
  it('names, roles and passphrases sent with their Enter in one read, pasted, or bracketed: all first try', async () => {
    const demo = join(fixturesDir, 'demo');
    const {p, reports} = startDrill(join(demo, 'security-domain.json'), join(demo, 'sticks'));
    await toCollect(p);

    // Alice: name, role and passphrase each as `send-keys "…" Enter`.
    await insert(p, 'alice');
    await p.waitFor('Your name:');
    await p.burst('Alice Ng');
    // The name was taken whole: no carriage return in it, the role asked next, not drawn over.
    const role = await p.waitFor('Your role:');
    expect(role).not.toMatch(/Your name:|our name:/);
    await p.burst('Security Architect');
    await p.waitFor('Alice Ng, Security Architect: press y to acknowledge');
    await p.keys('y');
    await passphrase(p, 'alice-practice-only', {burst: true});
    await removeStick(p, 'alice');

    // Bob: his passphrase pasted from a password manager, with its trailing newline.
    await insert(p, 'bob');
    await identify(p, 'Bob Brown', 'Operations', {burst: true});
    await p.waitFor(/Passphrase: ▌/);
    await p.paste('bob-practice-only\n');
    await removeStick(p, 'bob');

    // Carol: a bracketed paste (what a terminal in paste mode sends), newline inside it.
    await insert(p, 'carol');
    await identify(p, 'Carol Chu', 'Audit', {burst: true});
    await p.waitFor(/Passphrase: ▌/);
    await p.text('\u001B[200~carol-practice-only\r\u001B[201~');
    await removeStick(p, 'carol');

    await p.waitFor('Quorum reached: press r');
    expect(p.flat()).not.toMatch(/Wrong passphrase/);
    await p.keys('r');
    await answerFirstPin(p);
    await p.waitFor('Report saved');
    const report = onlyReport<ReportJson>(reports);
    expect(report.verdict).toBe('pass');
    expect(
      report.participants
        .filter((x) => x.outcome === 'accepted')
        .map((x) => [x.custodian, x.role, x.passphraseFailures]),
    ).toEqual([
      ['Alice Ng', 'Security Architect', 0],
      ['Bob Brown', 'Operations', 0],
      ['Carol Chu', 'Audit', 0],
    ]);
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');
    expect(
      shownAnywhere(p, ['alice-practice-only', 'bob-practice-only', 'carol-practice-only']),
    ).toEqual([]);
  }, 120_000);

  it('a passphrase outside ASCII (Grüße-é), corrected with Backspace over ü, opens its key first try', async () => {
    // A domain whose first holder's key is encrypted under a non-ASCII passphrase, made by
    // `sd-drill init --passphrase-file` as a holder would make it.
    const work = tempDir('e2e-utf8');
    const passphrases = join(work, 'passphrases.txt');
    writeFileSync(passphrases, 'Grüße-é\nben-pass-2\ncem-pass-3\n');
    const made = spawnSync(
      process.execPath,
      [
        bundle,
        'init',
        ...['--out', join(work, 'hsm'), '--holders', '3', '--quorum', '2'],
        ...['--holder-names', 'ana,ben,cem', '--key-bits', '2048', '--keys', '3'],
        ...['--passphrase-file', passphrases],
      ],
      {encoding: 'utf8'},
    );
    expect(made.status, made.stderr).toBe(0);
    const {p, reports} = startDrill(
      join(work, 'hsm', 'security-domain.json'),
      join(work, 'hsm', 'sticks'),
    );
    await toCollect(p);

    await insert(p, 'ana');
    await identify(p, 'Ana Müller', 'Sicherheit', {burst: true});
    await p.waitFor(/Passphrase: ▌/);
    // One key at a time, as typed: ü (two bytes) is one dot and one Backspace.
    for (const ch of 'Grüße-ü') await p.text(ch);
    await p.waitFor(`Passphrase: ${'•'.repeat(7)}▌`);
    await p.keys('BSpace');
    await p.waitFor(`Passphrase: ${'•'.repeat(6)}▌`);
    await p.text('é');
    await p.waitFor(`Passphrase: ${'•'.repeat(7)}▌`);
    await p.keys('Enter');
    await removeStick(p, 'ana');

    // Ben sends his in one burst.
    await present(p, 'ben', 'Ben Øster', 'Drift', {passphrase: 'ben-pass-2', burst: true});

    await toReport(p);
    const report = onlyReport<ReportJson>(reports);
    expect(report.verdict).toBe('pass');
    expect(
      report.participants
        .filter((x) => x.outcome === 'accepted')
        .map((x) => [x.holderName, x.custodian, x.passphraseFailures]),
    ).toEqual([
      ['ana', 'Ana Müller', 0],
      ['ben', 'Ben Øster', 0],
    ]);
    expect(shownAnywhere(p, ['Grüße', 'ben-pass-2'])).toEqual([]);
  }, 120_000);
});
