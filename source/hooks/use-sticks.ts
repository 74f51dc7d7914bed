import {useEffect, useRef, useState} from 'react';
import type {Stick} from '../media/stick.js';
import {watchSticks, type WatchOptions} from '../media/watch.js';

/**
 * The sticks present right now. Real mounts arriving and leaving are reported to the
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
      setSticks(watcher.current());
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
