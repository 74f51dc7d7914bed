/**
 * The Ink front end, loaded only for `drill` without --plan: headless commands never pay
 * for React and Ink at start-up.
 *
 * The first frame is drawn before the session and the report service load (the domain
 * readers, the report builder and the store are ~35 ms of compiling that the start screen
 * does not need): `Boot` shows the start screen at once and loads them meanwhile; once a use
 * is chosen (or given with --mode) and they are loaded, the App takes over with that use.
 */
import {render, useApp} from 'ink';
import {useEffect, useState} from 'react';
import {App, type AppOptions, type DrillServices} from './app.js';
import {AppFrame, KeysProvider} from './components/app-frame.js';
import {setDisplay, type Display} from './components/display.js';
import {Spinner} from './components/spinner.js';
import {TerminalStdout, TranscriptStdout} from './components/terminal-output.js';
import {useKeys} from './hooks/use-keys.js';
import type {ReportService} from './drill/services.js';
import type {DrillSession} from './drill/session.js';
import type {PracticeDomain} from './drill/practice.js';
import {CheckFrame, SoloCheckApp} from './check-app.js';
import {StartScreen, type Use} from './screens/start-screen.js';
import type {SoloCheckSession} from './drill/solo-check.js';
import {firstPinFacts} from './drill/first-pin.js';
import {wipe} from './secret.js';

export interface TuiParts {
  session: DrillSession;
  reports: ReportService;
  domainCandidates: DrillServices['domainCandidates'];
  /** A solo check ("Check my key"): one holder, no ceremony. */
  soloCheck: () => SoloCheckSession;
}

export interface TuiOptions extends AppOptions {
  /** `--mode check`: start on the solo check. */
  use?: 'check';
}

type Loaded = {session: DrillSession; services: DrillServices; soloCheck?: () => SoloCheckSession};

interface BootProps {
  load: () => Promise<Loaded>;
  options: TuiOptions;
  /** Each solo check's verdict, as it is reached (the process exits with the last). */
  onChecked?: (ok: boolean) => void;
}

export function Boot(props: BootProps) {
  return (
    <KeysProvider>
      <Starting {...props} />
    </KeysProvider>
  );
}

function Starting({load, options, onChecked}: BootProps) {
  const {exit} = useApp();
  const [ready, setReady] = useState<Loaded>();
  const [use, setUse] = useState<Use | undefined>(options.use ?? options.mode);
  const mode = use === 'check' ? undefined : use;
  useEffect(() => {
    let live = true;
    load().then(
      (parts) => live && setReady(parts),
      (error: unknown) => exit(error instanceof Error ? error : new Error(String(error))),
    );
    return () => {
      live = false;
    };
  }, [load, exit]);
  // The start screen stays Boot's until a use is chosen, so no keystroke falls between two
  // screens while the session loads.
  const handOver = ready !== undefined && use !== undefined;
  useKeys({abort: () => exit()}, {isActive: !handOver});
  if (handOver && use === 'check' && ready.soloCheck) {
    return (
      <SoloCheckApp
        makeSession={ready.soloCheck}
        candidates={ready.services.domainCandidates}
        options={options}
        {...(onChecked ? {onChecked} : {})}
        onQuit={() => setUse(undefined)}
      />
    );
  }
  if (handOver && mode) {
    return (
      <App
        session={ready.session}
        services={ready.services}
        options={{...options, mode}}
        onCheck={() => setUse('check')}
      />
    );
  }
  if (use === 'check')
    return (
      <CheckFrame>
        <Spinner label="Preparing the check…" />
      </CheckFrame>
    );
  return (
    <AppFrame step="start" {...(mode ? {mode} : {})}>
      {mode ? <Spinner label="Preparing the drill…" /> : <StartScreen onChoose={setUse} />}
    </AppFrame>
  );
}

export async function runTui(
  load: () => Promise<TuiParts>,
  options: TuiOptions,
  shown: Display,
): Promise<{checked?: boolean}> {
  setDisplay(shown);
  let checked: boolean | undefined;
  let practice: PracticeDomain | undefined;
  const servicesFor = ({reports, domainCandidates}: TuiParts): DrillServices => ({
    findings: (state) => reports.findings(state),
    registered: () => reports.registered(),
    registry: () => reports.registry(),
    chart: (state, o) => reports.chart(state, o),
    finish: async (s) => {
      const {error} = reports.finish(s);
      // The practice drill is over, whatever its verdict (an idle timeout included): its keys
      // go now, not when someone comes back to press q.
      practice?.dispose();
      return error;
    },
    domainCandidates,
    firstPinFacts: (state) => firstPinFacts(state, reports.pins()),
    enrol: async (request) => {
      try {
        // Onboarding only: key generation (node-forge) is loaded when it is needed, so the
        // first frame does not wait for it.
        const [{writeHolderKey}, {createPracticeDomain}] = await Promise.all([
          import('./domain/holder-key.js'),
          import('./drill/practice.js'),
        ]);
        const key = await writeHolderKey(
          request.stick.path,
          request.holder,
          3072,
          request.passphrase,
        );
        // Enrolling again (back from inspect) replaces the practice domain: the old one goes.
        practice?.dispose();
        practice = await createPracticeDomain({holder: request.holder, certFile: key.certFile});
        return {
          ok: true,
          sdFile: practice.sdFile,
          certFingerprint: key.certFingerprint,
          sticksDir: practice.sticksDir,
        };
      } catch (error) {
        return {ok: false, message: error instanceof Error ? error.message : String(error)};
      } finally {
        wipe(request.passphrase);
      }
    },
  });
  const boot = async () => {
    const parts = await load();
    return {session: parts.session, services: servicesFor(parts), soloCheck: parts.soloCheck};
  };
  // Between Ink and the terminal: frames fitted to its width, or a screen reader's transcript.
  const stdout = shown.screenReader
    ? new TranscriptStdout(process.stdout)
    : new TerminalStdout(process.stdout);
  const app = render(<Boot load={boot} options={options} onChecked={(ok) => (checked = ok)} />, {
    exitOnCtrlC: false,
    isScreenReaderEnabled: shown.screenReader,
    stdout: stdout as unknown as NodeJS.WriteStream,
  });
  try {
    await app.waitUntilExit();
  } finally {
    stdout.stop();
    practice?.dispose();
  }
  return checked === undefined ? {} : {checked};
}
