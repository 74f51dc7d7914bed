import {useEffect, useState} from 'react';
import type {StickContents} from '../drill/stick-contents.js';
import type {Stick} from '../media/stick.js';

/**
 * What is on each stick present (see drill/stick-contents.ts), looked at again whenever the
 * sticks present or `moment` (the step, a stick taken out) change; undefined until known.
 */
export function useStickContents(
  sticks: readonly Stick[],
  look: (sticks: readonly Stick[]) => Promise<Map<string, StickContents>>,
  moment: string,
): Map<string, StickContents> | undefined {
  const [contents, setContents] = useState<Map<string, StickContents>>();
  const key = `${sticks.map((s) => s.path).join('\n')}\n${moment}`;
  useEffect(() => {
    let live = true;
    void look(sticks).then(
      (m) => live && setContents(m),
      () => live && setContents(new Map()),
    );
    return () => {
      live = false;
    };
    // Keyed on the sticks' paths and the moment, not the array's identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, look]);
  return contents;
}
