import {describe, expect, it} from 'vitest';
import {cleanErrorProblems, runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';

const FP = '571e6437403e5257a75123a0aa7c8b026c1b4364ee8711c6974f754806ad8366';
const fresh = () => ({SD_DRILL_CONFIG_DIR: tempDir('custody')});

describe('sd-drill custody', () => {
  it('records hand-offs and lists them, oldest first', () => {
    const env = fresh();
    expect(
      runCli(
        [
          'custody',
          'add',
          '--from',
          'Alice',
          '--to',
          'Bob',
          '--fingerprint',
          FP.toUpperCase(),
          '--note',
          'moved to Zurich',
          '--date',
          '2025-02-01',
        ],
        {env},
      ).code,
    ).toBe(0);
    const second = runCli(
      ['custody', 'add', '--from', 'Bob', '--to', 'Carol', '--date', '2025-01-15T09:30:00+01:00'],
      {env},
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Recorded: 2025-01-15 Bob → Carol');
    const list = runCli(['custody', 'list', '--json'], {env});
    expect(JSON.parse(list.stdout).custody).toEqual([
      {date: '2025-01-15T08:30:00.000Z', fingerprint: null, from: 'Bob', to: 'Carol', note: null},
      {
        date: '2025-02-01T00:00:00.000Z',
        fingerprint: FP,
        from: 'Alice',
        to: 'Bob',
        note: 'moved to Zurich',
      },
    ]);
    expect(runCli(['custody', 'list'], {env}).stdout.split('\n')[1]).toBe(
      `2025-02-01  Alice → Bob  key ${FP}  — moved to Zurich`,
    );
  });

  it('refuses a bad date or fingerprint with one line and exit 2', () => {
    const env = fresh();
    for (const args of [
      ['custody', 'add', '--from', 'a', '--to', 'b', '--date', 'last tuesday'],
      ['custody', 'add', '--from', 'a', '--to', 'b', '--fingerprint', 'abc'],
    ]) {
      const r = runCli(args, {env});
      expect(r.code).toBe(2);
      expect(cleanErrorProblems(r.stderr)).toEqual([]);
    }
    expect(runCli(['custody', 'add', '--from', 'a'], {env}).code).toBe(2);
    expect(JSON.parse(runCli(['custody', 'list', '--json'], {env}).stdout).custody).toEqual([]);
  });
});

describe('sd-drill holders', () => {
  it('registers custodians, lists them, and logs a change of hands', () => {
    const env = fresh();
    const r = runCli(
      [
        'holders',
        'register',
        '--fingerprint',
        FP,
        '--custodian',
        'Alice Smith',
        '--role',
        'Security Architect',
        '--location',
        'Safe B, Zurich',
      ],
      {env},
    );
    expect(r.code).toBe(0);
    expect(runCli(['holders', 'list'], {env}).stdout.trim()).toMatch(
      new RegExp(`^${FP}  Alice Smith, Security Architect, Safe B, Zurich  since \\d{4}-`),
    );
    const moved = runCli(
      [
        'holders',
        'register',
        '--fingerprint',
        FP,
        '--custodian',
        'Bob Jones',
        '--role',
        'Security Engineer',
      ],
      {env},
    );
    expect(moved.stdout).toContain('was Alice Smith; the hand-off is recorded in the custody log');
    const holders = JSON.parse(runCli(['holders', 'list', '--json'], {env}).stdout).holders;
    expect(holders).toEqual([
      expect.objectContaining({
        fingerprint: FP,
        custodian: 'Bob Jones',
        role: 'Security Engineer',
        location: null,
      }),
    ]);
    expect(JSON.parse(runCli(['custody', 'list', '--json'], {env}).stdout).custody).toEqual([
      expect.objectContaining({fingerprint: FP, from: 'Alice Smith', to: 'Bob Jones'}),
    ]);
  });

  it('warns when a hand-off leaves the registry out of date', () => {
    const env = fresh();
    runCli(['holders', 'register', '--fingerprint', FP, '--custodian', 'Alice', '--role', 'Lead'], {
      env,
    });
    const r = runCli(['custody', 'add', '--from', 'Alice', '--to', 'Dave', '--fingerprint', FP], {
      env,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the holder registry still lists Alice/);
  });

  it('refuses a registration without a usable fingerprint', () => {
    const r = runCli(
      ['holders', 'register', '--fingerprint', 'xyz', '--custodian', 'A', '--role', 'B'],
      {env: fresh()},
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fingerprint "xyz": give the key's SHA-256 certificate fingerprint/);
  });
});
