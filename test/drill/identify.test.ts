/**
 * The TUI's path for an encrypted key with no certificate beside it: the stick is scanned, the
 * key cannot be matched until it is unlocked, so the custodian types the passphrase once; the
 * key is identified by its public key, and the same passphrase opens the share.
 */
import {generateKeyPairSync} from 'node:crypto';
import {copyFileSync, mkdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {DrillSession} from '../../source/drill/session.js';
import {describeFolder} from '../../source/media/discover.js';
import {fixturesDir} from '../helpers/paths.js';
import {tempDir} from '../helpers/temp.js';

const demo = join(fixturesDir, 'demo');

/** A folder stick holding only `name`'s encrypted key (its .cer left behind). */
function keyOnlyStick(name: string, from = name): string {
  const path = join(tempDir('identify'), name);
  mkdirSync(path);
  copyFileSync(join(demo, 'sticks', from, `${from}.key`), join(path, `${name}.key`));
  return path;
}

async function atCollect(): Promise<DrillSession> {
  const session = new DrillSession({idleLimitMs: 60_000});
  session.chooseMode('rehearsal');
  expect(session.loadDomain(join(demo, 'security-domain.json'))).toBe(true);
  session.inspected();
  session.simulateDisaster('purged');
  await session.bringUpRecoveryHsm();
  return session;
}

const insert = (session: DrillSession, path: string) =>
  session.stickInserted(describeFolder(path, statSync(path).dev));

describe('an encrypted key without its certificate, in the ceremony', () => {
  it('is identified by its passphrase, typed once, and its share is taken', async () => {
    const session = await atCollect();
    const path = keyOnlyStick('alice');
    await insert(session, path);
    let s = session.getState();
    expect(s.identifying?.file).toBe(join(path, 'alice.key'));
    expect(s.presenting).toBeUndefined();

    const wrong = Buffer.from('not-alices-passphrase');
    await session.identify(wrong);
    expect(wrong.every((b) => b === 0)).toBe(true);
    s = session.getState();
    expect(s.identifying?.attempts).toBe(1);
    expect(s.notice?.text).toMatch(/Wrong passphrase for alice\.key on stick alice — 2 tries left/);

    const right = Buffer.from('alice-practice-only');
    await session.identify(right);
    s = session.getState();
    expect(s.identifying).toBeUndefined();
    expect(s.presenting).toMatchObject({holderIndex: 1, phase: 'acknowledge', encrypted: true});
    // Kept only until the passphrase step, which it answers without a second prompt.
    expect(right.some((b) => b !== 0)).toBe(true);
    await session.acknowledge({name: 'Alice Ng', role: 'Security Architect'});
    expect(right.every((b) => b === 0)).toBe(true);
    s = session.getState();
    const alice = s.holders.find((h) => h.index === 1);
    expect(alice).toMatchObject({state: 'accepted', certMissing: true, matchedBy: 'public-key'});
    expect(s.awaitingRemoval).toBe(path);
    session.abort('test over');
  });

  it('a stranger’s encrypted key is refused once unlocked, its passphrase wiped at once', async () => {
    const session = await atCollect();
    const path = join(tempDir('identify'), 'stranger');
    mkdirSync(path);
    const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
    const pem = privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'strangers-passphrase',
    });
    writeFileSync(join(path, 'stranger.key'), pem);
    await insert(session, path);
    expect(session.getState().identifying).toBeDefined();
    const pass = Buffer.from('strangers-passphrase');
    await session.identify(pass);
    expect(pass.every((b) => b === 0)).toBe(true);
    const s = session.getState();
    expect(s.identifying).toBeUndefined();
    expect(s.presenting).toBeUndefined();
    expect(s.awaitingRemoval).toBe(path);
    expect(s.notice?.text).toMatch(/is not one of this domain's wrapping keys/);
    session.abort('test over');
  });

  it('matches by the unlocked public key, not the file name; cancelling wipes the passphrase', async () => {
    const session = await atCollect();
    const path = keyOnlyStick('mallory', 'bob');
    await insert(session, path);
    const pass = Buffer.from('bob-practice-only');
    await session.identify(pass);
    expect(session.getState().presenting?.holderIndex).toBe(2);
    expect(pass.some((b) => b !== 0)).toBe(true);
    session.cancelPresenting();
    expect(pass.every((b) => b === 0)).toBe(true);
    session.abort('test over');
  });

  it('a cancelled or pulled presentation wipes the passphrase it kept', async () => {
    const session = await atCollect();
    const path = keyOnlyStick('carol');
    await insert(session, path);
    const pass = Buffer.from('carol-practice-only');
    await session.identify(pass);
    expect(session.getState().presenting?.holderIndex).toBe(3);
    session.stickRemoved(path);
    expect(pass.every((b) => b === 0)).toBe(true);
    expect(session.getState().holders.find((h) => h.index === 3)?.state).toBe('waiting');
    session.abort('test over');
  });

  it('a key file named with escape codes is named on screen as one printable line', async () => {
    const session = await atCollect();
    const path = join(tempDir('identify'), 'alice');
    mkdirSync(path);
    copyFileSync(join(demo, 'sticks', 'alice', 'alice.key'), join(path, 'x\u001b[2J\n.key'));
    await insert(session, path);
    await session.identify(Buffer.from('wrong'));
    const text = session.getState().notice?.text ?? '';
    expect(text).toContain('Wrong passphrase for x\\u001b[2J\\u000a.key on stick alice');
    const unprintable = (t: string) => [...t].some((c) => c.charCodeAt(0) < 0x20);
    expect(unprintable(text)).toBe(false);
    const journal = session
      .getState()
      .journal.map((j) => j.detail ?? '')
      .join(' ');
    expect(unprintable(journal)).toBe(false);
    session.abort('test over');
  });
});
