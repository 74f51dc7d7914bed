/**
 * The screen for the ceremony's step (./screens/, one per step), wired to the session's
 * actions and the services. What the shell itself moves on and asks (the first pin, an abort
 * with shares held) stays in ./app.tsx, which holds the state these screens are given.
 */
import type {AppOptions, DrillServices} from './app-services.js';
import type {CeremonyState, Custodian} from './ceremony/types.js';
import type {DrillSession} from './drill/session.js';
import type {StickContents} from './drill/stick-contents.js';
import type {Stick} from './media/stick.js';
import {CollectScreen, type CollectActions} from './screens/collect-screen.js';
import {DisasterScreen} from './screens/disaster-screen.js';
import {EnlistScreen} from './screens/enlist-screen.js';
import {EnrolScreen, type EnrolRequest} from './screens/enrol-screen.js';
import {InspectScreen} from './screens/inspect-screen.js';
import {LoadScreen} from './screens/load-screen.js';
import {MigrateScreen} from './screens/migrate-screen.js';
import {ProveScreen} from './screens/prove-screen.js';
import {ReportScreen} from './screens/report-screen.js';
import {RestoreScreen} from './screens/restore-screen.js';
import {RewrapScreen} from './screens/rewrap-screen.js';
import {StartScreen} from './screens/start-screen.js';

/** What the ceremony (./app.tsx) holds that the step's screen is drawn from. */
export interface StepScreenProps {
  state: CeremonyState;
  session: DrillSession;
  services: DrillServices;
  options: AppOptions;
  sticks: Stick[];
  contents: Map<string, StickContents> | undefined;
  registry: Map<string, Custodian>;
  /** The new HSM is coming up (the disaster step). */
  starting: boolean;
  startRecovery: () => void;
  /** Onboarding: the newcomer's key and practice domain being made, or why that failed. */
  enrolling: boolean;
  enrolError: string | undefined;
  enrol: (request: EnrolRequest) => void;
  /** Back from inspecting: the file given on the command line is not loaded again. */
  inspectBack: () => void;
  /** Why the report could not be written, if it could not. */
  saveError: string | undefined;
  /** The start screen's sixth use, "Check my key": not a ceremony, so the shell runs it. */
  onCheck: (() => void) | undefined;
  exit: () => void;
}

/** The screen for `state.step`. */
export function StepScreen({
  state,
  session,
  services,
  options,
  sticks,
  contents,
  registry,
  starting,
  startRecovery,
  enrolling,
  enrolError,
  enrol,
  inspectBack,
  saveError,
  onCheck,
  exit,
}: StepScreenProps): React.ReactNode {
  let screen: React.ReactNode;
  switch (state.step) {
    case 'start':
      screen = (
        <StartScreen
          onChoose={(use) => (use === 'check' ? onCheck?.() : session.chooseMode(use))}
        />
      );
      break;
    case 'enrol':
      screen = (
        <EnrolScreen
          sticks={sticks}
          busy={enrolling}
          {...(enrolError ? {error: enrolError} : {})}
          onBack={() => session.dispatch({type: 'back'})}
          onEnrol={enrol}
        />
      );
      break;
    case 'load':
      screen = (
        <LoadScreen
          state={state}
          candidates={services.domainCandidates(sticks)}
          onLoad={(f) => session.loadDomain(f)}
          onBack={() => session.dispatch({type: 'back'})}
        />
      );
      break;
    case 'inspect':
      screen = (
        <InspectScreen
          state={state}
          findings={services.findings(state)}
          registered={services.registered()}
          onContinue={() => session.inspected()}
          onBack={inspectBack}
        />
      );
      break;
    case 'disaster':
      screen = (
        <DisasterScreen
          state={state}
          {...(options.restoreBlobOut ? {restoreBlobOut: options.restoreBlobOut} : {})}
          {...(options.exchangeTarget ? {exchangeTarget: options.exchangeTarget} : {})}
          starting={starting}
          onScenario={(s) => {
            session.simulateDisaster(s);
            startRecovery();
          }}
          onStartRecovery={startRecovery}
          onBack={() => session.dispatch({type: 'back'})}
        />
      );
      break;
    case 'collect':
    case 'prove': {
      const actions: CollectActions = {
        insert: (s) => void session.stickInserted(s),
        remove: (p) => session.stickRemoved(p),
        acknowledge: (c) => void session.acknowledge(c),
        passphrase: (b) => void session.submitPassphrase(b),
        identify: (b) => void session.identify(b),
        cancel: () => session.cancelPresenting(),
        absent: (i) => session.markAbsent(i),
        // A rotation's new holders: every share is checked against the new file.
        reconstruct: () =>
          void (state.step !== 'prove'
            ? session.reconstructAndRestore()
            : state.mode === 'compromise'
              ? session.compromise.check()
              : session.rotation.check()),
        back: () => session.dispatch({type: 'back'}),
        remote: {
          call: (i, dir, custodian) => void session.callRemote(i, dir, custodian),
          read: (file) => void session.readContribution(file),
        },
      };
      screen =
        state.step === 'prove' ? (
          <ProveScreen
            state={state}
            sticks={sticks}
            actions={actions}
            registry={registry}
            contents={contents}
          />
        ) : (
          <CollectScreen
            state={state}
            sticks={sticks}
            actions={actions}
            registry={registry}
            contents={contents}
          />
        );
      break;
    }
    case 'enlist':
      screen = (
        <EnlistScreen
          state={state}
          sticks={sticks}
          contents={contents}
          actions={{
            read: (s) => void session.rotation.readStick(s),
            keep: (i) => session.rotation.keep(i),
            drop: (fp) => session.rotation.drop(fp),
            done: () => session.rotation.choose(),
          }}
        />
      );
      break;
    case 'rewrap':
      screen = (
        <RewrapScreen
          state={state}
          sticks={sticks}
          contents={contents}
          actions={{
            quorum: (m, confirmed) => session.rotation.chooseQuorum(m, confirmed),
            departedHolder: (fps) => session.rotation.departedHolder(fps),
            write: (f) =>
              void (state.mode === 'compromise'
                ? session.compromise.provision(f)
                : session.rotation.write(f)),
            back: () => session.dispatch({type: 'back'}),
          }}
        />
      );
      break;
    case 'migrate':
      screen = <MigrateScreen state={state} />;
      break;
    case 'reconstruct':
    case 'restore':
      screen = <RestoreScreen state={state} />;
      break;
    case 'report':
    case 'done': {
      const findings = services.findings(state);
      screen = (
        <ReportScreen
          state={state}
          chart={(o) => services.chart(state, o)}
          findings={{
            errors: findings.filter((f) => f.severity === 'error').length,
            warnings: findings.filter((f) => f.severity === 'warning').length,
            rules: [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.rule))],
          }}
          {...(saveError ? {saveError} : {})}
          onQuit={() => exit()}
        />
      );
      break;
    }
  }
  return screen;
}
