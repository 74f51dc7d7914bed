import {describe, expect, it} from 'vitest';
import {mediaEvidence} from '../../source/media/evidence.js';
import {describeFolder} from '../../source/media/discover.js';
import type {Stick} from '../../source/media/stick.js';

const usb = (path: string, deviceId: string, removable: boolean | null = true): Stick => ({
  id: `mount:1:${path}`,
  path,
  label: path.split('/').pop() ?? path,
  source: 'mount',
  device: `${deviceId}1`,
  deviceId,
  fsType: 'vfat',
  removable,
  simulated: false,
  transport: removable ? 'usb' : 'sata',
  evidence: `${deviceId}: ${removable ? 'removable' : 'fixed disk'}`,
  rootDev: 2065,
});

describe('mediaEvidence', () => {
  it('each key on its own removable stick: no shared devices', () => {
    const ev = mediaEvidence([
      {key: 'alice', stick: usb('/media/u/A', '/dev/sdb')},
      {key: 'bob', stick: usb('/media/u/B', '/dev/sdc')},
    ]);
    expect(ev.sharedDevices).toEqual([]);
    expect(ev.keys.map((k) => [k.key, k.verdict, k.sharesDeviceWith])).toEqual([
      ['alice', 'removable', []],
      ['bob', 'removable', []],
    ]);
  });

  it('two partitions of one disk are one device; a fixed disk and an unknown are called so', () => {
    const ev = mediaEvidence([
      {key: 'alice', stick: usb('/media/u/A1', '/dev/sdb')},
      {key: 'bob', stick: usb('/media/u/A2', '/dev/sdb')},
      {key: 'carol', stick: usb('/mnt/backup', '/dev/sda', false)},
      {key: 'dave', stick: usb('/media/u/D', '/dev/sdd', null)},
    ]);
    expect(ev.sharedDevices).toEqual([
      {deviceId: '/dev/sdb', keys: ['alice', 'bob'], sticks: ['/media/u/A1', '/media/u/A2']},
    ]);
    expect(ev.keys.map((k) => [k.key, k.verdict, k.sharesDeviceWith])).toEqual([
      ['alice', 'removable', ['bob']],
      ['bob', 'removable', ['alice']],
      ['carol', 'fixed', []],
      ['dave', 'unknown', []],
    ]);
    expect(ev.keys[2]?.evidence).toBe('/dev/sda: fixed disk');
  });

  it('--media folders are simulated, and two keys in one folder share it', () => {
    const a = describeFolder('/demo/sticks/alice', 1);
    const ev = mediaEvidence([
      {key: 'alice', stick: a, file: '/demo/sticks/alice/alice.key'},
      {key: 'alice-old', stick: a, file: '/demo/sticks/alice/old.key'},
      {key: 'bob', stick: describeFolder('/demo/sticks/bob', 1)},
    ]);
    expect(ev.keys.map((k) => [k.key, k.verdict, k.source, k.removable])).toEqual([
      ['alice', 'simulated', 'folder', true],
      ['alice-old', 'simulated', 'folder', true],
      ['bob', 'simulated', 'folder', true],
    ]);
    expect(ev.sharedDevices).toEqual([
      {
        deviceId: 'folder:/demo/sticks/alice',
        keys: ['alice', 'alice-old'],
        sticks: ['/demo/sticks/alice'],
      },
    ]);
  });
});
