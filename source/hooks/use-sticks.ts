import {useEffect, useRef, useState} from 'react';
import type {Stick} from '../media/stick.js';
import {watchSticks, type WatchOptions} from '../media/watch.js';

/** Sticks in the order people count them: holder-2 before holder-10, Alice with alice. */
const byLabel = new Intl.Collator('en', {numeric: true, sensitivity: 'base'});

export function naturalOrder(sticks: readonly Stick[]): Stick[] {
  return [...sticks].sort(
    (a, b) => byLabel.compare(a.label, b.label) || byLabel.compare(a.path, b.path),
  );
}

/**
 * The sticks present right now, in natural order of their labels. Real mounts arriving and leaving are reported to the
 * callbacks (the ceremony treats that as insert/remove); folder sticks from --media are
 * listed for the operator to "insert" by choosing one.
 */
export function useSticks(
  options: WatchOptions,
  onArrive: (stick: Stick) => void,
  onLeave: (stick: Stick) => void,
): Stick[] {
  const [sticks, setSticks] = useState<Stick[]>([]);
  const handlers = useRef({onArrive, onLeave});
  useEffect(() => {
    handlers.current = {onArrive, onLeave};
  });
  const key = JSON.stringify({m: options.mediaDirs ?? [], r: options.mountRoots ?? []});
  useEffect(() => {
    const watcher = watchSticks(options, (event) => {
      setSticks(naturalOrder(watcher.current()));
      // A stick plugged in while the drill runs is inserted; folders and sticks already in are
      // chosen from the list instead.
      if (event.stick.source !== 'mount' || (event.type === 'arrived' && event.initial)) return;
      if (event.type === 'arrived') handlers.current.onArrive(event.stick);
      else handlers.current.onLeave(event.stick);
    });
    return () => watcher.stop();
    // The watcher restarts only when the media folders or mount roots change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return sticks;
}
