/**
 * `sd-drill check` on native files, on the built bundle: a holder alone checks that their key
 * opens their true share — against the header `init` signed, the store's record of a proof,
 * a signed report — and every tamper case fails with its own line, never a pass: a bit or a
 * byte of the sealed share changed, another holder's share sealed into the slot, a share made
 * up from the certificate, a commitment changed in the store, in a report or in the header,
 * a report or a header signed by another key, the old file after a rotation. Nothing secret
 * is written, and a v2 file (before commitments) still opens and says what would record one.
 */
import {constants, createPrivateKey, privateDecrypt} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import type {NativeDomainFile} from '../../source/domain/native/schema.js';
import {demoKey, demoPassphrase, demoSd, fixturesDir} from '../helpers/paths.js';
import {leaks, leaksInFiles, secret} from '../helpers/leaks.js';
import {oaepLabel} from '../../source/domain/native/crypto.js';
import {keyArgs} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';
import {
  changeByte,
  cli,
  drillReport,
  editedCopy,
  expectFailure,
  expectPass,
  flipBit,
  forgeNative,
  readJson,
  reportSignedByAnotherKey,
  reportWithChangedCommitment,
  resealNative,
  resignHeader,
  rotateTwoOfThree,
} from './check-kit.js';

let made = '';
const sd = () => join(made, 'd', 'security-domain.json');
const key = (i: number) => join(made, 'd', 'sticks', `holder-${i}`, `holder-${i}.key`);
const doc = () => readJson<NativeDomainFile>(sd());

/** A work folder with its own store (and so its own proofs). */
const work = (): string => tempDir('check');
const copy = (w: string, name: string, edit: (d: NativeDomainFile) => void): string =>
  editedCopy<NativeDomainFile>(sd(), join(w, name), edit);

beforeAll(() => {
  made = tempDir('check-native');
  const r = cli(
    made,
    ...['init', '--out', join(made, 'd'), '--holders', '3', '--quorum', '2'],
    ...['--key-bits', '2048', '--no-passphrase', '--keys', '3'],
  );
  expect(r.code, r.stderr).toBe(0);
});

describe('a native file from init (version 3: commitments in the header)', () => {
  it('carries every holder’s commitment, signed by the report key its header pins', () => {
    const d = doc();
    expect(d.version).toBe(3);
    expect(d.commitments?.shares.map((s) => s.holder)).toEqual([1, 2, 3]);
    expect(d.commitments?.signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
  });

  it('each holder’s key opens their share, the one init wrote — and says nothing else vouches for the key', () => {
    const w = work();
    for (const i of [1, 2, 3]) {
      const r = cli(w, 'check', '--sd', sd(), '--key', key(i));
      expectPass(
        r,
        new RegExp(`holder ${i}'s share \\(holder-${i}\\) of .* — the share init wrote`),
      );
      expect(r.stdout).toMatch(
        /comes from the file itself and nothing on this machine confirms it/,
      );
    }
  });

  it('after verify --all records, the check names that proof; JSON says what agreed', () => {
    const w = work();
    expect(cli(w, 'verify', '--all', '--sd', sd(), ...keyArgs(key(1), key(2), key(3))).code).toBe(
      0,
    );
    const r = cli(w, 'check', '--sd', sd(), '--key', key(2), '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      ok: boolean;
      holder: {index: number};
      matched: Array<{source: string; by: string}>;
    };
    expect(j.ok).toBe(true);
    expect(j.holder.index).toBe(2);
    expect(j.matched.map((m) => `${m.source}:${m.by}`)).toEqual([
      'store:verify-all',
      'header:written',
    ]);
    const text = cli(w, 'check', '--sd', sd(), '--key', key(3));
    expectPass(text, /the share proven by verify --all on/);
    // This machine's own record matched: the header's unconfirmed key is not the anchor.
    expect(text.stdout).not.toMatch(/comes from the file itself/);
  });

  it('a stranger’s key opens no share', () => {
    const r = cli(work(), 'check', '--sd', sd(), '--key', join(fixturesDir, 'bad', 'stranger.key'));
    expectFailure(r, /opens no share of .*: it is not one of its 3 holders' keys/);
  });

  it('a bit or a byte of the holder’s sealed share changed: the share does not open', () => {
    const w = work();
    const bit = copy(w, 'bit.json', (d) => {
      const s = d.shares[1] as {ciphertext: string};
      s.ciphertext = flipBit(s.ciphertext, 'base64');
    });
    const byte = copy(w, 'byte.json', (d) => {
      const s = d.shares[1] as {ciphertext: string};
      s.ciphertext = changeByte(s.ciphertext, 'base64');
    });
    for (const f of [bit, byte])
      expectFailure(
        cli(w, 'check', '--sd', f, '--key', key(2)),
        /is the key of holder 2 \(holder-2\), but their sealed share .* does not open with it: .*do not trust this file/,
      );
  });

  it('another holder’s share sealed to this holder’s certificate: the slot was swapped', () => {
    const w = work();
    const f = copy(w, 'swapped.json', (d) => resealNative(d, 1, 2, key(1)));
    expectFailure(
      cli(w, 'check', '--sd', f, '--key', key(2)),
      /opens the sealed share in the slot of holder 2 .*it is another holder's.* the slot was swapped/,
    );
  });

  it('a share made up from the certificate alone (the right x): it is not the share committed to', () => {
    const w = work();
    const f = copy(w, 'forged.json', (d) => forgeNative(d, 2));
    expectFailure(
      cli(w, 'check', '--sd', f, '--key', key(2)),
      /your key opens holder 2's share \(holder-2\) of .* but it is not the share init wrote.*swapped — the file must not be trusted/,
    );
  });

  it('the header changed — a commitment, the generation, the holders — fails its signature', () => {
    const w = work();
    const edits: Array<(d: NativeDomainFile) => void> = [
      (d) => {
        const c = d.commitments?.shares[1];
        if (c) c.sha256 = c.sha256.replace(/^./, (x) => (x === 'a' ? 'b' : 'a'));
      },
      (d) => {
        d.domain.generation = 2;
      },
      (d) => {
        d.quorum.required = 3;
      },
    ];
    for (const [n, edit] of edits.entries())
      expectFailure(
        cli(w, 'check', '--sd', copy(w, `header-${n}.json`, edit), '--key', key(2)),
        /share commitments in its header do not verify .* the header was changed/,
      );
  });

  it('a header signed by another key is refused where the key is pinned: the store, --expect-key', () => {
    const w = work();
    const real = doc().domain.reportKey ?? '';
    const forged = copy(w, 'resigned.json', resignHeader);
    expectFailure(
      cli(w, 'check', '--sd', forged, '--key', key(2), '--expect-key', real),
      /not the key on record/,
    );
    // A drill of the real file pins its key here; then the forged header is caught from the store.
    drillReport(w, 'pin', sd(), [key(1), key(3)]);
    expectFailure(
      cli(w, 'check', '--sd', forged, '--key', key(2)),
      /report key|not the domain on record/,
    );
  });

  it('a commitment changed in the store: the share differs from the one proven', () => {
    const w = work();
    expect(cli(w, 'verify', '--sd', sd(), ...keyArgs(key(1), key(2))).code).toBe(0);
    const proofs = join(w, 'store', 'proofs.json');
    const p = readJson<{commitments: Array<{shares: Array<{holder: number; commitment: string}>}>}>(
      proofs,
    );
    const c = p.commitments[0]?.shares.find((s) => s.holder === 2);
    if (c) c.commitment = c.commitment.replace(/^./, (x) => (x === 'f' ? 'e' : 'f'));
    writeFileSync(proofs, JSON.stringify(p));
    expectFailure(
      cli(w, 'check', '--sd', sd(), '--key', key(2)),
      /but it is not the share proven by verify on .*this machine's store.*swapped/,
    );
  });
});

describe('against a drill report (--report)', () => {
  let w = '';
  let report = '';
  beforeAll(() => {
    w = tempDir('check-report');
    report = drillReport(w, 'drill', sd(), [key(1), key(3)]);
  });

  it('a passing drill’s report carries commitments of the shares it proved, signed', () => {
    const r = readJson<{
      commitments: Array<{shares: Array<{holder: number; commitment: string | null}>}>;
    }>(report);
    expect(r.commitments?.[0]?.shares.map((s) => s.commitment !== null)).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('holder 3, on another machine with no store, checks against the report: the drill named', () => {
    const id = readJson<{id: string}>(report).id;
    const r = cli(work(), 'check', '--sd', sd(), '--key', key(3), '--report', report);
    expectPass(
      r,
      new RegExp(`the share proven at the drill of \\d{4}-\\d\\d-\\d\\d \\(report ${id}\\)`),
    );
  });

  it('holder 2 was not in the drill: the report does not vouch for them, but the header still does', () => {
    expectPass(
      cli(work(), 'check', '--sd', sd(), '--key', key(2), '--report', report),
      /the share init wrote/,
    );
  });

  it('a commitment changed in the report: the report does not count', () => {
    const t = work();
    const changed = reportWithChangedCommitment(report, join(t, 'changed.json'), 3);
    expectFailure(
      cli(t, 'check', '--sd', sd(), '--key', key(3), '--report', changed),
      /does not count: the signature does not match the content/,
    );
  });

  it('a report signed by another key: refused, whatever its commitments say', () => {
    const t = work();
    const forged = reportSignedByAnotherKey(report, join(t, 'forged.json'), 3);
    expectFailure(
      cli(t, 'check', '--sd', sd(), '--key', key(3), '--report', forged),
      /does not count: .*signed by another key than this domain's/,
    );
  });
});

describe('older files and generations', () => {
  it('a version 2 file (the demo) opens; with nothing on record it says which run records one', () => {
    const w = work();
    const pass = join(w, 'carol.pass');
    writeFileSync(pass, `${demoPassphrase('carol')}\n`);
    const args = ['check', '--sd', demoSd, '--key', demoKey('carol'), '--passphrase-file', pass];
    expectFailure(
      cli(w, ...args),
      /open holder 3's share \(carol\) of .*, but no commitment on record says it is the one proven: .*a version 2 file, made before commitments.*verify --all --sd/,
    );
    const all = join(w, 'all.pass');
    writeFileSync(all, ['alice', 'bob', 'carol'].map(demoPassphrase).join('\n') + '\n');
    const v = cli(
      w,
      'verify',
      '--sd',
      demoSd,
      ...keyArgs(...['alice', 'bob', 'carol'].map(demoKey)),
      '--passphrase-file',
      all,
    );
    expect(v.stdout).toMatch(/Recorded the commitments of the shares of holders 1, 2, 3/);
    expectPass(cli(w, ...args), /the share proven by verify on/);
  });

  it('a wrong passphrase: the check fails saying so, and the passphrase is nowhere', () => {
    const w = work();
    const pass = join(w, 'wrong.pass');
    writeFileSync(pass, 'not-carols-at-all\n');
    const r = cli(w, 'check', '--sd', demoSd, '--key', demoKey('carol'), '--passphrase-file', pass);
    expectFailure(r, /the passphrase does not open/);
    expect(r.stderr + r.stdout).not.toContain('not-carols-at-all');
  });

  it('after a rotation is proven, the old file is the one to destroy', () => {
    const w = work();
    const next = join(w, 'next.json');
    const cers = [1, 2, 3].map((i) => key(i).replace(/\.key$/, '.cer'));
    rotateTwoOfThree(w, sd(), [key(1), key(2)], cers, next);
    expect(cli(w, 'verify', '--all', '--sd', next, ...keyArgs(key(1), key(2), key(3))).code).toBe(
      0,
    );
    expectPass(cli(w, 'check', '--sd', next, '--key', key(2)), /proven by verify --all/);
    expectFailure(
      cli(w, 'check', '--sd', sd(), '--key', key(2)),
      /open holder 2's share \(holder-2\) of .*, but that file is generation 1 of this domain and generation 2 was proven on .* the file from before a rotation/,
    );
  });
});

describe('what a check writes', () => {
  it('records the holder’s proof and never the share: no form of it in the store or the output', () => {
    const w = work();
    const r = cli(w, 'check', '--sd', sd(), '--key', key(1), '--json');
    expect(r.code, r.stderr).toBe(0);
    const proofs = readJson<{holders: Array<{holder: number; by: string}>}>(
      join(w, 'store', 'proofs.json'),
    );
    expect(proofs.holders).toEqual([expect.objectContaining({holder: 1, by: 'check'})]);
    const d = doc();
    const share = privateDecrypt(
      {
        key: createPrivateKey(readFileSync(key(1))),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        oaepLabel: oaepLabel(d.domain.id, 1),
      },
      Buffer.from(d.shares[0]?.ciphertext ?? '', 'base64'),
    );
    const found = [
      ...leaks(r.stdout + r.stderr, [secret('share', share)]),
      ...leaksInFiles([w], [secret('share', share)]),
    ];
    expect(found).toEqual([]);
    // The scan can find what it looks for: the share's hex in a file is a leak.
    writeFileSync(join(w, 'planted'), share.toString('hex'));
    expect(leaksInFiles([w], [secret('share', share)])).toHaveLength(1);
  });

  it('history and the holder registry show each holder’s last proof, and who is overdue', () => {
    const w = work();
    expect(cli(w, 'verify', '--sd', sd(), ...keyArgs(key(1), key(2))).code).toBe(0);
    expect(cli(w, 'check', '--sd', sd(), '--key', key(2)).code).toBe(0);
    const fp = doc().holders[1]?.certFingerprint ?? '';
    expect(
      cli(w, 'holders', 'register', '--fingerprint', fp, '--custodian', 'Bo Chen', '--role', 'SRE')
        .code,
    ).toBe(0);
    const h = cli(w, 'history', '--json');
    const j = JSON.parse(h.stdout) as {
      holders: Array<{
        holders: Array<{
          holder: number;
          custodian: string | null;
          lastProof: {by: string} | null;
          overdue: boolean;
        }>;
      }>;
    };
    expect(
      j.holders[0]?.holders.map((x) => [x.holder, x.custodian, x.lastProof?.by ?? null, x.overdue]),
    ).toEqual([
      [1, null, 'verify', false],
      [2, 'Bo Chen', 'check', false],
      [3, null, null, true],
    ]);
    expect(cli(w, 'history').stdout).toMatch(/! holder 3 \S+: no proof on record/);
    expect(cli(w, 'holders', 'list').stdout).toMatch(
      /Bo Chen, SRE .*\n\s+last proved their key: \d{4}-\d\d-\d\d by a solo check, drill-hsm/,
    );
  });
});
