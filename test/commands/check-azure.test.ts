/**
 * `sd-drill check` on Azure files, with azure-cli's 2020 vector set (a real HSM-made 2-of-3
 * domain and its three keys): `verify --all` records, then each holder checks alone. An Azure
 * file has no header to carry commitments, so they come from the store or a signed report;
 * its identity is its EncData's digest, which a rotation keeps. Every tamper case fails with
 * its own line: a bit or a byte of the sealed share, another holder's share sealed to this
 * holder's certificate, a commitment changed in the store or a report, a report signed by
 * another key. Attestations go from holder to lead and are refused when changed or misnamed.
 */
import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {sealShare} from '../../source/domain/azure/writer.js';
import {loadCertificate} from '../../source/domain/key-file.js';
import {openDomainFile} from '../../source/domain/open.js';
import {presentKeyFile} from '../../source/domain/present-key.js';
import {segment, replaceSegment, type SdJson} from '../domain/azure/kit.js';
import {azureVectorsDir} from '../helpers/paths.js';
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
  readJson,
  reportSignedByAnotherKey,
  reportWithChangedCommitment,
  rotateTwoOfThree,
} from './check-kit.js';

const sd = join(azureVectorsDir, 'sdfile.json');
const key = (n: number) => join(azureVectorsDir, `sd${n}.pem`);
const cer = (n: number) => join(azureVectorsDir, `sd${n}.cer`);
const all = () => keyArgs(key(1), key(2), key(3));
const work = () => tempDir('check-az');

/** The holder index of each vector key in sdfile.json, as check reports it. */
const slot: Record<number, number> = {};
let proven = '';

beforeAll(() => {
  proven = tempDir('check-az-proven');
  const r = cli(proven, 'verify', '--all', '--sd', sd, ...all(), '--json');
  expect(r.code, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout) as {
    commitmentsRecorded: number[];
    matched: Array<{file: string; holder: number}>;
  };
  expect(j.commitmentsRecorded).toEqual([1, 2, 3]);
  for (const n of [1, 2, 3]) slot[n] = j.matched.find((m) => m.file === key(n))?.holder ?? 0;
});

/** A work folder whose store holds the vector set's proof. */
function provenWork(): string {
  const w = work();
  mkdirSync(join(w, 'store'));
  copyFileSync(join(proven, 'store', 'proofs.json'), join(w, 'store', 'proofs.json'));
  return w;
}

const copy = (w: string, name: string, edit: (d: SdJson) => void): string =>
  editedCopy<SdJson>(sd, join(w, name), edit);
const encKey = (d: SdJson, n: number) => d.SharedKeys.enc_shares[slot[n]! - 1] as {enc_key: string};

describe('the Azure 2020 vectors: verify --all records, then each holder checks alone', () => {
  it('with nothing on record the check says so, and names what records one', () => {
    expectFailure(
      cli(work(), 'check', '--sd', sd, '--key', key(1)),
      /open holder \d's share of .*sdfile\.json, but no commitment on record says it is the one proven: neither this machine's store nor the file has one.*verify --all --sd/,
    );
  });

  it('each of the three keys opens its share, the one verify --all proved', () => {
    const w = provenWork();
    for (const n of [1, 2, 3])
      expectPass(
        cli(w, 'check', '--sd', sd, '--key', key(n)),
        new RegExp(
          `holder ${slot[n]}'s share of .*sdfile\\.json — the share proven by verify --all on`,
        ),
      );
  });

  it('the encrypted copy of sd2 with its passphrase opens the same share', () => {
    const w = provenWork();
    const pass = join(w, 'pass');
    writeFileSync(pass, 'Passw0rd!\n');
    expectPass(
      cli(
        w,
        'check',
        '--sd',
        sd,
        '--key',
        join(azureVectorsDir, 'encrypted-keys', 'sd2.pem'),
        '--passphrase-file',
        pass,
      ),
      new RegExp(`holder ${slot[2]}'s share`),
    );
  });

  it('a bit of the sealed content key or a byte of the sealed share changed: the share does not open', () => {
    const w = provenWork();
    const bit = copy(w, 'bit.json', (d) => {
      const e = encKey(d, 2);
      e.enc_key = replaceSegment(
        e.enc_key,
        1,
        flipBit(segment(e.enc_key, 1).toString('base64url'), 'base64url'),
      );
    });
    const byte = copy(w, 'byte.json', (d) => {
      const e = encKey(d, 2);
      e.enc_key = replaceSegment(
        e.enc_key,
        3,
        changeByte(segment(e.enc_key, 3).toString('base64url'), 'base64url', 5),
      );
    });
    for (const f of [bit, byte])
      expectFailure(
        cli(w, 'check', '--sd', f, '--key', key(2)),
        new RegExp(
          `is the key of holder ${slot[2]}, but their sealed share .* does not open with it`,
        ),
      );
  });

  it('without the certificate beside the key, a changed share looks like a stranger’s key, and the line says so', () => {
    const w = provenWork();
    const bare = join(w, 'bare.pem');
    copyFileSync(key(2), bare);
    const bit = copy(w, 'bit.json', (d) => {
      const e = encKey(d, 2);
      e.enc_key = replaceSegment(
        e.enc_key,
        1,
        flipBit(segment(e.enc_key, 1).toString('base64url'), 'base64url'),
      );
    });
    expectFailure(
      cli(w, 'check', '--sd', bit, '--key', bare),
      /opens no share .*bring its \.cer to tell/,
    );
  });

  it('another holder’s share sealed to this holder’s certificate: the slot was swapped', async () => {
    const w = provenWork();
    const opened = openDomainFile(sd);
    if (!opened.ok) throw opened.error;
    const one = await presentKeyFile(opened.value.domain, key(1));
    if (!one.ok) throw one.error;
    const cert2 = loadCertificate(cer(2));
    if (!cert2.ok) throw cert2.error;
    const swapped = copy(w, 'swapped.json', (d) => {
      encKey(d, 2).enc_key = sealShare(cert2.value.publicKey, one.value.opened.secret);
    });
    expectFailure(
      cli(w, 'check', '--sd', swapped, '--key', key(2)),
      new RegExp(
        `your key opens holder ${slot[2]}'s share of .* but it is not the share proven by verify --all .*swapped — the file must not be trusted`,
      ),
    );
  });

  it('a commitment changed in the store: the share differs from the one proven', () => {
    const w = provenWork();
    const file = join(w, 'store', 'proofs.json');
    const p = readJson<{commitments: Array<{shares: Array<{holder: number; commitment: string}>}>}>(
      file,
    );
    const c = p.commitments[0]?.shares.find((s) => s.holder === slot[3]);
    if (c) c.commitment = c.commitment.replace(/.$/, (x) => (x === '0' ? '1' : '0'));
    writeFileSync(file, JSON.stringify(p));
    expectFailure(
      cli(w, 'check', '--sd', sd, '--key', key(3)),
      /but it is not the share proven by verify --all/,
    );
  });

  it('a rotation (the same EncData, every share new): no commitment for the new file until it is proven; the old one then notes the later proof', () => {
    const w = provenWork();
    const next = join(w, 'next.json');
    rotateTwoOfThree(
      w,
      sd,
      [key(1), key(2)],
      [1, 2, 3].map((n) => cer(n)),
      next,
    );
    expectFailure(
      cli(w, 'check', '--sd', next, '--key', key(2)),
      /no commitment on record .*every share in it differs from the file proven on .* another file of this domain/,
    );
    expect(cli(w, 'verify', '--all', '--sd', next, ...all()).code).toBe(0);
    expectPass(cli(w, 'check', '--sd', next, '--key', key(2)), /proven by verify --all/);
    // The old file's latest proof is rotate's own opening of it, before the new file's.
    const old = cli(w, 'check', '--sd', sd, '--key', key(2));
    expectPass(old, /the share proven when rotate opened this file on/);
    expect(old.stdout).toMatch(
      /note: a later proof .* proved a different share .* this is the old file/,
    );
  });
});

describe('against a drill report of the vectors', () => {
  let w = '';
  let report = '';
  let reportKey = '';
  beforeAll(() => {
    w = tempDir('check-az-report');
    report = drillReport(w, 'drill', sd, [key(1), key(3)]);
    reportKey = readJson<{proof: {publicKey: string}}>(report).proof.publicKey;
  });

  it('on a machine with no record of the domain, the report needs the key on record', () => {
    expectFailure(
      cli(work(), 'check', '--sd', sd, '--key', key(1), '--report', report),
      /is signed, but nothing pins its key .* give --expect-key/,
    );
    expectPass(
      cli(
        work(),
        'check',
        '--sd',
        sd,
        '--key',
        key(1),
        '--report',
        report,
        '--expect-key',
        reportKey,
      ),
      /the share proven at the drill of/,
    );
  });

  it('on the drill’s machine the store pins it', () => {
    expectPass(
      cli(w, 'check', '--sd', sd, '--key', key(3), '--report', report),
      /the share proven at the drill of/,
    );
  });

  it('a commitment changed in the report, or the report signed by another key: refused', () => {
    const t = work();
    const changed = reportWithChangedCommitment(report, join(t, 'changed.json'), slot[1]!);
    expectFailure(
      cli(t, 'check', '--sd', sd, '--key', key(1), '--report', changed, '--expect-key', reportKey),
      /does not count: the signature does not match/,
    );
    const forged = reportSignedByAnotherKey(report, join(t, 'forged.json'), slot[1]!);
    expectFailure(
      cli(t, 'check', '--sd', sd, '--key', key(1), '--report', forged, '--expect-key', reportKey),
      /does not count: .*signed by another key than this domain's/,
    );
    expectFailure(
      cli(t, 'check', '--sd', sd, '--key', key(1), '--report', forged),
      /nothing pins its key/,
    );
  });
});

describe('attestations, holder to lead', () => {
  it('a holder’s attestation is verified and recorded by the lead; a changed or misnamed one is refused', () => {
    const holder = provenWork();
    const lead = provenWork();
    const att = join(holder, 'att.json');
    const made = cli(holder, 'check', '--sd', sd, '--key', key(2), '--out', att);
    expectPass(made, /attestation written to/);
    const ok = cli(lead, 'check', '--sd', sd, '--import', att);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      new RegExp(
        `✓ .*holder ${slot[2]} proved their key on \\d{4}-\\d\\d-\\d\\d: it opens the share proven by verify --all`,
      ),
    );
    const proofs = readJson<{holders: Array<{holder: number; by: string}>}>(
      join(lead, 'store', 'proofs.json'),
    );
    expect(proofs.holders.filter((p) => p.by === 'attestation').map((p) => p.holder)).toEqual([
      slot[2],
    ]);

    const text = readFileSync(att, 'utf8');
    const changed = join(holder, 'changed.json');
    writeFileSync(
      changed,
      text.replace(/"commitment":"(.)/, (_, c: string) => `"commitment":"${c === 'a' ? 'b' : 'a'}`),
    );
    const other = join(holder, 'other.json');
    writeFileSync(other, text.replace(`"index":${slot[2]}`, `"index":${slot[1]}`));
    const r = cli(lead, 'check', '--sd', sd, '--import', changed, other, '--json');
    expect(r.code).toBe(1);
    const lines = (JSON.parse(r.stdout) as {attestations: Array<{ok: boolean; line: string}>})
      .attestations;
    expect(lines.map((l) => l.ok)).toEqual([false, false]);
    expect(lines[0]?.line).toMatch(/signature does not verify/);
    expect(lines[1]?.line).toMatch(/names holder \d with a certificate .* does not list/);
  });

  it('an Azure key without its certificate cannot attest (the file names holders only by certificate)', () => {
    const w = provenWork();
    const bare = join(w, 'bare.pem');
    copyFileSync(key(1), bare);
    const r = cli(w, 'check', '--sd', sd, '--key', bare, '--out', join(w, 'att.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no attestation written: .*only by their certificate/);
  });
});
