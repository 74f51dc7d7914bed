/**
 * What the solo-check tests share: running `sd-drill check` with a store of its own, a drill
 * plan that writes a signed report, and the tampering an attacker with the file (and the
 * holders' certificates, which are public) can do to it — each written as the attacker would,
 * from the file's own bytes.
 */
import {
  constants,
  createPrivateKey,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect} from 'vitest';
import {canonicalJson} from '../../source/canonical-json.js';
import {oaepLabel} from '../../source/domain/native/crypto.js';
import {signHeaderCommitments} from '../../source/domain/native/commitments.js';
import type {NativeDomainFile} from '../../source/domain/native/schema.js';
import {splitSecret} from '../../source/domain/native/shamir.js';
import {deriveReportKey} from '../../source/domain/report-key.js';
import {signedBytes} from '../../source/report/proof.js';
import {cleanErrorProblems, keyArgs, runCli, type CliResult} from '../helpers/run-cli.js';

export const storeEnv = (work: string): NodeJS.ProcessEnv => ({
  SD_DRILL_CONFIG_DIR: join(work, 'store'),
});

export function cli(work: string, ...args: string[]): CliResult {
  return runCli(args, {env: storeEnv(work)});
}

/**
 * `rotate` of `sd` by the keys given to the certificates given, at 2 of 3 as before (below the
 * recommended 3, so said to be meant with --lower-quorum); the new file goes to `out`.
 */
export function rotateTwoOfThree(
  work: string,
  sd: string,
  keys: string[],
  certs: string[],
  out: string,
): void {
  const rot = cli(
    work,
    'rotate',
    ...['--sd', sd, ...keyArgs(...keys), ...certs.flatMap((c) => ['--cert', c])],
    ...['--quorum', '2', '--lower-quorum', '--out', out],
  );
  expect(rot.code, rot.stderr).toBe(0);
}

/** A failed check: exit 1, one clean line on stderr that says `what`, and nothing on stdout. */
export function expectFailure(r: CliResult, what: RegExp): void {
  expect(r.code, r.stderr + r.stdout).toBe(1);
  expect(cleanErrorProblems(r.stderr)).toEqual([]);
  expect(r.stderr).toMatch(what);
  expect(r.stdout).not.toMatch(/✓/);
}

export function expectPass(r: CliResult, what: RegExp): void {
  expect(r.code, r.stderr + r.stdout).toBe(0);
  expect(r.stdout).toMatch(/^✓ your key and passphrase open holder \d's share/);
  expect(r.stdout).toMatch(what);
}

export const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
export const writeJson = (file: string, value: unknown): void =>
  writeFileSync(file, `${JSON.stringify(value, null, 1)}\n`);

/** A copy of the domain file at `to`, edited. */
export function editedCopy<T>(from: string, to: string, edit: (doc: T) => void): string {
  const doc = readJson<T>(from);
  edit(doc);
  writeJson(to, doc);
  return to;
}

/** Flips one bit of base64 data (the decoded bytes; re-encoded so the file still parses). */
export function flipBit(b64: string, encoding: 'base64' | 'base64url', at = 10): string {
  const bytes = Buffer.from(b64, encoding);
  bytes[at] = (bytes[at] as number) ^ 0x01;
  return bytes.toString(encoding);
}

/** Changes one whole byte of base64 data. */
export function changeByte(b64: string, encoding: 'base64' | 'base64url', at = 20): string {
  const bytes = Buffer.from(b64, encoding);
  bytes[at] = ((bytes[at] as number) + 0x5a) & 0xff;
  return bytes.toString(encoding);
}

// ---- native ----

function sealNative(doc: NativeDomainFile, index: number, share: Buffer): string {
  const cert = Buffer.from(doc.holders[index - 1]?.certificate ?? '', 'base64');
  const publicKey = new X509Certificate(cert).publicKey;
  return publicEncrypt(
    {
      key: publicKey,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: oaepLabel(doc.domain.id, index),
    },
    share,
  ).toString('base64');
}

/** Holder `from`'s share (opened with their key) sealed into holder `to`'s slot. */
export function resealNative(doc: NativeDomainFile, from: number, to: number, fromKey: string) {
  const share = privateDecrypt(
    {
      key: createPrivateKey(readFileSync(fromKey)),
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: oaepLabel(doc.domain.id, from),
    },
    Buffer.from(doc.shares[from - 1]?.ciphertext ?? '', 'base64'),
  );
  (doc.shares[to - 1] as {ciphertext: string}).ciphertext = sealNative(doc, to, share);
}

/** A share made up by someone with only the certificate: the right x, the wrong polynomial. */
export function forgeNative(doc: NativeDomainFile, index: number): void {
  const made = splitSecret(randomBytes(32), doc.quorum.total, doc.quorum.required);
  (doc.shares[index - 1] as {ciphertext: string}).ciphertext = sealNative(
    doc,
    index,
    made[index - 1] as Buffer,
  );
}

/** The header re-signed with a forger's report key (commitments as they were). */
export function resignHeader(doc: NativeDomainFile): void {
  const forger = deriveReportKey(randomBytes(32));
  doc.domain.reportKey = forger.publicKey;
  doc.commitments = signHeaderCommitments(doc, doc.commitments?.shares ?? [], forger);
}

// ---- reports ----

/** Runs a drill plan with these participants (key files, no passphrases); the report's path. */
export function drillReport(
  work: string,
  name: string,
  domain: string,
  keys: string[],
  passphraseFiles: Array<string | undefined> = [],
): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const plan = join(dir, 'plan.json');
  writeJson(plan, {
    domain,
    scenario: 'destroyed',
    participants: keys.map((key, i) => ({
      custodian: `Custodian ${i + 1}`,
      role: 'Key custodian',
      key,
      ...(passphraseFiles[i] ? {passphraseFile: passphraseFiles[i]} : {}),
    })),
    reportDir: join(dir, 'reports'),
    // The drill's machine records the domain's key, as an operator answering y would.
    pinFirstUse: true,
  });
  const r = cli(work, 'drill', '--plan', plan);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  const json = readdirSync(join(dir, 'reports')).find((f) => f.endsWith('.json'));
  return join(dir, 'reports', json ?? 'missing.json');
}

interface SignedReport {
  commitments?: Array<{shares: Array<{holder: number; commitment: string | null}>}>;
  proof: {signed: boolean; publicKey: string; signature: string};
}

/** A report whose commitment for `holder` is changed (the signature left as it was). */
export function reportWithChangedCommitment(from: string, to: string, holder: number): string {
  return editedCopy<SignedReport>(from, to, (r) => {
    const c = r.commitments?.[0]?.shares.find((s) => s.holder === holder);
    if (c?.commitment) c.commitment = c.commitment.replace(/^./, (x) => (x === '0' ? '1' : '0'));
  });
}

/** The same report with the commitment changed and signed again by a key of the forger's. */
export function reportSignedByAnotherKey(from: string, to: string, holder: number): string {
  const {privateKey, publicKey} = generateKeyPairSync('ed25519');
  const raw = publicKey.export({type: 'spki', format: 'der'});
  return editedCopy<SignedReport>(reportWithChangedCommitment(from, to, holder), to, (r) => {
    r.proof.publicKey = raw.subarray(raw.length - 32).toString('base64');
    r.proof.signature = sign(null, signedBytes(r), privateKey).toString('base64');
  });
}

export {canonicalJson};
