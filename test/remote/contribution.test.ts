/**
 * A holder at another site, in process: the ceremony calls them (a request with an ephemeral
 * key), `contribute` seals their share to it on "their" machine, and the contribution counts
 * like a presented key — or is refused, each forgery with its own line.
 */
import {generateKeyPairSync, randomBytes} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {describeFolder} from '../../source/media/discover.js';
import {scanStick} from '../../source/media/scan.js';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {contribute} from '../../source/commands/contribute.js';
import {SdError} from '../../source/errors.js';
import type {DrillSession} from '../../source/drill/session.js';
import {tempDir} from '../helpers/temp.js';
import {
  answer,
  atCollect,
  AZURE_PASS,
  azureKey,
  azureSd,
  demoKey,
  demoPass,
  demoSd,
  forge,
  forgeWith,
} from './kit.js';

const MINUTE = 60_000;

async function call(session: DrillSession, holder: number, dir: string, ttl = 30 * MINUTE) {
  const r = await session.remote.call(holder, {dir}, ttl);
  if (!r.ok) throw new Error(r.error);
  return {
    file: session.getState().holders[holder - 1]?.remote?.requestFile ?? '',
    pending: r.value,
  };
}

const holder = (session: DrillSession, i: number) =>
  session.getState().holders.find((h) => h.index === i);

async function present(session: DrillSession, name: string): Promise<void> {
  const key = demoKey(name);
  await session.presentFile(
    {path: join(key, '..'), label: name, source: 'folder', removable: null, device: null},
    key,
    {name, role: 'Key custodian'},
    Buffer.from(demoPass(name)),
  );
  session.stickRemoved(join(key, '..'));
}

describe('a remote holder on the demo domain', () => {
  it('is called, answers with contribute, and counts like a presented key', async () => {
    const dir = tempDir('remote-pass');
    const {session} = await atCollect(demoSd);
    const {file, pending} = await call(session, 3, dir);
    expect(holder(session, 3)?.remote).toMatchObject({state: 'waiting', code: pending.code});
    expect(session.getState().notice?.text).toContain(pending.code);

    const codes: string[] = [];
    const out = join(dir, 'contribution.json');
    const passFile = join(dir, 'carol.pass');
    writeFileSync(passFile, 'carol-practice-only\n');
    const shown: string[] = [];
    const done = await contribute(
      {request: file, sd: demoSd, key: demoKey('carol'), passphraseFile: passFile, out},
      {
        show: (f) =>
          shown.push(`${f.holder} of ${f.domain}, ${f.fileSha256}, until ${f.expiresAt}`),
        // Carol types the code the ceremony lead reads to her, as she hears it.
        askCode: async () => pending.code.toLowerCase().replace(/-/g, ' '),
        confirmed: (c) => codes.push(c),
      },
    );
    // She was shown the domain (as her own file names it), herself and the expiry, and the
    // code she typed is the one the ceremony shows.
    expect(shown).toEqual([
      `holder 3 (carol) of demo-hsm, ${session.getState().domain?.sha256 ?? ''}, until ${pending.request.expiresAt}`,
    ]);
    expect(codes).toEqual([pending.code]);
    expect(done.confirmed).toBe('typed');
    expect(await session.remote.receiveFile(out)).toBe(true);
    const h = holder(session, 3);
    expect(h?.state).toBe('accepted');
    expect(h?.remote).toMatchObject({state: 'accepted', contributionSha256: done.sha256});
    expect(h?.matchedBy).toBe('public-key');
    // Answered: its key is gone.
    expect(pending.open).toBe(false);

    await present(session, 'alice');
    await present(session, 'bob');
    await session.reconstructAndRestore();
    const s = session.getState();
    expect(s.outcome?.verdict).toBe('pass');
    expect(s.reconstruction?.usedHolders).toContain(3);
    session.wipeSecrets();
  });

  it('refuses, each with its own line: a replay, a byte changed, another holder, expired, a copy', async () => {
    const dir = tempDir('remote-refusals');
    // An earlier session's contribution: its request's key is gone with that session.
    const earlier = await atCollect(demoSd);
    const old = await call(earlier.session, 3, dir);
    const replayed = await answer(dir, old.file, demoKey('carol'), demoPass('carol'));
    earlier.session.abort('test');

    const {session, advance} = await atCollect(demoSd);
    const {file} = await call(session, 3, dir);
    const refusal = async (contribution: string): Promise<string> => {
      expect(await session.remote.receiveFile(contribution)).toBe(false);
      expect(holder(session, 3)?.state).toBe('waiting');
      return session.getState().notice?.text ?? '';
    };
    const lines = new Set<string>();
    const expectLine = async (contribution: string, pattern: RegExp) => {
      const line = await refusal(contribution);
      expect(line).toMatch(pattern);
      lines.add(line.replace(/^\S+: /, ''));
    };

    await expectLine(replayed, /answers a request this ceremony did not make/);

    // Bob's key, sealing Bob's share to Carol's request (a modified contribute would).
    const bobs = await forge(file, demoKey('bob'), demoPass('bob'), join(dir, 'bob.json'));
    await expectLine(
      bobs,
      /was made with the key of holder 2 \(bob\), but the request was for holder 3/,
    );
    // The honest contribute refuses Bob's key for Carol's request, saying so.
    await expect(answer(dir, file, demoKey('bob'), demoPass('bob'))).rejects.toThrow(
      /is the key of holder 2 \(bob\), but the request is for holder 3 \(carol\)/,
    );

    // A stranger's key opens no share: they seal what they like, signed with their own key.
    const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
    const pem = Buffer.from(privateKey.export({type: 'pkcs8', format: 'pem'}));
    const stranger = join(dir, 'stranger.json');
    await forgeWith(file, pem, randomBytes(70), stranger);
    await expectLine(
      stranger,
      /is not signed with the wrapping key of holder 3 \(carol\), nor of any holder of this domain \(forged\)/,
    );

    // A byte changed anywhere in Carol's real contribution: never accepted, always "altered".
    const good = await answer(dir, file, demoKey('carol'), demoPass('carol'));
    const bytes = readFileSync(good);
    const tampered = join(dir, 'tampered.json');
    for (let i = 0; i < bytes.length; i++) {
      const copy = Buffer.from(bytes);
      copy[i] = copy[i] === 0x41 ? 0x42 : 0x41;
      writeFileSync(tampered, copy);
      const line = await refusal(tampered);
      expect(line, `byte ${i}`).toMatch(
        /is damaged or was altered on the way|was altered after it was made/,
      );
    }
    lines.add('altered');

    // Accepted once; a second copy is refused.
    expect(await session.remote.receiveFile(good)).toBe(true);
    expect(await session.remote.receiveFile(good)).toBe(false);
    expect(session.getState().notice?.text).toMatch(
      /is a second copy of the contribution already accepted from holder 3/,
    );

    // Expired: Dave is called for 10 minutes and answers after 11.
    const dave = await call(session, 4, dir, 10 * MINUTE);
    const late = await answer(dir, dave.file, demoKey('dave'), demoPass('dave'));
    advance(11 * MINUTE);
    expect(await session.remote.receiveFile(late)).toBe(false);
    expect(session.getState().notice?.text).toMatch(
      /answers holder 4's request, which expired at 2030-01-01T10:10:00Z/,
    );
    expect(holder(session, 4)?.state).toBe('waiting');
    expect(lines.size).toBe(4);
    session.abort('test');
  });

  it('a holder called again: the earlier request is replaced and its answer refused', async () => {
    const dir = tempDir('remote-again');
    const {session} = await atCollect(demoSd);
    const first = await call(session, 5, dir);
    const second = await call(session, 5, dir);
    expect(first.pending.open).toBe(false);
    expect(second.pending.code).not.toBe(first.pending.code);
    const stale = await answer(dir, first.file, demoKey('erin'), demoPass('erin'));
    expect(await session.remote.receiveFile(stale)).toBe(false);
    expect(session.getState().notice?.text).toMatch(/a newer one replaced/);
    const fresh = await answer(dir, second.file, demoKey('erin'), demoPass('erin'));
    expect(await session.remote.receiveFile(fresh)).toBe(true);
    session.abort('test');
  });

  it('contribute refuses a request for another domain file or with another code (exit 1)', async () => {
    const dir = tempDir('remote-other');
    const {session} = await atCollect(demoSd);
    const {file, pending} = await call(session, 1, dir);
    const passFile = join(dir, 'p');
    writeFileSync(passFile, '\n');
    const other = answer(dir, file, azureKey(1), '', azureSd);
    await expect(other).rejects.toThrow(/is for another security-domain file/);
    await expect(other).rejects.toSatisfy((e) => e instanceof SdError && e.exitCode === 1);
    const wrongCode = contribute({
      request: file,
      sd: demoSd,
      key: demoKey('alice'),
      passphraseFile: passFile,
      out: join(dir, 'never.json'),
      expectCode: 'AAAA-BBBB-CCCC-DDDD-EEEE',
    });
    await expect(wrongCode).rejects.toThrow(/this is not the request the ceremony showed you/);
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
    // 100 bits: 20 Crockford base32 characters in five groups of four.
    expect(pending.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    session.abort('test');
  });
});

describe('contributions on a stick', () => {
  it('are found by their content, whatever their name; a file that only mentions one is not', async () => {
    const dir = tempDir('remote-scan');
    const {session} = await atCollect(demoSd);
    const {file} = await call(session, 2, dir);
    const stick = join(dir, 'courier');
    mkdirSync(stick);
    await answer(dir, file, demoKey('bob'), demoPass('bob'), demoSd, join(stick, 'holiday.jpg'));
    writeFileSync(
      join(stick, 'notes.txt'),
      `see {"contribution":"sd-drill.remote-contribution/1"}`,
    );
    const scan = await scanStick(describeFolder(stick, statSync(stick).dev));
    expect(scan.contributions).toEqual([join(stick, 'holiday.jpg')]);
    expect(scan.keys).toEqual([]);
    await session.stickInserted(describeFolder(stick, statSync(stick).dev));
    expect(holder(session, 2)?.state).toBe('accepted');
    expect(session.getState().awaitingRemoval).toBe(stick);
    session.abort('test');
  });
});

describe('a remote holder on an Azure domain', () => {
  it('counts by the share the file holds: with a certificate, and without one', async () => {
    const dir = tempDir('remote-azure');
    const {session} = await atCollect(azureSd);
    // Holder 3 keeps no certificate beside the key: bound by its share's content key.
    const three = await call(session, 3, dir);
    const c3 = await answer(dir, three.file, azureKey(3), AZURE_PASS[3] ?? '', azureSd);
    expect(await session.remote.receiveFile(c3)).toBe(true);
    expect(holder(session, 3)).toMatchObject({matchedBy: 'trial-decryption', certMissing: true});

    // Holder 1's key for holder 2's request, with holder 1's certificate: another holder's.
    const two = await call(session, 2, dir);
    const withCert = await forge(two.file, azureKey(1), '', join(dir, 'h1c.json'), azureSd, true);
    expect(await session.remote.receiveFile(withCert)).toBe(false);
    expect(session.getState().notice?.text).toMatch(/was made with the key of holder 1/);
    // Without its certificate: nothing names the key, and holder 1's content key does not
    // open holder 2's share of the file.
    const noCert = await forge(two.file, azureKey(1), '', join(dir, 'h1.json'), azureSd);
    expect(await session.remote.receiveFile(noCert)).toBe(false);
    expect(session.getState().notice?.text).toMatch(
      /does not carry holder 2's share of this domain file/,
    );

    const c2 = await answer(dir, two.file, azureKey(2), AZURE_PASS[2] ?? '', azureSd);
    expect(await session.remote.receiveFile(c2)).toBe(true);
    expect(holder(session, 2)).toMatchObject({matchedBy: 'certificate', certMissing: false});
    await session.reconstructAndRestore();
    expect(session.getState().outcome?.verdict).toBe('pass');
    session.wipeSecrets();
  });
});
