/** Stick discovery, watching and scanning: the media services the ceremony and commands use. */
export type {Stick, StickSource} from './stick.js';
export {
  defaultMountRoots,
  discoverSticks,
  type DiscoveryOptions,
  type MediaProbes,
} from './discover.js';
export {
  watchSticks,
  POLL_INTERVAL_MS,
  type StickEvent,
  type StickWatcher,
  type WatchOptions,
} from './watch.js';
export {
  scanStick,
  MAX_SCAN_ENTRIES,
  type FoundCertificate,
  type FoundKey,
  type Refusal,
  type RefusalCode,
  type ScanOptions,
  type StickScan,
} from './scan.js';
export {
  mediaEvidence,
  verdictFor,
  type KeyMediaEvidence,
  type KeyOnStick,
  type MediaEvidence,
  type MediaVerdict,
  type SharedDevice,
} from './evidence.js';
export {
  describeLocation,
  isOnFixedDisk,
  type LocationKind,
  type MediaLocation,
} from './location.js';
