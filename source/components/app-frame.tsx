import {useContext, useMemo, useState} from 'react';
import {Box} from 'ink';
import type {CeremonyState, Mode} from '../ceremony/types.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {display} from './display.js';
import {footerRows, HelpLine, useShownKeys} from './help-line.js';
import {InsideFrameContext, KeyRegistry, KeyRegistryContext} from './key-registry.js';
import {LayoutContext, type Layout} from './layout.js';
import {ceremonyHeader, headerLines, StepHeader, type HeaderModel} from './step-header.js';
import {rowsOf} from './wrap.js';

/** A key registry for what is inside (the footer lists what its components honour). */
export function KeysProvider({children}: {children: React.ReactNode}) {
  const outer = useContext(KeyRegistryContext);
  const [own] = useState(() => new KeyRegistry());
  return <KeyRegistryContext.Provider value={outer ?? own}>{children}</KeyRegistryContext.Provider>;
}

/**
 * The frame every screen sits in: the header with the step line, the screen, and the footer
 * with the keys that work there. It reads the terminal's size (and follows a resize) and tells
 * the screen the width and the rows it has (components/layout.ts): the whole frame stays one
 * row short of the terminal, so Ink never falls back to clearing the screen on every frame.
 */
export function AppFrame(props: FrameProps) {
  return (
    <KeysProvider>
      <Frame {...props} />
    </KeysProvider>
  );
}

/** A ceremony's step, or any other use's header (the solo check's). */
type FrameProps = (
  {step: CeremonyState['step']; mode?: Mode; domain?: string} | {header: HeaderModel}
) & {children: React.ReactNode};

function Frame(props: FrameProps) {
  const {children} = props;
  const header = 'header' in props ? props.header : ceremonyHeader(props);
  const {step} = header;
  const {columns, rows} = useTerminalSize();
  const registry = useContext(KeyRegistryContext);
  // A new screen (new children): the keys its components claim as they render now are the
  // footer's; those of what it replaces stop counting (key-registry.ts).
  registry?.rendering(children);
  const fresh = registry?.steppingTo(step) ?? false;
  const shown = useShownKeys();
  const {screenReader} = display();
  const width = Math.max(20, columns);
  const [title, second] = headerLines(header, width);
  const headerRows = rowsOf(title, width) + rowsOf(second, width);
  // The footer's rows; for a new step's first frame, which renders before its keys are known
  // (they are claimed as it renders), a rule and two lines of keys at least.
  const footer = fresh ? Math.max(3, footerRows(shown, width)) : footerRows(shown, width);
  // One row stays free below the frame: Ink leaves the cursor there.
  const bodyRows = Math.max(4, rows - 1 - headerRows - 1 - footer);
  const layout = useMemo<Layout>(
    () => ({width, rows, bodyRows, screenReader}),
    [width, rows, bodyRows, screenReader],
  );
  return (
    <LayoutContext.Provider value={layout}>
      <Box flexDirection="column">
        <StepHeader header={header} />
        <Box marginTop={screenReader ? 0 : 1} flexDirection="column">
          <InsideFrameContext.Provider value={true}>{children}</InsideFrameContext.Provider>
        </Box>
        <HelpLine />
      </Box>
    </LayoutContext.Provider>
  );
}
