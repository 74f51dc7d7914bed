/**
 * Evidence for the policy "each key on its own removable device, never on a computer's fixed
 * disk": for each key used in a drill, what it was on, and which keys shared a device.
 */
import type {Stick, StickSource} from './stick.js';

export interface KeyOnStick {
  /** How the report names the key: a holder, a fingerprint… */
  key: string;
  stick: Stick;
  file?: string;
}

/**
 * `removable`: real removable hardware. `simulated`: a --media folder — fine for a demo, not
 * evidence about real sticks. `fixed`: a computer's own disk (or no disk at all, e.g. tmpfs).
 * `unknown`: the system could not tell.
 */
export type MediaVerdict = 'removable' | 'simulated' | 'fixed' | 'unknown';

export interface KeyMediaEvidence {
  key: string;
  file: string | null;
  stick: string;
  label: string;
  source: StickSource;
  verdict: MediaVerdict;
  removable: boolean | null;
  deviceId: string;
  /** Other keys that came from the same physical device. */
  sharesDeviceWith: string[];
  /** The stick's own line on why it is (not) removable. */
  evidence: string;
}

export interface SharedDevice {
  deviceId: string;
  keys: string[];
  /** Stick paths (two partitions of one disk are two paths, one device). */
  sticks: string[];
}

export interface MediaEvidence {
  keys: KeyMediaEvidence[];
  /** Devices that held more than one key: each is a policy finding. */
  sharedDevices: SharedDevice[];
}

export function verdictFor(stick: Stick): MediaVerdict {
  if (stick.simulated) return 'simulated';
  if (stick.removable === true) return 'removable';
  if (stick.removable === false) return 'fixed';
  return 'unknown';
}

/** Pure: groups the keys by the physical device they came from. */
export function mediaEvidence(uses: KeyOnStick[]): MediaEvidence {
  const byDevice = new Map<string, KeyOnStick[]>();
  for (const use of uses) {
    const list = byDevice.get(use.stick.deviceId) ?? [];
    list.push(use);
    byDevice.set(use.stick.deviceId, list);
  }
  const keys = uses.map((use) => ({
    key: use.key,
    file: use.file ?? null,
    stick: use.stick.path,
    label: use.stick.label,
    source: use.stick.source,
    verdict: verdictFor(use.stick),
    removable: use.stick.removable,
    deviceId: use.stick.deviceId,
    sharesDeviceWith: (byDevice.get(use.stick.deviceId) ?? [])
      .filter((other) => other !== use)
      .map((other) => other.key),
    evidence: use.stick.evidence,
  }));
  const sharedDevices = [...byDevice.entries()]
    .filter(([, list]) => list.length > 1)
    .map(([deviceId, list]) => ({
      deviceId,
      keys: list.map((u) => u.key),
      sticks: [...new Set(list.map((u) => u.stick.path))],
    }));
  return {keys, sharedDevices};
}
