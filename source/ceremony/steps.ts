/**
 * The steps every use shares: load the domain, inspect it, the disaster, collect shares,
 * reconstruct, restore into the new HSM, the report. A use (./uses/) names its first step and
 * may replace any of these with its own; the rest of its path is the shared one.
 */
import type {CeremonyState, RestoreSummary, Step, TimedEvent} from './types.js';
import {collect} from './collect.js';
import {acceptedCount, end, go, log, waitingHolders} from './machine.js';

export type StepReducer = (s: CeremonyState, e: TimedEvent) => CeremonyState;

function load(s: CeremonyState, e: TimedEvent): CeremonyState {
  if (e.type === 'domain-loaded') {
    const holders = waitingHolders(e.domain);
    return go(
      log(
        {...s, domain: e.domain, holders, notice: undefined},
        e.at,
        'domain loaded',
        `${e.domain.file} (${e.domain.format}, ${e.domain.required} of ${e.domain.total})`,
      ),
      'inspect',
      e.at,
    );
  }
  if (e.type === 'domain-failed')
    return log(
      {...s, notice: {level: 'error', text: e.message}},
      e.at,
      'domain refused',
      e.message,
    );
  if (e.type === 'back') return go({...s, notice: undefined}, 'start', e.at);
  return s;
}

function inspect(s: CeremonyState, e: TimedEvent): CeremonyState {
  if (e.type === 'inspected') return go(s, 'disaster', e.at);
  if (e.type === 'back') return go({...s, domain: undefined, holders: []}, 'load', e.at);
  return s;
}

function disaster(s: CeremonyState, e: TimedEvent): CeremonyState {
  if (e.type === 'choose-scenario') {
    return log(
      {...s, scenario: e.scenario, hsm: {...s.hsm, old: e.scenario}},
      e.at,
      'disaster simulated',
      e.scenario,
    );
  }
  if (e.type === 'recovery-ready') {
    let next = log(
      {
        ...s,
        hsm: {
          ...s.hsm,
          recovery: {id: e.hsmId, exchangeFingerprint: e.exchangeFingerprint},
          ...(e.target ? {target: e.target} : {}),
        },
      },
      e.at,
      e.target ? 'simulated HSM up to rehearse the upload' : 'new HSM in recovery mode',
      e.hsmId,
    );
    if (e.target)
      next = log(
        next,
        e.at,
        'your new HSM, by its exchange certificate',
        `${e.target.file}: x5t#S256 ${e.target.x5t256}, sha256 ${e.target.sha256}`,
      );
    return go(
      {...next, notice: {level: 'info', text: 'First holder: insert your stick.'}},
      'collect',
      e.at,
    );
  }
  if (e.type === 'back' && !s.scenario) return go(s, 'inspect', e.at);
  return s;
}

function collectStep(s: CeremonyState, e: TimedEvent): CeremonyState {
  if (e.type === 'back' && acceptedCount(s) === 0 && !s.presenting && !s.identifying)
    return go({...s, notice: undefined}, 'disaster', e.at);
  return collect(s, e);
}

function reconstruct(s: CeremonyState, e: TimedEvent): CeremonyState {
  if (e.type === 'reconstructed') {
    const next = log(
      {
        ...s,
        reconstruction: {ok: true, usedHolders: e.usedHolders, badShares: e.badShares},
        identity: e.identity,
      },
      e.at,
      'domain reconstructed',
      `from holders ${e.usedHolders.join(', ')}; report key ${e.identity.reportKey} (${e.identity.pinnedBy ?? 'NOT the pinned key'})`,
    );
    // The quorum opened *a* domain, but not the one on record: nothing to restore.
    if (e.identity.mismatch) return end(next, e.at, 'fail', e.identity.mismatch);
    return go(next, 'restore', e.at);
  }
  if (e.type === 'reconstruct-failed') {
    const next = {
      ...s,
      reconstruction: {ok: false, usedHolders: [], badShares: e.badShares, message: e.message},
    };
    return end(next, e.at, 'fail', e.message);
  }
  return s;
}

function restore(s: CeremonyState, e: TimedEvent): CeremonyState {
  if (e.type === 'restore-progress') return {...s, restoreProgress: {done: e.done, total: e.total}};
  if (e.type === 'restored') {
    const next = log(
      {...s, restore: e.summary},
      e.at,
      e.summary.verified ? 'restored and verified' : 'restore incomplete',
    );
    return e.summary.verified
      ? end(next, e.at, 'pass', restoredReason(s, e.summary))
      : end(
          next,
          e.at,
          'fail',
          `the restore did not verify: ${e.summary.keysRestored} of ${e.summary.keysExpected} keys, ${e.summary.canaries.passed} of ${e.summary.canaries.total} canaries`,
        );
  }
  if (e.type === 'restore-failed') return end(s, e.at, 'fail', e.message);
  return s;
}

/**
 * What a passing restore step did, in words that match it: a restore blob written for the
 * operator's HSM is not a restored HSM, and the simulated HSM's result keeps its own name.
 */
export function restoredReason(s: CeremonyState, r: RestoreSummary): string {
  if (s.domain?.format !== 'azure')
    return `the domain was reconstructed and restored into the new (simulated) HSM: ${r.keysRestored} of ${r.keysExpected} keys and ${r.canaries.passed} of ${r.canaries.total} canaries verified`;
  const rehearsed = `rehearsed into a simulated HSM: ${r.keysRestored} of ${r.keysExpected} blobs verified`;
  if (r.restoreBlob)
    return `the domain was reconstructed; the restore blob for your new HSM (exchange certificate x5t#S256 ${r.restoreBlob.x5t256}) was written and ${rehearsed}; your HSM is restored only once the blob is uploaded to it`;
  if (s.mode === 'restore')
    return `the domain was reconstructed and ${rehearsed}; no restore blob was written (no --exchange-key was given)`;
  return `the domain was reconstructed and restored into the new (simulated) HSM: ${r.keysRestored} of ${r.keysExpected} blobs verified`;
}

function report(s: CeremonyState, e: TimedEvent): CeremonyState {
  if (e.type === 'first-pin-decided') {
    if (!needsFirstPin(s) || !s.identity) return s;
    return log(
      {...s, identity: {...s.identity, firstPin: {pinned: e.pin, at: e.at}}},
      e.at,
      e.pin ? 'domain key pinned at first use' : 'domain key not pinned',
      s.identity.reportKey,
    );
  }
  if (e.type === 'report-saved')
    return log({...s, report: {markdown: e.markdown, json: e.json}}, e.at, 'report saved', e.json);
  if (e.type === 'finish') return go(s, 'done', e.at);
  return s;
}

/**
 * A pass on a domain this machine's store has no record of: its key is pinned only if a person
 * says so (the TUI asks; a plan says `pinFirstUse`), before the report is written.
 */
export function needsFirstPin(s: CeremonyState): boolean {
  return (
    s.step === 'report' &&
    // A practice domain (onboarding) is thrown away: nothing of it is pinned; a compromise
    // rehearsal's report is signed by the new domain it made (pinned with it), not this one.
    s.mode !== 'onboarding' &&
    s.mode !== 'compromise' &&
    s.outcome?.verdict === 'pass' &&
    s.report === undefined &&
    s.identity !== undefined &&
    s.identity.mismatch === null &&
    s.identity.recorded === false &&
    s.identity.firstPin === undefined
  );
}

const none: StepReducer = (s) => s;

/**
 * The shared steps; `start` is the use-chooser (../reduce.ts), `enrol` onboarding's own,
 * `enlist`, `rewrap` and `prove` the rotation's, `migrate` the compromise rehearsal's.
 */
export const SHARED_STEPS: Record<Step, StepReducer> = {
  start: none,
  enrol: none,
  load,
  inspect,
  disaster,
  collect: collectStep,
  reconstruct,
  restore,
  enlist: none,
  rewrap: none,
  prove: none,
  migrate: none,
  report,
  done: none,
};
