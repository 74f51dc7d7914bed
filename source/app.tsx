import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {Box, useApp} from 'ink';
import type {AppOptions, DrillServices} from './app-services.js';
import {StepScreen} from './step-screen.js';
import {sharesHeld} from './ceremony/reduce.js';
import {needsFirstPin} from './ceremony/steps.js';
import {FirstPinScreen} from './screens/first-pin-screen.js';
import type {Custodian} from './ceremony/types.js';
import {AppFrame, KeysProvider} from './components/app-frame.js';
import {Text} from './components/text.js';
import {color} from './components/theme.js';
import type {DrillSession} from './drill/session.js';
import {useKeys} from './hooks/use-keys.js';
import {useIdleTick, useSession} from './hooks/use-session.js';
import {useSticks} from './hooks/use-sticks.js';
import {useStickContents} from './hooks/use-stick-contents.js';
import type {EnrolRequest} from './screens/enrol-screen.js';

export type {AppOptions, DrillServices} from './app-services.js';

export {AppFrame};

interface AppProps {
  session: DrillSession;
  services: DrillServices;
  options: AppOptions;
  /** The start screen's sixth use, "Check my key": not a ceremony, so the shell runs it. */
  onCheck?: () => void;
}

/** The ceremony's screens over one session, with one key registry for all their keys. */
export function App(props: AppProps) {
  return (
    <KeysProvider>
      <Ceremony {...props} />
    </KeysProvider>
  );
}

function Ceremony({session, services, options, onCheck}: AppProps) {
  const state = useSession(session);
  const {exit} = useApp();
  useIdleTick(session);
  const [extraMedia, setExtraMedia] = useState<string[]>([]);
  const [confirmAbort, setConfirmAbort] = useState(false);
  const [starting, setStarting] = useState(false);
  const [enrolling, setEnrolling] = useState(false);
  const [enrolError, setEnrolError] = useState<string>();
  const [saveError, setSaveError] = useState<string>();
  const [practiceSd, setPracticeSd] = useState<string>();
  const loadedOnce = useRef(false);
  const lostOnce = useRef(false);
  const modeChosenOnce = useRef(false);
  const finished = useRef(false);
  // Read again as each holder presents (and at each step): a holder registered from another
  // terminal while the ceremony runs is known when they come.
  const presentingFile = state.presenting?.file;
  const registry = useMemo(
    () => services.registry?.() ?? new Map<string, Custodian>(),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-read per presentation and step
    [services, presentingFile, state.step],
  );

  const sticks = useSticks(
    {
      mediaDirs: [...options.mediaDirs, ...extraMedia],
      ...(options.mountRoots ? {mountRoots: options.mountRoots} : {}),
    },
    (stick) => {
      const step = session.getState().step;
      if (step === 'collect' || step === 'prove') void session.stickInserted(stick);
      else if (step === 'enlist') void session.rotation.readStick(stick);
    },
    (stick) => session.stickRemoved(stick.path),
  );

  // What is on each stick, looked at again as the ceremony moves (a share taken, a step).
  const contents = useStickContents(
    sticks,
    session.stickContents,
    `${state.step}:${state.awaitingRemoval ?? ''}:${state.rotation?.newHolders.length ?? 0}`,
  );

  const startRecovery = useCallback(() => {
    setStarting(true);
    // A moment to see the old HSM go down before the new one comes up.
    void new Promise((r) => setTimeout(r, 1200))
      .then(() => session.bringUpRecoveryHsm())
      .finally(() => setStarting(false));
  }, [session]);

  const abort = useCallback(
    (reason: string) => {
      setConfirmAbort(false);
      if (!session.getState().domain) {
        session.wipeSecrets();
        exit();
        return;
      }
      session.abort(reason);
    },
    [session, exit],
  );

  // Onboarding: the newcomer's key and the practice domain, then the drill on them.
  const enrol = (r: EnrolRequest) => {
    setEnrolling(true);
    void services.enrol(r).then((res) => {
      setEnrolling(false);
      if (!res.ok) return setEnrolError(res.message);
      setExtraMedia([res.sticksDir]);
      setPracticeSd(res.sdFile);
      session.dispatch({
        type: 'enrolled',
        holder: r.holder,
        certFingerprint: res.certFingerprint,
      });
    });
  };

  const inspectBack = () => {
    loadedOnce.current = true;
    session.dispatch({type: 'back'});
  };

  const over = state.step === 'report' || state.step === 'done';
  // Asked whether to pin a first-seen domain: Ctrl-C answers no, and the report is written.
  const pinning = needsFirstPin(state);
  useKeys(
    {
      abort:
        !over &&
        (() =>
          sharesHeld(state) ? setConfirmAbort(true) : abort('aborted by the operator (Ctrl-C)')),
      decline: pinning && (() => session.decideFirstPin(false)),
      leave: over && !pinning && (() => exit()),
    },
    {isActive: !confirmAbort},
  );

  // After a pass on a domain with no record here: pin its key? (answered before the report)
  const asking = needsFirstPin(state);

  // Steps the shell moves on by itself: a mode or file given on the command line, the
  // report being written.
  useEffect(() => {
    // The use given (on the command line, or chosen while the TUI loaded) is taken once: going
    // back to the start screen later shows it.
    if (state.step === 'start' && options.mode && !modeChosenOnce.current) {
      modeChosenOnce.current = true;
      session.chooseMode(options.mode);
    }
    const sd = practiceSd ?? options.sdFile;
    if (state.step === 'load' && sd && !loadedOnce.current) {
      loadedOnce.current = true;
      session.loadDomain(sd);
    }
    if (state.step === 'inspect' && options.lost && !lostOnce.current) {
      lostOnce.current = true;
      session.compromise.reportLost(options.lost);
    }
    // A first-seen domain's key is pinned (or not) before the report is written: it says which.
    if (state.step === 'report' && !finished.current && !asking) {
      finished.current = true;
      void services.finish(session).then(setSaveError);
    }
  }, [
    state.step,
    asking,
    state.scenario,
    state.hsm.recovery,
    starting,
    options,
    practiceSd,
    session,
    services,
  ]);

  // Nobody answers the pin question: after the idle limit it is answered no (the domain secret
  // is held while it waits) and the report is written.
  useEffect(() => {
    if (!asking) return;
    const timer = setTimeout(() => session.decideFirstPin(false), state.idleLimitMs);
    timer.unref();
    return () => clearTimeout(timer);
  }, [asking, session, state.idleLimitMs]);
  const pinFacts = asking ? services.firstPinFacts(state) : undefined;

  let screen: React.ReactNode;
  if (pinFacts) {
    screen = <FirstPinScreen facts={pinFacts} onDecide={(pin) => session.decideFirstPin(pin)} />;
  } else if (confirmAbort) {
    screen = (
      <ConfirmAbort
        onConfirm={() => abort('aborted by the operator (Ctrl-C)')}
        onCancel={() => setConfirmAbort(false)}
      />
    );
  } else {
    screen = (
      <StepScreen
        state={state}
        session={session}
        services={services}
        options={options}
        sticks={sticks}
        contents={contents}
        registry={registry}
        starting={starting}
        startRecovery={startRecovery}
        enrolling={enrolling}
        enrolError={enrolError}
        enrol={enrol}
        inspectBack={inspectBack}
        saveError={saveError}
        onCheck={onCheck}
        exit={exit}
      />
    );
  }

  return (
    <AppFrame
      step={state.step}
      {...(state.mode ? {mode: state.mode} : {})}
      {...(state.domain
        ? {
            domain: `${state.domain.name ?? 'domain'} (${state.domain.required} of ${state.domain.total})`,
          }
        : {})}
    >
      {screen}
    </AppFrame>
  );
}

/** Ctrl-C with shares held: y ends the drill, n or Esc goes back to it. */
function ConfirmAbort({onConfirm, onCancel}: {onConfirm: () => void; onCancel: () => void}) {
  useKeys({yes: onConfirm, no: onCancel, cancel: onCancel});
  return (
    <Box flexDirection="column" gap={1}>
      <Text color={color('warning')}>
        Abort the drill? The shares held so far will be wiped and the drill recorded as aborted.
      </Text>
      <Text>Abort? Press y to abort, n to go on with the drill.</Text>
    </Box>
  );
}
