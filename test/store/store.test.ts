import {existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {withLock} from '../../source/store/lock.js';
import {identityOf} from '../../source/store/pins.js';
import {openStore} from '../../source/store/store.js';
import type {DrillRecord} from '../../source/store/schema.js';
import {tempDir} from '../helpers/temp.js';

const FP = '571e6437403e5257a75123a0aa7c8b026c1b4364ee8711c6974f754806ad8366';

function drill(id: string, patch: Partial<DrillRecord> = {}): DrillRecord {
  return {
    id,
    domainId: 'dom-1',
    domainFile: '/sd.json',
    domainName: 'demo-hsm',
    date: '2025-03-01T10:00:00.000Z',
    mode: 'rehearsal',
    verdict: 'pass',
    durationMs: 1000,
    reportJson: '/r/drill.json',
    reportMarkdown: '/r/drill.md',
    publicKey: null,
    ...patch,
  };
}

describe('the store', () => {
  it('keeps drills, holders, custody, settings, pinned keys and proofs in files only its owner can read (0600)', () => {
    const dir = tempDir('store');
    const store = openStore({dir});
    expect(store.recordDrill(drill('a')).ok).toBe(true);
    expect(
      store.register({
        fingerprint: FP,
        custodian: 'Alice',
        role: 'Security Architect',
        since: '2025-01-01T00:00:00Z',
      }).ok,
    ).toBe(true);
    expect(
      store.addCustody({date: '2025-01-02T00:00:00Z', from: 'Alice', to: 'Bob', fingerprint: FP})
        .ok,
    ).toBe(true);
    expect(store.updateSettings({reviewDays: 30}).ok).toBe(true);
    const identity = identityOf({
      format: 'azure',
      file: 'sd.json',
      holders: [{certFingerprint: FP}],
    });
    expect(store.recordPin(identity, 'A'.repeat(43) + '=', 'drill a', 'first-use').ok).toBe(true);
    const proof = {
      domain: `azure:${'c'.repeat(64)}`,
      label: 'sd.json',
      holder: 1,
      fingerprint: FP,
      at: '2025-01-03T00:00:00Z',
      by: 'verify-all' as const,
      ref: null,
    };
    expect(store.recordProofs(null, [proof]).ok).toBe(true);
    expect(
      store
        .files()
        .map((f) => f.slice(dir.length + 1))
        .sort(),
    ).toEqual([
      'custody.json',
      'domains.json',
      'history.json',
      'holders.json',
      'proofs.json',
      'settings.json',
    ]);
    for (const f of store.files()) expect(statSync(f).mode & 0o777).toBe(0o600);
    const again = openStore({dir});
    expect(again.drills().map((d) => d.id)).toEqual(['a']);
    expect(again.proofs().holders).toEqual([proof]);
    expect(again.pins()).toEqual([
      expect.objectContaining({reportKey: 'A'.repeat(43) + '=', holderSets: [identity.holderSet]}),
    ]);
    expect(again.registry()).toEqual([
      {
        fingerprint: FP,
        custodian: 'Alice',
        role: 'Security Architect',
        location: null,
        since: '2025-01-01T00:00:00Z',
      },
    ]);
    expect(again.custody()).toHaveLength(1);
    expect(again.settings()).toEqual({
      reviewDays: 30,
      rtoMinutes: 60,
      idleMinutes: 10,
      reportDir: './drill-reports',
    });
    expect(again.warnings).toEqual([]);
  });

  it('reads SD_DRILL_CONFIG_DIR when no folder is given', () => {
    const dir = tempDir('store');
    const store = openStore({env: {SD_DRILL_CONFIG_DIR: dir}});
    expect(store.dir).toBe(dir);
  });

  it('has default settings on a fresh store and writes nothing until asked', () => {
    const dir = tempDir('store');
    const store = openStore({dir});
    expect(store.settings()).toEqual({
      reviewDays: 90,
      rtoMinutes: 60,
      idleMinutes: 10,
      reportDir: './drill-reports',
    });
    expect(store.drills()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces a drill recorded twice under one id, and refuses a bad record', () => {
    const store = openStore({dir: tempDir('store')});
    store.recordDrill(drill('a', {verdict: 'fail'}));
    store.recordDrill(drill('a', {verdict: 'pass'}));
    expect(store.drills().map((d) => [d.id, d.verdict])).toEqual([['a', 'pass']]);
    const bad = store.recordDrill({...drill('b'), date: 'yesterday'});
    expect(bad.ok).toBe(false);
    expect(store.drills()).toHaveLength(1);
  });

  it('records a hand-off when a key is re-registered to another custodian', () => {
    let t = Date.parse('2025-02-01T00:00:00Z');
    const store = openStore({dir: tempDir('store'), now: () => (t += 1000)});
    store.register({
      fingerprint: FP.toUpperCase().replace(/(..)(?!$)/g, '$1:'),
      custodian: 'Alice',
      role: 'Lead',
      since: '2025-01-01T00:00:00Z',
    });
    expect(store.registry()[0]?.fingerprint).toBe(FP);
    const same = store.register({
      fingerprint: FP,
      custodian: ' alice ',
      role: 'Lead',
      location: 'Safe A',
      since: '2025-01-01T00:00:00Z',
    });
    expect(same.ok && same.value.previous?.custodian).toBe('Alice');
    expect(store.custody()).toEqual([]);
    store.register({
      fingerprint: FP,
      custodian: 'Bob',
      role: 'Engineer',
      since: '2025-02-01T00:00:00Z',
    });
    expect(store.registry()).toHaveLength(1);
    expect(store.custody()).toEqual([
      {
        date: '2025-02-01T00:00:01.000Z',
        fingerprint: FP,
        from: 'alice',
        to: 'Bob',
        note: 'recorded when the holder registry changed custodian',
      },
    ]);
  });

  it('sets a file of bad JSON aside with a one-line warning, and carries on empty', () => {
    const dir = tempDir('store');
    writeFileSync(join(dir, 'history.json'), '{"version": 1, "drills": [');
    const store = openStore({dir});
    expect(store.drills()).toEqual([]);
    expect(store.warnings).toHaveLength(1);
    expect(store.warnings[0]).toMatch(
      /history\.json: the drill history could not be used because it is not valid JSON; set aside as .*history\.json\.corrupt-\d{4}-/,
    );
    expect(store.warnings[0]).not.toContain('\n');
    const aside = readdirSync(dir).filter((f) => f.startsWith('history.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0] as string), 'utf8')).toBe('{"version": 1, "drills": [');
    expect(store.recordDrill(drill('fresh')).ok).toBe(true);
    expect(
      openStore({dir})
        .drills()
        .map((d) => d.id),
    ).toEqual(['fresh']);
  });

  it('sets aside a file that is JSON but not the expected shape', () => {
    const dir = tempDir('store');
    writeFileSync(
      join(dir, 'holders.json'),
      JSON.stringify({version: 1, holders: [{fingerprint: 'nope'}]}),
    );
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({settings: {reviewDays: -4}}));
    const store = openStore({dir});
    expect(store.registry()).toEqual([]);
    expect(store.settings().reviewDays).toBe(90);
    expect(store.warnings.join('\n')).toMatch(
      /holders\.json: the holder registry could not be used because it does not match the expected format \(holders\.0\.fingerprint/,
    );
    expect(store.warnings.join('\n')).toMatch(/settings\.json: the settings could not be used/);
    expect(existsSync(join(dir, 'holders.json'))).toBe(false);
  });

  it('a damaged file found while writing is set aside too, and the write goes through', () => {
    const dir = tempDir('store');
    const store = openStore({dir});
    store.addCustody({from: 'a', to: 'b', date: '2025-01-01T00:00:00Z'});
    writeFileSync(join(dir, 'custody.json'), 'garbage');
    expect(store.addCustody({from: 'c', to: 'd', date: '2025-01-02T00:00:00Z'}).ok).toBe(true);
    expect(store.custody().map((c) => c.from)).toEqual(['c']);
    expect(store.warnings).toHaveLength(1);
  });
});

describe('the store lock', () => {
  it('breaks a lock left by a crashed writer (older than the stale limit)', () => {
    const dir = tempDir('store');
    const lock = join(dir, 'store.lock');
    writeFileSync(lock, '999999@elsewhere\n');
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(lock, old, old);
    // No time to wait at all: only breaking the stale lock at once can succeed.
    const store = openStore({dir, timeoutMs: 0, staleMs: 10_000});
    expect(store.addCustody({from: 'a', to: 'b'}).ok).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it('waits for a live lock and gives up with a clear error', () => {
    const dir = tempDir('store');
    writeFileSync(join(dir, 'store.lock'), 'held\n');
    const store = openStore({dir, timeoutMs: 300, staleMs: 10_000});
    const r = store.addCustody({from: 'a', to: 'b'});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.reason).toBe('store-locked');
      expect(r.error.message).toContain('store.lock');
    }
    expect(store.custody()).toEqual([]);
  });

  it('leaves a lock another process took over alone when releasing', () => {
    const dir = tempDir('store');
    const lock = join(dir, 'x.lock');
    withLock(lock, () => writeFileSync(lock, 'someone else\n'));
    expect(readFileSync(lock, 'utf8')).toBe('someone else\n');
  });
});
