/**
 * What the shell gives the ceremony's screens (./app.tsx): the services around the machine, and
 * the options the command line set.
 */
import type {CeremonyState, Custodian, ExchangeTarget, Mode} from './ceremony/types.js';
import type {FirstPinFacts} from './drill/first-pin.js';
import type {DrillSession} from './drill/session.js';
import type {Stick} from './media/stick.js';
import type {EnrolRequest} from './screens/enrol-screen.js';
import type {FindingLine} from './screens/inspect-screen.js';

/** What the shell provides around the machine: report writing, policy, the stores. */
export interface DrillServices {
  findings(state: CeremonyState): FindingLine[];
  registered(): Map<string, string>;
  /** The holder registry: certificate fingerprint → custodian and role. */
  registry?(): Map<string, Custodian>;
  chart(state: CeremonyState, options?: {width?: number; ascii?: boolean}): string[];
  /** Writes the report (and history); resolves with an error message or undefined. */
  finish(session: DrillSession): Promise<string | undefined>;
  /** Security-domain files found on the sticks present. */
  domainCandidates(sticks: Stick[]): string[];
  /** What a first pin of the domain would pin (./drill/first-pin.ts). */
  firstPinFacts(state: CeremonyState): FirstPinFacts | undefined;
  /** Onboarding: makes the newcomer's key and the practice domain; returns an error message or the SD file. */
  enrol(
    request: EnrolRequest,
  ): Promise<
    | {ok: true; sdFile: string; certFingerprint: string; sticksDir: string}
    | {ok: false; message: string}
  >;
}

export interface AppOptions {
  mode?: Mode;
  sdFile?: string;
  mediaDirs: string[];
  mountRoots?: string[];
  /** Where restore mode writes the Azure restore blob (with --exchange-key), if anywhere. */
  restoreBlobOut?: string;
  /** Compromise mode: holders whose sticks were reported lost (`--lost`). */
  lost?: number[];
  /** Restore mode: the new HSM's exchange certificate (--exchange-key), read. */
  exchangeTarget?: ExchangeTarget;
}
