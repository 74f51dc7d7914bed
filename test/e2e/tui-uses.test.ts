/**
 * The uses besides the rehearsal, on the built bundle in tmux (`CI=false`): a restore after a
 * purge from a real-format Azure security domain, its restore blob opened by the tests'
 * independent decoder (jose); and the idle timeout of a whole session with a share held.
 */
import {createPrivateKey} from 'node:crypto';
import {cpSync, mkdirSync, readFileSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {decodeRestoreBlobIndependently} from '../domain/azure/independent-decoder.js';
import {onlyReport, sha256File} from '../helpers/files.js';
import {demoSticks, fixturesDir} from '../helpers/paths.js';
import {tempDir} from '../helpers/temp.js';
import {
  exitCode,
  identify,
  insert,
  present,
  removeStick,
  shownAnywhere,
  startApp,
  toCollect,
  toReport,
  tuiSuite,
} from '../helpers/tui.js';

const azure = join(fixturesDir, 'azure');
const demo = join(fixturesDir, 'demo');

interface ReportJson {
  scope: {exchangeCertificate?: {x5t256: string; sha256: string} | null};
  verdict: string;
  verdictReason: string;
  participants: Array<{holderIndex: number; custodian: string | null; matchedBy: string | null}>;
  restore: {
    blobs: Array<{tag: string; bytes: number; sha256: string}>;
    restoreBlobFile: string | null;
    restoreBlob?: {x5t256: string; sha256: string} | null;
    verified: boolean;
  } | null;
}

/** A restore after a purge from the Azure fixture, sticks under `media`, the blob to `out`. */
function startRestore(media: string) {
  const out = join(tempDir('e2e-restore-out'), 'restore-blob.json');
  const app = startApp('uses', [
    'drill',
    ...['--mode', 'restore', '--sd', join(azure, 'security-domain.json')],
    ...['--exchange-key', join(azure, 'exchange', 'exchange.pem'), '--restore-blob-out', out],
    ...['--media', media],
  ]);
  return {...app, out};
}

/** Who presented, as [holder, custodian, how their key was matched]. */
const custodians = (report: ReportJson) =>
  report.participants
    .filter((x) => x.custodian)
    .map((x) => [x.holderIndex, x.custodian, x.matchedBy]);

tuiSuite('restore and the idle timeout in a real terminal', () => {
  it('restore mode on an Azure domain, TMPDIR over 100 characters: writes a restore blob the independent decoder opens', async (ctx) => {
    // A private temporary folder with a long name, as a careful CI or a user's $TMPDIR has it:
    // the blob's path on screen is wider than the pane, and must still be shown whole.
    const long = join(tmpdir(), `a-private-temporary-folder-${'with-a-long-name-'.repeat(5)}`);
    mkdirSync(long);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = long;
    ctx.onTestFinished(() => {
      process.env.TMPDIR = saved;
    });
    expect(tmpdir().length).toBeGreaterThan(100);
    const expected = JSON.parse(readFileSync(join(azure, 'expected.json'), 'utf8')) as {
      blobs: Array<{tag: string; bytes: number; sha256: string}>;
      exchange: {x5t_256: string};
    };
    const media = tempDir('e2e-azure-sticks');
    // Holder 1: a plain key; holder 2: an encrypted one; each with its certificate beside it.
    // (Keys without their certificate: the next test.)
    for (const h of ['1', '2']) {
      mkdirSync(join(media, `stick-${h}`));
      for (const f of [`holder${h}.pem`, `holder${h}.cer`])
        cpSync(join(azure, 'holders', f), join(media, `stick-${h}`, f));
    }
    const {p, reports, out} = startRestore(media);
    // Wider than the 80-column pane: on screen it can only be shown wrapped.
    expect(out.length).toBeGreaterThan(80);

    await p.waitFor('Press Enter when the holders are ready');
    expect(p.capture()).toShow(/Restore after a purge .* quorum 2 of 3/);
    await p.keys('Enter');
    // The operator's new HSM, named by the certificate init-recovery wrote: its x5t#S256.
    await p.waitFor(`The restore blob for it will be written to ${out}`);
    expect(p.capture()).toShow(`x5t#S256 ${expected.exchange.x5t_256}`);
    await p.keys('Enter');
    await p.waitFor('Sticks present');

    // A plain key: no passphrase asked, the share opens at once.
    await present(p, 'stick-1', 'Ivo Petrov', 'Key custodian', {passphrase: null, burst: true});
    await present(p, 'stick-2', 'Hana Sato', 'Key custodian', {
      passphrase: 'drill-passphrase',
      burst: true,
    });

    await toReport(p);
    const shown = p.capture();
    expect(shown).toShow(/Verdict: PASS/);
    expect(shown).toShow(`Restore blob for your new HSM: ${out}`);
    expect(shown).toShow(`for exchange certificate x5t#S256 ${expected.exchange.x5t_256}`);
    expect(shown).toShow(
      'Rehearsed into a simulated HSM (its own exchange key): 3 of 3 blobs verified.',
    );
    // The report's path stays in view; what does not fit above it scrolls, and says so.
    expect(shown).toShow(/Report saved: \S+\.md and \.json/);
    const upload = `az keyvault security-domain upload --hsm-name <HSM-NAME> --sd-file ${out} --restore-blob`;
    // At 80×24 with this long a path, the upload command is below: ↓ brings it into view.
    expect(shown).toShow(/↓ \d more below/);
    await p.keys('Down', 'Down', 'Down', 'Down');
    await p.waitFor(upload);
    // Nothing claims the operator's HSM was restored, nor that a fresh exchange key was used.
    expect(shown).not.toShow(/restored into the new HSM/);
    expect(shownAnywhere(p, ['fresh exchange key'])).toEqual([]);

    // The blob: 0600, wrapped to the exchange key, and every plaintext as the fixture made it.
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const exchangeKey = createPrivateKey(readFileSync(join(azure, 'exchange', 'exchange.key')));
    const opened = await decodeRestoreBlobIndependently(readFileSync(out, 'utf8'), exchangeKey);
    expect(opened.x5t256).toBe(expected.exchange.x5t_256);
    expect(opened.blobs.map(({tag, bytes, sha256}) => ({tag, bytes, sha256}))).toEqual(
      expected.blobs,
    );
    const report = onlyReport<ReportJson>(reports);
    expect(report.verdict).toBe('pass');
    expect(report.restore?.restoreBlobFile).toBe(out);
    // The report ties itself to the blob: its exchange thumbprint is the blob's WrappedKey.x5t_256.
    expect(report.scope.exchangeCertificate?.x5t256).toBe(opened.x5t256);
    expect(report.restore?.restoreBlob?.x5t256).toBe(opened.x5t256);
    expect(report.restore?.restoreBlob?.sha256).toBe(sha256File(out));
    expect(report.restore?.blobs).toEqual(expected.blobs);
    expect(custodians(report)).toEqual([
      [1, 'Ivo Petrov', 'certificate'],
      [2, 'Hana Sato', 'certificate'],
    ]);
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');
    expect(shownAnywhere(p, ['drill-passphrase'])).toEqual([]);
  }, 120_000);

  it('restore mode matches keys whose .cer is missing the way verify does: by trial decryption', async () => {
    const expected = JSON.parse(readFileSync(join(azure, 'expected.json'), 'utf8')) as {
      blobs: Array<{tag: string; bytes: number; sha256: string}>;
    };
    const media = tempDir('e2e-azure-nocert');
    // Holder 3: a plain key, its certificate kept elsewhere. Holder 2: an encrypted key
    // without its certificate: whose it is shows only once its passphrase unlocks it.
    mkdirSync(join(media, 'stick-3'));
    cpSync(join(azure, 'holders', 'holder3.pem'), join(media, 'stick-3', 'holder3.pem'));
    mkdirSync(join(media, 'stick-2'));
    cpSync(join(azure, 'holders', 'holder2.pem'), join(media, 'stick-2', 'holder2.pem'));
    const {p, reports} = startRestore(media);
    await p.waitFor('Press Enter when the holders are ready');
    await p.keys('Enter');
    await p.waitFor('will be written to');
    await p.keys('Enter');
    await p.waitFor('Sticks present');

    await insert(p, 'stick-3');
    await p.waitFor('Your name:');
    expect(p.capture()).not.toShow(/not one of this domain's wrapping keys/);
    await identify(p, 'Ola Berg', 'Key custodian', {burst: true, passphrase: false});
    await removeStick(p, 'stick-3');

    await insert(p, 'stick-2');
    await p.waitFor('type its passphrase to identify it');
    await p.burst('drill-passphrase');
    // The passphrase typed to identify the key opens the share too: none asked after.
    await identify(p, 'Hana Sato', 'Key custodian', {burst: true, passphrase: false});
    await removeStick(p, 'stick-2');

    await toReport(p);
    expect(p.capture()).toShow(/Verdict: PASS/);
    const report = onlyReport<ReportJson>(reports);
    expect(report.verdict).toBe('pass');
    expect(report.restore?.blobs).toEqual(expected.blobs);
    expect(custodians(report)).toEqual([
      [2, 'Hana Sato', 'trial-decryption'],
      [3, 'Ola Berg', 'trial-decryption'],
    ]);
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');
  }, 120_000);

  it('left idle with a share held (--idle-minutes 0.05): shares wiped, drill recorded as aborted', async () => {
    const {p, reports} = startApp('uses', [
      'drill',
      ...['--sd', join(demo, 'security-domain.json'), '--media', demoSticks],
      ...['--idle-minutes', '0.05'],
    ]);
    await toCollect(p);
    await present(p, 'alice', 'Alice Ng', 'Security Architect', {burst: true, remove: false});
    // Nobody touches a key: within a tick or two of the 3-second limit the drill ends.
    await p.waitFor('Verdict: ABORTED', 60_000);
    await p.waitFor('Report saved');
    expect(p.capture()).toShow(
      /Verdict: ABORTED — idle for more than 3 seconds with shares held: the shares were wiped/,
    );
    const report = onlyReport<ReportJson>(reports);
    expect(report.verdict).toBe('aborted');
    expect(report.verdictReason).toBe(
      'idle for more than 3 seconds with shares held: the shares were wiped',
    );
    expect(report.participants.find((x) => x.holderIndex === 1)?.custodian).toBe('Alice Ng');
    await p.keys('q');
    expect(await exitCode(p)).toBe('1');
  }, 120_000);
});
