import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** What a terminal that says nothing about its size is taken to be. */
export const DEFAULT_SIZE: TerminalSize = {columns: 80, rows: 24};

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return {
    columns: stdout.columns > 0 ? stdout.columns : DEFAULT_SIZE.columns,
    rows: stdout.rows > 0 ? stdout.rows : DEFAULT_SIZE.rows,
  };
}

/**
 * The terminal's size, re-rendering when it changes (SIGWINCH reaches Node as stdout's
 * 'resize'). Ink lays out every Box to the new width by itself; what a component spells out
 * in characters (a rule, a bar, a column of names, how many rows a list may take) follows this.
 */
export function useTerminalSize(): TerminalSize {
  const {stdout} = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () =>
      setSize((previous) => {
        const next = sizeOf(stdout);
        return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
      });
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
