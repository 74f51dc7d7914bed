/**
 * A report counts only when its signature is valid *and* its key is pinned: by the domain
 * file's header (--sd), by an auditor's key on record (--expect-key), or by this machine's
 * record of the domain's first passing drill. Every way an attacker could make a report
 * verify without the domain's secret is tried here.
 */
import {generateKeyPairSync, randomBytes, sign, type KeyObject} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {recordFromReport} from '../../source/report/build.js';
import type {DrillReport} from '../../source/report/model.js';
import {deriveReportKey, signedBytes} from '../../source/report/proof.js';
import {reportPublicKey} from '../../source/domain/report-key.js';
import {continuitySentence, verifyReportFile, type PinSources} from '../../source/report/verify.js';
import {identityOf, withPin, type DomainPin} from '../../source/store/pins.js';
import {reportOf as build} from './context.js';
import {drillState} from './drill-states.js';
import {tempDir} from '../helpers/temp.js';

const tmp = (): string => tempDir('report');

/** The domain's Ed25519 report key (what any quorum that reconstructed it can derive). */
const privateKeyOf = (domainSecret: Buffer): KeyObject => deriveReportKey(domainSecret).privateKey;

function written(report: unknown): string {
  const file = join(tmp(), 'drill.json');
  writeFileSync(file, JSON.stringify(report, null, 2));
  return file;
}

const secret = randomBytes(32);
const realKey = reportPublicKey(secret);
const FILE_SHA = 'ab'.repeat(32);
/** A drill of a domain file with a known digest (drill-states gives none). */
const withFile = () => {
  const s = drillState();
  return {...s, domain: {...s.domain!, sha256: FILE_SHA}};
};
const passing = build(withFile(), secret, 'pass-1');
const identity = (r: DrillReport) => {
  const d = r.scope.domain;
  if (!d) throw new Error('no domain');
  return identityOf({...d, holders: d.holders.map((h) => ({certFingerprint: h.fingerprint}))});
};
/** The store after the real domain's first passing drill. */
const pinned: DomainPin[] = withPin(
  [],
  identity(passing),
  realKey,
  passing.endedAt,
  'drill pass-1',
  'first-use',
);
const none: PinSources = {pins: [], history: []};

/** Re-signs a (possibly edited) report with a fresh Ed25519 key, as a forger would. */
function forge(report: DrillReport, edit: (r: DrillReport) => void): DrillReport {
  const copy = structuredClone(report);
  edit(copy);
  const {privateKey, publicKey} = generateKeyPairSync('ed25519');
  const raw = publicKey.export({format: 'der', type: 'spki'}).subarray(-32).toString('base64');
  copy.proof = {signed: true, algorithm: 'Ed25519', publicKey: raw, signature: ''};
  const signature = sign(null, signedBytes(copy), privateKey).toString('base64');
  copy.proof = {...copy.proof, signature};
  return copy;
}

const check = (file: string, sources: PinSources) => {
  const r = verifyReportFile(file, sources);
  if (!r.ok) throw r.error;
  return r.value;
};

describe('report verify: a valid signature counts only under a pinned key', () => {
  it('a genuine report is pinned by the store record of its first passing drill', () => {
    const c = check(written(passing), {pins: pinned, history: []});
    expect(c).toMatchObject({valid: true, pinned: true, pinnedBy: ['store']});
    expect(c.label).toBe(`"${pinned[0]?.label}"`);
    expect(continuitySentence(c)).toBe(
      `pinned by this machine's record of the domain, "${pinned[0]?.label}" (pinned at first use on ${passing.endedAt.slice(0, 10)} by drill pass-1)`,
    );
  });

  it('a report re-signed with a pinned key but claiming another domain does not count (issue 21, 1)', () => {
    // The holder of one pinned domain's key relabels a report as another domain and signs it.
    const relabel = (edit: (d: NonNullable<DrillReport['scope']['domain']>) => void) => {
      const copy = structuredClone(passing);
      if (copy.scope.domain) edit(copy.scope.domain);
      copy.proof = {signed: true, algorithm: 'Ed25519', publicKey: realKey, signature: ''};
      const signature = sign(null, signedBytes(copy), privateKeyOf(secret)).toString('base64');
      copy.proof = {...copy.proof, signature};
      return copy;
    };
    const cases: Array<[string, (d: NonNullable<DrillReport['scope']['domain']>) => void, RegExp]> =
      [
        ['another name', (d) => (d.name = 'contoso-prod-hsm'), /names the HSM "contoso-prod-hsm"/],
        [
          'another id',
          (d) => (d.id = '00000000-0000-4000-8000-000000000000'),
          /domain id .* not the record's/,
        ],
        [
          'another file',
          (d) => (d.sha256 = 'cd'.repeat(32)),
          /domain file \(sha256 cdcd.*\) is not a file of the record's domain/,
        ],
        ['no file', (d) => (d.sha256 = null), /records no SHA-256/],
        ['another format', (d) => (d.format = 'azure'), /calls its domain azure/],
        [
          'another EncData',
          (d) => (d.encDataSha256 = 'ef'.repeat(32)),
          /its EncData .* not the record's/,
        ],
        [
          'other holders',
          (d) => (d.holders = d.holders.slice(1)),
          /holders' certificates are not a set/,
        ],
      ];
    for (const [what, edit, why] of cases) {
      const c = check(written(relabel(edit)), {pins: pinned, history: []});
      expect(c.valid, what).toBe(true);
      expect(c.pinned, what).toBe(false);
      expect(c.reason, what).toMatch(why);
      expect(c.reason, what).toMatch(/its key is pinned for "/);
    }
    // Untouched but re-signed the same way: it counts (the helper is no forgery on its own).
    expect(check(written(relabel(() => {})), {pins: pinned, history: []}).pinned).toBe(true);
  });

  it('a genuine report with nothing pinning it is valid but does not count', () => {
    const c = check(written(passing), none);
    expect(c).toMatchObject({valid: true, pinned: false});
    expect(c.reason).toMatch(/not pinned: no domain pinned on this machine has this key/);
  });

  it('a forged report (participants changed, signed with a fresh key) does not count', () => {
    const forged = forge(passing, (r) => {
      (r.participants[0] as {custodian: string}).custodian = 'Mallory';
    });
    const c = check(written(forged), {pins: pinned, history: []});
    expect(c).toMatchObject({valid: true, pinned: false});
    expect(c.reason).toMatch(/this is not the domain on record/);
    // With nothing on record it is unpinned, never "first drill on record".
    expect(check(written(forged), none)).toMatchObject({valid: true, pinned: false});
  });

  it('…and is not rescued by reusing a real drill’s id, an old date, or another domain’s name', () => {
    const record = recordFromReport(passing, null);
    for (const edit of [
      (r: DrillReport) => (r.id = passing.id),
      (r: DrillReport) => {
        r.endedAt = '2000-01-01T00:00:00.000Z';
        r.startedAt = '2000-01-01T00:00:00.000Z';
      },
      (r: DrillReport) => {
        const d = r.scope.domain;
        if (d) d.id = '00000000-0000-4000-8000-000000000000';
      },
      (r: DrillReport) => {
        const d = r.scope.domain;
        if (d) d.holders = d.holders.map((h, i) => ({...h, fingerprint: String(i).repeat(64)}));
      },
    ]) {
      const c = check(written(forge(passing, edit)), {pins: pinned, history: [record]});
      expect(c.valid).toBe(true);
      expect(c.pinned).toBe(false);
    }
  });

  it('--expect-key pins the report’s own key (exit 0) and refuses any other', () => {
    const forged = forge(passing, () => {});
    if (!forged.proof.signed) throw new Error('unsigned');
    const own = check(written(forged), {...none, expectKey: forged.proof.publicKey});
    expect(own).toMatchObject({valid: true, pinned: true, pinnedBy: ['expect-key']});
    const other = check(written(forged), {...none, expectKey: realKey});
    expect(other.pinned).toBe(false);
    expect(other.reason).toContain(`not the expected key ${realKey}`);
  });

  it('--sd: a native file pins the key in its header, and its digest must be the report’s', () => {
    const report = build(withFile(), secret, 'pass-2');
    const sd = (fileSha256: string, headerKey: string | null) => ({
      file: 'sd.json',
      identity: {...identity(report), fileSha256, headerKey},
    });
    expect(check(written(report), {...none, sd: sd(FILE_SHA, realKey)})).toMatchObject({
      pinned: true,
      pinnedBy: ['sd-header'],
    });
    const otherFile = check(written(report), {...none, sd: sd('cd'.repeat(32), realKey)});
    expect(otherFile.pinned).toBe(false);
    expect(otherFile.reason).toMatch(/a drill of another domain file/);
    const otherKey = check(written(report), {
      ...none,
      sd: sd(FILE_SHA, 'B'.repeat(43) + '='),
    });
    expect(otherKey.pinned).toBe(false);
    expect(otherKey.reason).toMatch(/pins the key B{10}/);
    // The file's own name and id must be the report's too.
    const renamed = {file: 'sd.json', identity: {...sd(FILE_SHA, realKey).identity, name: 'x'}};
    expect(check(written(report), {...none, sd: renamed}).reason).toMatch(
      /does not describe sd.json: it names the HSM/,
    );
    // An Azure file (no key in it) pins only through the store.
    expect(check(written(report), {...none, sd: sd(FILE_SHA, null)}).reason).toMatch(
      /carries no report key/,
    );
    expect(
      check(written(report), {pins: pinned, history: [], sd: sd(FILE_SHA, null)}),
    ).toMatchObject({
      pinned: true,
      pinnedBy: ['store'],
    });
  });

  it('a tampered report is not valid whatever pins it', () => {
    const file = written(passing);
    const json = JSON.parse(readFileSync(file, 'utf8')) as DrillReport;
    (json.participants[1] as {custodian: string}).custodian = 'Mallory';
    writeFileSync(file, JSON.stringify(json));
    const c = check(file, {pins: pinned, history: [], expectKey: realKey});
    expect(c).toMatchObject({valid: false, pinned: false});
    expect(c.reason).toMatch(/changed after it was signed/);
  });

  it('is an input error (exit 2) for a missing, non-JSON or non-report file or a folder', () => {
    const dir = tmp();
    const notJson = join(dir, 'x.json');
    writeFileSync(notJson, '{"schemaVersion":');
    const notReport = join(dir, 'y.json');
    writeFileSync(notReport, JSON.stringify({hello: 'world'}));
    for (const f of [join(dir, 'missing.json'), notJson, notReport, dir]) {
      const r = verifyReportFile(f, {pins: pinned, history: [], expectKey: realKey});
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.exitCode).toBe(2);
        expect(r.error.message.startsWith(f)).toBe(true);
      }
    }
  });
});
