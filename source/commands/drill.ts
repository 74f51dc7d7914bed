import {lstatSync, statSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {inputError, usageError, unwrap} from '../errors.js';
import type {ReportService} from '../drill/services.js';
import type {DrillSession} from '../drill/session.js';
import type {ExchangeTarget, Mode} from '../ceremony/types.js';
import {detectDisplay} from '../components/display.js';
import {out} from './io.js';

export interface DrillOptions {
  sd?: string;
  media: string[];
  mountRoot: string[];
  mode?: string;
  exchangeKey?: string;
  restoreBlobOut?: string;
  plan?: string;
  reportDir?: string;
  idleMinutes?: string;
  lost?: string[];
  ascii?: boolean;
  unicode?: boolean;
  /** false with --no-color. */
  color?: boolean;
  screenReader?: boolean;
}

declare const SD_DRILL_VERSION: string;
const toolVersion = typeof SD_DRILL_VERSION === 'string' ? SD_DRILL_VERSION : '0.0.0-dev';

const MODES: Mode[] = ['rehearsal', 'restore', 'onboarding', 'rotation', 'compromise'];

function exitCodeFor(session: DrillSession): number {
  return session.getState().outcome?.verdict === 'pass' ? 0 : 1;
}

/** Signals end the drill honestly: secrets wiped, the report written as aborted. */
function onSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}

/**
 * Restore mode with --exchange-key: the certificate is read and the blob's place checked
 * before anyone presents a key — not found wrong after the quorum has come.
 */
async function exchangeTarget(options: DrillOptions): Promise<ExchangeTarget | undefined> {
  if (!options.exchangeKey) return undefined;
  const out = resolve(options.restoreBlobOut ?? '');
  let exists = true;
  try {
    lstatSync(out);
  } catch {
    exists = false;
  }
  if (exists)
    throw inputError(
      'out-exists',
      `${out}: already exists; a restore blob is never written over a file — choose another --restore-blob-out`,
      out,
    );
  if (!statSync(dirname(out), {throwIfNoEntry: false})?.isDirectory())
    throw inputError('out-dir', `${dirname(out)}: no such folder for --restore-blob-out`, out);
  const {loadExchangeKey} = await import('../domain/azure/exchange-key.js');
  const cert = unwrap(loadExchangeKey(options.exchangeKey));
  return {file: resolve(options.exchangeKey), x5t256: cert.x5t256, sha256: cert.certFingerprint};
}

async function planned(options: DrillOptions): Promise<number> {
  const [{readPlan, runPlan, settleFirstPin}, {ReportService}, {DrillSession}] = await Promise.all([
    import('../drill/plan.js'),
    import('../drill/services.js'),
    import('../drill/session.js'),
  ]);
  const plan = unwrap(readPlan(options.plan as string));
  if (options.exchangeKey && plan.mode !== 'restore')
    throw usageError(
      'not-restore',
      '--exchange-key is for a restore: the plan\'s mode must be "restore"',
    );
  const target = await exchangeTarget(options);
  const reports = new ReportService(
    options.reportDir ? resolve(options.reportDir) : plan.reportDir,
  );
  for (const w of reports.store.warnings) process.stderr.write(`sd-drill: warning: ${w}\n`);
  const session = new DrillSession({
    azureExchangeBits: 2048,
    pins: reports.pins,
    ...idle(options),
    ...restoreOptions(options, target),
  });
  const stop = onSignals((signal) => {
    session.abort(`interrupted by ${signal}`);
    const result = reports.finish(session);
    out(`Drill aborted: interrupted by ${signal}`);
    printReportPaths(result.paths);
    process.exit(1);
  });
  try {
    await runPlan(plan, session, (line) => out(line));
    settleFirstPin(plan, session, reports.pins(), (line) => out(line));
    const state = session.getState();
    if (!state.domain) {
      const notice = state.notice?.text ?? 'the security domain could not be loaded';
      throw usageError('bad-domain', notice);
    }
    const result = reports.finish(session);
    const o = session.getState().outcome;
    out(`Drill ${o?.verdict ?? 'aborted'}: ${o?.reason ?? ''}`);
    printReportPaths(result.paths);
    if (result.error)
      process.stderr.write(`sd-drill: the report could not be written: ${result.error}\n`);
    return result.error ? 2 : exitCodeFor(session);
  } finally {
    stop();
    session.wipeSecrets();
  }
}

function restoreOptions(
  options: DrillOptions,
  target: ExchangeTarget | undefined,
): {exchangeKeyFile?: string; exchangeTarget?: ExchangeTarget; restoreBlobOut?: string} {
  if (!target || !options.exchangeKey || !options.restoreBlobOut) return {};
  return {
    exchangeKeyFile: options.exchangeKey,
    exchangeTarget: target,
    restoreBlobOut: resolve(options.restoreBlobOut),
  };
}

function printReportPaths(paths: {markdown: string; json: string} | undefined): void {
  if (paths) out(`Report: ${paths.markdown}\n        ${paths.json}`);
}

function idle(options: DrillOptions): {idleLimitMs?: number} {
  if (!options.idleMinutes) return {};
  const m = Number(options.idleMinutes);
  if (!Number.isFinite(m) || m <= 0)
    throw usageError('bad-idle', '--idle-minutes must be a positive number');
  return {idleLimitMs: m * 60_000};
}

/** `--lost N` (repeatable): holders whose sticks were reported lost, compromise mode only. */
function lostHolders(options: DrillOptions): number[] {
  const given = options.lost ?? [];
  if (given.length === 0) return [];
  if (options.mode !== 'compromise' || options.plan)
    throw usageError(
      'not-compromise',
      '--lost is for --mode compromise (in a plan: "compromise": {"lost": [numbers]})',
    );
  return given.map((v) => {
    if (!/^\d{1,2}$/.test(v.trim()) || Number(v) < 1)
      throw usageError(
        'bad-holder',
        `--lost ${JSON.stringify(v)}: give the lost stick's holder number (sd-drill assess names them)`,
      );
    return Number(v);
  });
}

async function interactive(options: DrillOptions): Promise<number> {
  const lost = lostHolders(options);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw usageError(
      'no-terminal',
      'drill needs a terminal (it is interactive); for a scripted drill use --plan FILE',
    );
  }
  // A store others can write is refused before the first frame, not after a quorum has typed.
  const [{storeDirectory}, {assertStoreTrusted}] = await Promise.all([
    import('../store/location.js'),
    import('../store/permissions.js'),
  ]);
  assertStoreTrusted(storeDirectory());
  const target = await exchangeTarget(options);
  const shown = detectDisplay(process.env, {
    ...(options.ascii ? {ascii: true} : options.unicode ? {ascii: false} : {}),
    ...(options.color === false ? {color: false} : {}),
    ...(options.screenReader ? {screenReader: true} : {}),
  });
  // chalk ignores NO_COLOR and --no-color; FORCE_COLOR=0 must be set before Ink (and chalk)
  // load, and takes bold and dim with the colours.
  if (!shown.color) process.env.FORCE_COLOR = '0';
  // CI=false means "not CI" to Ink, but chalk drops colour whenever CI is set at all.
  if (process.env.CI === 'false' || process.env.CI === '0') delete process.env.CI;
  // Ink first: loading it starts its layout engine's WebAssembly compiling (off this thread),
  // which then overlaps with loading the TUI. The session and the report service load after
  // the first frame is on the screen (tui.tsx).
  const [, {runTui}] = await Promise.all([import('ink'), import('../tui.js')]);
  let session: DrillSession | undefined;
  let reports: ReportService | undefined;
  const stop = onSignals((signal) => {
    if (session) {
      session.abort(`interrupted by ${signal}`);
      if (session.getState().domain) reports?.finish(session);
    }
    process.exit(1);
  });
  try {
    const tui = await runTui(
      async () => {
        const [services, {DrillSession}, {SoloCheckSession}] = await Promise.all([
          import('../drill/services.js'),
          import('../drill/session.js'),
          import('../drill/solo-check.js'),
        ]);
        reports = new services.ReportService(resolve(options.reportDir ?? 'drill-reports'));
        session = new DrillSession({
          ...idle(options),
          pins: reports.pins,
          ...restoreOptions(options, target),
        });
        return {
          session,
          reports,
          domainCandidates: services.domainCandidates,
          soloCheck: () => new SoloCheckSession({toolVersion}),
        };
      },
      {
        ...(options.mode === 'check'
          ? {use: 'check' as const}
          : options.mode
            ? {mode: options.mode as Mode}
            : {}),
        ...(options.sd ? {sdFile: options.sd} : {}),
        mediaDirs: options.media,
        ...(options.mountRoot.length > 0 ? {mountRoots: options.mountRoot} : {}),
        ...(lost.length > 0 ? {lost} : {}),
        // drillAction has made sure --exchange-key came with it.
        ...(options.restoreBlobOut ? {restoreBlobOut: resolve(options.restoreBlobOut)} : {}),
        ...(target ? {exchangeTarget: target} : {}),
      },
      shown,
    );
    // Left before the session was ready: nothing happened, nothing to report.
    // A solo check ("Check my key") exits with its verdict: 0 the share is the one proven.
    if (tui.checked !== undefined) return tui.checked ? 0 : 1;
    return session ? exitCodeFor(session) : 1;
  } finally {
    stop();
    session?.wipeSecrets();
  }
}

/** `sd-drill drill`, the default command (registered in ./register-ceremony.ts). */
export async function drillAction(options: DrillOptions): Promise<void> {
  // The mode first: a bad one is the thing to fix, terminal or not.
  // `check` is not a ceremony: one holder checks their key (the TUI's fifth use).
  if (options.mode && options.mode !== 'check' && !MODES.includes(options.mode as Mode))
    throw usageError(
      'bad-mode',
      `--mode ${JSON.stringify(options.mode)}: must be ${MODES.join(', ')} or check`,
    );
  if (options.restoreBlobOut && !options.exchangeKey) {
    throw usageError(
      'no-exchange-key',
      "--restore-blob-out needs --exchange-key CERT (the new HSM's exchange certificate)",
    );
  }
  if (options.exchangeKey && options.mode && options.mode !== 'restore') {
    throw usageError('not-restore', '--exchange-key is for --mode restore');
  }
  if (options.exchangeKey && !options.restoreBlobOut) {
    throw usageError(
      'no-out',
      '--exchange-key needs --restore-blob-out FILE (where the restore blob goes)',
    );
  }
  lostHolders(options);
  process.exitCode = options.plan ? await planned(options) : await interactive(options);
}
