/**
 * The shell around the solo use, "Check my key (one holder)": a solo-check session
 * (drill/solo-check.ts), the sticks as they come and go, the domain file from --sd or chosen
 * on screen. No ceremony machine: no quorum, no custodian of the whole domain.
 */
import {useEffect, useRef, useState} from 'react';
import {useApp} from 'ink';
import {AppFrame} from './components/app-frame.js';
import type {SoloCheckSession, SoloStep} from './drill/solo-check.js';
import {useKeys} from './hooks/use-keys.js';
import {useSoloCheck} from './hooks/use-solo-check.js';
import {useSticks} from './hooks/use-sticks.js';
import type {Stick} from './media/stick.js';
import {CheckScreen} from './screens/check-screen.js';

const STEP_TITLE: Record<SoloStep, string> = {
  domain: 'Your domain file',
  stick: 'Insert your stick',
  passphrase: 'Your passphrase',
  checking: 'Checking',
  result: 'Result',
};

const FLOW: SoloStep[] = ['domain', 'stick', 'passphrase', 'result'];

/**
 * The solo check's frame (the ceremony's, with its own header):
 *   sd-drill · Check my key (one holder)
 *   Step 2/4 Insert your stick   domain › [stick] › passphrase › result
 */
export function CheckFrame({step, children}: {step?: SoloStep; children: React.ReactNode}) {
  return (
    <AppFrame
      header={{
        use: 'Check my key (one holder)',
        flow: FLOW,
        step: step ?? 'starting',
        stepTitle: step ? STEP_TITLE[step] : 'Starting',
      }}
    >
      {children}
    </AppFrame>
  );
}

export function SoloCheckApp({
  makeSession,
  candidates,
  options,
  onChecked,
  onQuit,
}: {
  makeSession: () => SoloCheckSession;
  /** Security-domain files on the sticks present. */
  candidates: (sticks: Stick[]) => string[];
  options: {sdFile?: string; mediaDirs: string[]; mountRoots?: string[]};
  onChecked?: (ok: boolean) => void;
  /** Back to the start screen. */
  onQuit: () => void;
}) {
  const [session] = useState(makeSession);
  const {exit} = useApp();
  const state = useSoloCheck(session);
  const triedSd = useRef(false);
  const sticks = useSticks(
    {mediaDirs: options.mediaDirs, ...(options.mountRoots ? {mountRoots: options.mountRoots} : {})},
    (stick) => void session.stickInserted(stick),
    (stick) => session.stickRemoved(stick.path),
  );
  const quit = () => {
    session.dispose();
    exit();
  };
  // At the result nothing is left to abort: Ctrl-C quits (the footer says so).
  const over = state.step === 'result';
  useKeys({abort: !over && quit, leave: over && quit});
  useEffect(() => {
    if (state.step === 'domain' && options.sdFile && !triedSd.current) {
      triedSd.current = true;
      session.chooseDomain(options.sdFile);
    }
  }, [state.step, options.sdFile, session]);
  useEffect(() => {
    if (state.result) onChecked?.(state.result.ok);
  }, [state.result, onChecked]);
  useEffect(() => () => session.dispose(), [session]);
  return (
    <CheckFrame step={state.step}>
      <CheckScreen
        session={session}
        sticks={sticks}
        candidates={state.step === 'domain' ? candidates(sticks) : []}
        onBack={() => {
          session.dispose();
          onQuit();
        }}
        onQuit={quit}
      />
    </CheckFrame>
  );
}
