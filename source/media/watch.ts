/**
 * Sticks arriving and leaving, as events.
 *
 * Poll, not watch: every 250 ms the watcher re-reads /proc/self/mountinfo (a few KiB from
 * memory, microseconds) and lists each --media DIR. inotify does not fire for /proc files, and
 * the kernel's way to be told about mount changes — poll() on mountinfo waiting for
 * POLLPRI/POLLERR — is not exposed by Node; fs.watch on /media or /run/media/<user> misses
 * mounts made elsewhere (/mnt, a root named with --mount-root) and behaves differently on
 * macOS. Polling is the same simple code on every platform and bounds the delay: a mounted
 * stick is reported within one interval plus the time lsblk/diskutil take to describe it.
 *
 * I/O only: the watcher keeps the set of sticks and reports changes; what a stick means for
 * the ceremony is decided elsewhere. From a React hook:
 *
 *   useEffect(() => {
 *     const watcher = watchSticks(options, (event) => dispatch({type: 'stick', event}));
 *     return () => watcher.stop();
 *   }, []);
 */
import {
  describeCandidates,
  listCandidates,
  planDiscovery,
  type DiscoveryOptions,
} from './discover.js';
import type {Stick} from './stick.js';

export const POLL_INTERVAL_MS = 250;

export type StickEvent =
  /** `initial` is true for sticks already present when the watcher started. */
  | {type: 'arrived'; stick: Stick; initial: boolean; at: number}
  | {type: 'left'; stick: Stick; at: number};

export interface WatchOptions extends DiscoveryOptions {
  intervalMs?: number;
  /** Called if a poll fails unexpectedly (a bug, not a pulled stick); polling goes on. */
  onError?: (error: unknown) => void;
}

export interface StickWatcher {
  /** The sticks present as of the last poll, sorted by path. */
  current(): Stick[];
  /** Resolves after the first poll: every stick present at start has been reported. */
  ready: Promise<void>;
  /** Polls now (e.g. after a scan found its stick gone) and resolves when done. */
  refresh(): Promise<void>;
  /** Stops polling; no event is delivered after this returns. */
  stop(): void;
}

export function watchSticks(
  options: WatchOptions,
  onEvent: (event: StickEvent) => void,
): StickWatcher {
  const plan = planDiscovery(options);
  const interval = options.intervalMs ?? POLL_INTERVAL_MS;
  const known = new Map<string, Stick>();
  let stopped = false;
  let initial = true;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();

  const emit = (event: StickEvent): void => {
    if (!stopped) onEvent(event);
  };

  const poll = async (): Promise<void> => {
    if (stopped) return;
    const candidates = await listCandidates(plan);
    if (stopped) return;
    const present = new Set(candidates.map((c) => c.id));
    for (const [id, stick] of known) {
      if (present.has(id)) continue;
      known.delete(id);
      emit({type: 'left', stick, at: Date.now()});
    }
    const fresh = candidates.filter((c) => !known.has(c.id));
    const wasInitial = initial;
    initial = false;
    if (fresh.length === 0) return;
    const sticks = await describeCandidates(fresh, plan.probes);
    if (stopped) return;
    // A stick that left while being described is reported now and leaves on the next poll.
    for (const stick of sticks) {
      known.set(stick.id, stick);
      emit({type: 'arrived', stick, initial: wasInitial, at: Date.now()});
    }
  };

  // Polls run one after another, never overlapping, whoever asked for them.
  const enqueue = (): Promise<void> => {
    chain = chain.then(poll).catch((error: unknown) => options.onError?.(error));
    return chain;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void enqueue().then(schedule);
    }, interval);
  };

  const ready = enqueue();
  void ready.then(schedule);

  return {
    current: () => [...known.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
    ready,
    refresh: enqueue,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
