import {createContext, useContext} from 'react';

/**
 * The room a screen has, from the terminal's size (AppFrame works it out): the width every line
 * must fit, and the rows left for the screen's own content once the header and the footer have
 * theirs. Lists and the holder list size themselves from `bodyRows`; nothing is cut to fit.
 */
export interface Layout {
  /** Columns: no line may be wider. */
  width: number;
  /** The terminal's rows. */
  rows: number;
  /** Rows for the screen between the header and the footer. */
  bodyRows: number;
  /** Linear text for a screen reader: no windows, no columns, every entry said. */
  screenReader: boolean;
}

/** Outside a frame (a screen rendered alone): an 80×24 terminal's share. */
export const LayoutContext = createContext<Layout>({
  width: 80,
  rows: 24,
  bodyRows: 16,
  screenReader: false,
});

export const useLayout = (): Layout => useContext(LayoutContext);
