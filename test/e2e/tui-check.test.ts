/**
 * The solo use, "Check my key (one holder)", on the built bundle in tmux (`CI=false`, 80×24):
 * a holder alone chooses it on the start screen, inserts their stick, types their passphrase
 * and reads the result; writes their attestation to the stick for the lead, who imports it.
 * A wrong passphrase three times, and a file whose slot was swapped, fail with their own line
 * and the exit code says so. The keys a holder presses are counted: their turn's figure.
 */
import {cpSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {sealShare} from '../../source/domain/azure/writer.js';
import {loadCertificate} from '../../source/domain/key-file.js';
import {openDomainFile} from '../../source/domain/open.js';
import {presentKeyFile} from '../../source/domain/present-key.js';
import {azureVectorsDir, demoSd, demoSticks} from '../helpers/paths.js';
import {keyArgs, runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';
import {
  choose,
  exitCode,
  insert,
  passphrase,
  shownAnywhere,
  startApp,
  tooWide,
  tuiSuite,
} from '../helpers/tui.js';
import {readJson, writeJson} from '../commands/check-kit.js';

const HOLDERS = ['alice', 'bob', 'carol', 'dave', 'erin'];

/** A store in which `verify --all` proved every demo share. */
function provenDemoStore(): string {
  const store = join(tempDir('e2e-check-store'), 'store');
  const pass = join(store, '..', 'all.pass');
  writeFileSync(pass, `${HOLDERS.map((h) => `${h}-practice-only`).join('\n')}\n`);
  const keys = HOLDERS.map((h) => join(demoSticks, h, `${h}.key`));
  const r = runCli(
    ['verify', '--all', '--sd', demoSd, ...keyArgs(...keys), '--passphrase-file', pass],
    {
      env: {SD_DRILL_CONFIG_DIR: store},
    },
  );
  expect(r.code, r.stderr).toBe(0);
  return store;
}

tuiSuite('"Check my key": one holder, alone, in a real terminal', () => {
  it('start → insert stick → passphrase → PASS; the attestation goes onto the stick and the lead imports it', async () => {
    const store = provenDemoStore();
    const media = tempDir('e2e-check-sticks');
    for (const h of ['carol', 'dave'])
      cpSync(join(demoSticks, h), join(media, h), {recursive: true});
    const {p} = startApp('check', ['--sd', demoSd, '--media', media], {
      env: {SD_DRILL_CONFIG_DIR: store},
    });

    await p.waitFor('What is this session for?');
    let keys = 0;
    const counted = async (...k: string[]) => {
      keys += k.length;
      await p.keys(...k);
    };
    // The sixth entry, reached with the arrows as a person would (6 would pick it at once).
    await choose(p, 'Check my key (one holder)');
    await p.waitFor('Insert your stick');
    expect(p.flat()).toMatch(/demo-hsm · sd-drill simulated HSM · 5 holders/);
    expect(tooWide(p.capture())).toEqual([]);

    // The holder's turn starts here: the stick, the passphrase, the attestation.
    await insert(p, 'carol');
    keys += 1;
    await p.waitFor('Type the passphrase of your key (carol.key on stick carol). Try 1 of 3.');
    await passphrase(p, 'carol-practice-only');
    keys += 'carol-practice-only'.length + 1;
    await p.waitFor('✓ PASS');
    expect(p.flat()).toMatch(
      /✓ PASS — your key and passphrase open holder 3's share \(carol\) of .*security-domain\.json — the share proven by verify --all on \d{4}-\d\d-\d\d/,
    );
    expect(p.flat()).toMatch(
      /Recorded on this machine as your last proof\. Nothing secret was written/,
    );
    await p.waitFor('for the ceremony lead to stick carol? y / n');
    await counted('y');
    await p.waitFor('Attestation written:');
    expect(tooWide(p.capture())).toEqual([]);
    // stick + passphrase (typed) + Enter + y: what a holder's turn takes.
    expect(keys).toBeLessThanOrEqual(1 + 'carol-practice-only'.length + 1 + 1);

    const written = readdirSync(join(media, 'carol')).filter((f) =>
      f.startsWith('sd-drill-attestation-holder-3-'),
    );
    expect(written).toHaveLength(1);
    const lead = runCli(
      ['check', '--sd', demoSd, '--import', join(media, 'carol', written[0] ?? '')],
      {
        env: {SD_DRILL_CONFIG_DIR: join(tempDir('e2e-check-lead'), 'store')},
      },
    );
    expect(lead.code, lead.stderr).toBe(0);
    expect(lead.stdout).toMatch(/✓ .*holder 3 \(carol\) proved their key on/);

    // Another holder at the same machine: three wrong passphrases, and the check fails.
    await p.keys('Enter');
    await insert(p, 'dave');
    for (const n of [1, 2, 3]) {
      await p.waitFor(`Try ${n} of 3.`);
      await passphrase(p, `not-daves-${n}`);
    }
    await p.waitFor('✗ FAIL');
    expect(p.flat()).toMatch(/✗ FAIL — the passphrase does not open .*dave\.key/);
    await p.keys('q');
    expect(await exitCode(p)).toBe('1');
    expect(shownAnywhere(p, ['carol-practice-only', 'not-daves-1'])).toEqual([]);
  }, 120_000);

  it('--mode check on the Azure vectors: a swapped slot fails with its own line (exit 1)', async () => {
    const store = join(tempDir('e2e-check-az-store'), 'store');
    const keys = [1, 2, 3].map((n) => join(azureVectorsDir, `sd${n}.pem`));
    const sd = join(azureVectorsDir, 'sdfile.json');
    const v = runCli(['verify', '--all', '--sd', sd, ...keyArgs(...keys)], {
      env: {SD_DRILL_CONFIG_DIR: store},
    });
    expect(v.code, v.stderr).toBe(0);
    // Holder 1's share sealed into sd2's slot, with sd2's certificate (public).
    const opened = openDomainFile(sd);
    if (!opened.ok) throw opened.error;
    const one = await presentKeyFile(opened.value.domain, keys[0] ?? '');
    if (!one.ok) throw one.error;
    const cert2 = loadCertificate(join(azureVectorsDir, 'sd2.cer'));
    if (!cert2.ok) throw cert2.error;
    const work = tempDir('e2e-check-az');
    const swapped = join(work, 'swapped.json');
    const doc = readJson<{SharedKeys: {enc_shares: Array<{enc_key: string; x5t_256: string}>}}>(sd);
    const slot = doc.SharedKeys.enc_shares.findIndex(
      (s) => Buffer.from(s.x5t_256, 'base64url').toString('hex') === cert2.value.certFingerprint,
    );
    (doc.SharedKeys.enc_shares[slot] as {enc_key: string}).enc_key = sealShare(
      cert2.value.publicKey,
      one.value.opened.secret,
    );
    writeJson(swapped, doc);
    const media = join(work, 'media');
    mkdirSync(join(media, 'stick-2'), {recursive: true});
    for (const f of ['sd2.pem', 'sd2.cer'])
      cpSync(join(azureVectorsDir, f), join(media, 'stick-2', f));

    const {p} = startApp('check-az', ['--mode', 'check', '--sd', swapped, '--media', media], {
      env: {SD_DRILL_CONFIG_DIR: store},
    });
    await p.waitFor('Insert your stick');
    expect(p.flat()).toMatch(/Azure Managed HSM · 3 holders/);
    await p.keys('Enter');
    // An unencrypted key: no passphrase to ask, the result at once.
    await p.waitFor('✗ FAIL');
    expect(p.flat()).toMatch(
      new RegExp(
        `✗ FAIL — your key opens holder ${slot + 1}'s share of .*swapped\\.json, but it is not the share proven by verify --all .* swapped — the file must not be trusted`,
      ),
    );
    expect(p.flat()).not.toMatch(/attestation/i);
    await p.keys('q');
    expect(await exitCode(p)).toBe('1');
  }, 120_000);
});
