/**
 * Remote holders in tests: a session at the collect step on the demo (native) or Azure
 * fixture with a clock the test moves, and a holder who answers a request with `contribute`
 * (the command's own code, in process) or with a forgery made from the library's parts.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect} from 'vitest';
import {contribute} from '../../source/commands/contribute.js';
import {presentKeyFile} from '../../source/domain/present-key.js';
import {parsePrivateKey} from '../../source/domain/key-file.js';
import {openDomainFile} from '../../source/domain/open.js';
import {payloadToSeal} from '../../source/domain/remote-share.js';
import {DrillSession, type SessionOptions} from '../../source/drill/session.js';
import {contributionText, makeContribution} from '../../source/remote/contribution.js';
import {parseRequest, requestDigest, shortCode} from '../../source/remote/request.js';
import {readFileSync} from 'node:fs';
import {wipe} from '../../source/secret.js';
import {fixturesDir} from '../helpers/paths.js';

export const demo = join(fixturesDir, 'demo');
export const demoSd = join(demo, 'security-domain.json');
export const demoKey = (h: string): string => join(demo, 'sticks', h, `${h}.key`);
export const demoPass = (h: string): string => `${h}-practice-only`;
export const azureDir = join(fixturesDir, 'azure');
export const azureSd = join(azureDir, 'security-domain.json');
export const azureKey = (n: number): string => join(azureDir, 'holders', `holder${n}.pem`);
export const AZURE_PASS: Record<number, string> = {1: '', 2: 'drill-passphrase', 3: ''};

export interface Clocked {
  session: DrillSession;
  advance(ms: number): void;
}

/** A session at the collect step, its clock moved only by the test. */
export async function atCollect(
  sd: string,
  options: Partial<SessionOptions> = {},
): Promise<Clocked> {
  let clock = Date.parse('2030-01-01T10:00:00Z');
  const session = new DrillSession({idleLimitMs: 3_600_000, now: () => clock, ...options});
  session.chooseMode('rehearsal');
  expect(session.loadDomain(sd)).toBe(true);
  session.inspected();
  session.simulateDisaster('purged');
  await session.bringUpRecoveryHsm();
  expect(session.getState().step).toBe('collect');
  return {session, advance: (ms) => (clock += ms)};
}

/** The code of a request file, as the ceremony that made it shows it. */
export function codeOf(request: string): string {
  const r = parseRequest(request, readFileSync(request));
  if (!r.ok) throw r.error;
  return shortCode(requestDigest(r.value));
}

/** The holder runs `contribute` (in process) against a request; returns the contribution file. */
export async function answer(
  dir: string,
  request: string,
  key: string,
  passphrase: string,
  sd = demoSd,
  out = join(dir, `contribution-${Math.random().toString(36).slice(2)}.json`),
): Promise<string> {
  const passFile = join(dir, `pass-${Math.random().toString(36).slice(2)}`);
  writeFileSync(passFile, `${passphrase}\n`, {mode: 0o600});
  // The holder types the code the ceremony showed: here, the request's own (the ceremony shows
  // the same code, as contribution.test.ts checks).
  await contribute({request, sd, key, passphraseFile: passFile, out, expectCode: codeOf(request)});
  return out;
}

/**
 * A contribution to `request` made with `key` — whoever's key it is — claiming what the
 * request asks: what a modified `contribute` would write. `certificate` is sent if given.
 */
export async function forge(
  request: string,
  key: string,
  passphrase: string,
  out: string,
  sd = demoSd,
  withCertificate = false,
): Promise<string> {
  const r = parseRequest(request, readFileSync(request));
  const opened = openDomainFile(sd);
  if (!r.ok || !opened.ok) throw new Error('forge: bad request or domain');
  const pass = passphrase ? Buffer.from(passphrase) : undefined;
  const presented = await presentKeyFile(opened.value.domain, key, pass);
  if (!presented.ok) throw presented.error;
  const {opened: share, key: loaded, certificate} = presented.value;
  const payload = payloadToSeal(opened.value, share, loaded);
  if (!payload.ok) throw payload.error;
  const c = await makeContribution({
    request: r.value,
    requestDigest: requestDigest(r.value),
    payload: payload.value,
    key: loaded,
    ...(withCertificate && certificate ? {certificate} : {}),
  });
  wipe(payload.value, share.secret);
  writeFileSync(out, contributionText(c));
  return out;
}

/** A contribution to `request` sealing `payload`, signed with any key (a stranger's). */
export async function forgeWith(
  request: string,
  keyPem: Buffer,
  payload: Buffer,
  out: string,
): Promise<string> {
  const r = parseRequest(request, readFileSync(request));
  const key = parsePrivateKey('stranger.key', keyPem);
  if (!r.ok || !key.ok) throw new Error('forgeWith: bad request or key');
  const c = await makeContribution({
    request: r.value,
    requestDigest: requestDigest(r.value),
    payload,
    key: key.value,
  });
  writeFileSync(out, contributionText(c));
  return out;
}
