/**
 * What sd-drill writes to a holder's stick, on the file systems sticks really have: FAT32 and
 * exFAT images mounted in user space (fusefat, exfat-fuse). A key pair made by `keygen`, a
 * drill's report pair, a restore blob — each written whole, with nothing beside it, and never
 * over what is there.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseRestoreBlob} from '../../source/domain/azure/restore-blob.js';
import {loadUnencryptedKey} from '../../source/domain/key-unlock.js';
import {describeLocation} from '../../source/media/location.js';
import {azureRestoreBlobArgs, demoPlan} from '../hardening/kit.js';
import {mountStickImage, type StickFs} from '../helpers/mounts.js';
import {cleanErrorProblems, runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';

const STICKS: Array<[string, StickFs]> = [
  ['a FAT32 stick (fusefat)', 'fat32'],
  ['an exFAT stick (exfat-fuse)', 'exfat'],
];

describe.each(STICKS)('onto %s', (_name, fs) => {
  it('keygen writes the key pair whole, then refuses to write over it', async (ctx) => {
    const stick = mountStickImage(ctx, fs).dir;
    const out = join(stick, 'alice');
    // What the removable check says of this mount decides whether keygen needs to be told:
    // fusefat's image is no disk at all ("could not tell", a warning), exfat-fuse's loop
    // device is a file posing as a fixed disk (refused without --allow-fixed-disk).
    const where = await describeLocation(out);
    expect(['fixed', 'not-a-disk']).toContain(where.kind);
    const args = ['keygen', '--out', out, '--holder', 'alice', '--no-passphrase', '--bits', '2048'];
    if (where.kind === 'fixed') {
      const refused = runCli(args);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/is on a fixed disk/);
      expect(readdirSync(stick)).toEqual([]);
      args.push('--allow-fixed-disk');
    }
    const r = runCli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/fingerprint \(SHA-256\): [0-9a-f]{64}/);
    if (where.kind === 'not-a-disk') expect(r.stderr).toMatch(/could not tell whether/);
    expect(readdirSync(out).sort()).toEqual(['alice.cer', 'alice.key']);
    const keyPem = readFileSync(join(out, 'alice.key'));
    expect(loadUnencryptedKey(join(out, 'alice.key')).ok).toBe(true);

    const again = runCli([...args, '--allow-fixed-disk']);
    expect(again.code).toBe(2);
    expect(cleanErrorProblems(again.stderr)).toEqual([]);
    expect(again.stderr).toContain(`${join(out, 'alice.key')}: already exists`);
    expect(readFileSync(join(out, 'alice.key')).equals(keyPem)).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['alice.cer', 'alice.key']);
  }, 60_000);

  it('a drill writes its report pair to a report folder there, and report verify accepts it', (ctx) => {
    const stick = mountStickImage(ctx, fs).dir;
    const reportDir = join(stick, 'reports');
    const plan = demoPlan(tempDir('fat-demo'), reportDir, {pinFirstUse: true});
    const env = {SD_DRILL_CONFIG_DIR: tempDir('fat-store')};
    const r = runCli(['drill', '--plan', plan], {env});
    expect(r.code, r.stderr).toBe(0);
    const names = readdirSync(reportDir).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^drill-.+\.json$/);
    expect(names[1]).toBe((names[0] ?? '').replace(/\.json$/, '.md'));
    const verified = runCli(['report', 'verify', join(reportDir, names[0] ?? '')], {env});
    expect(verified.code, verified.stderr).toBe(0);
    expect(readdirSync(stick)).toEqual(['reports']);
  }, 60_000);

  it('restore-blob writes the blob whole, then refuses to write over it', (ctx) => {
    const stick = mountStickImage(ctx, fs).dir;
    const out = join(stick, 'restore-blob.json');
    const args = azureRestoreBlobArgs(out);
    const r = runCli(args);
    expect(r.code, r.stderr).toBe(0);
    const written = readFileSync(out);
    expect(parseRestoreBlob(out, written).ok).toBe(true);
    const again = runCli(args);
    expect(again.code).toBe(2);
    expect(cleanErrorProblems(again.stderr)).toEqual([]);
    expect(again.stderr).toContain(`${out}: already exists`);
    expect(readFileSync(out).equals(written)).toBe(true);
    expect(readdirSync(stick)).toEqual(['restore-blob.json']);
  }, 60_000);
});
