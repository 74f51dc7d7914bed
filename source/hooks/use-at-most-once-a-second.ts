import {useEffect, useRef, useState} from 'react';

/**
 * A value a screen reader hears at most once a second: the latest one, held back until a
 * second has passed since the last one said. Elsewhere the value itself, at once.
 */
export function useAtMostOncePerSecond<T>(value: T, on: boolean): T {
  const [said, setSaid] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (!on || Object.is(value, said)) return;
    const wait = Math.max(0, last.current + 1000 - Date.now());
    const timer = setTimeout(() => {
      last.current = Date.now();
      setSaid(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, said, on]);
  return on ? said : value;
}
