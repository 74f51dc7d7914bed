import {resolve} from 'node:path';
import type {Command} from 'commander';
import {usageError, unwrap} from '../errors.js';
import {readPlan, runPlan} from '../drill/plan.js';
import {ReportService} from '../drill/services.js';
import {DrillSession} from '../drill/session.js';
import type {Mode} from '../ceremony/types.js';
import {collect, out} from './io.js';

interface DrillOptions {
  sd?: string;
  media: string[];
  mountRoot: string[];
  mode?: string;
  exchangeKey?: string;
  restoreBlobOut?: string;
  plan?: string;
  reportDir?: string;
  idleMinutes?: string;
}

const MODES: Mode[] = ['rehearsal', 'restore', 'onboarding'];

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

async function planned(options: DrillOptions): Promise<number> {
  const plan = unwrap(readPlan(options.plan as string));
  const reports = new ReportService(
    options.reportDir ? resolve(options.reportDir) : plan.reportDir,
  );
  for (const w of reports.store.warnings) process.stderr.write(`sd-drill: warning: ${w}\n`);
  const session = new DrillSession({azureExchangeBits: 2048, ...idle(options)});
  const stop = onSignals((signal) => {
    session.abort(`interrupted by ${signal}`);
    reports.finish(session);
    process.exit(1);
  });
  try {
    await runPlan(plan, session);
    const state = session.getState();
    if (!state.domain) {
      const notice = state.notice?.text ?? 'the security domain could not be loaded';
      throw usageError('bad-domain', notice);
    }
    const result = reports.finish(session);
    const o = session.getState().outcome;
    out(`Drill ${o?.verdict ?? 'aborted'}: ${o?.reason ?? ''}`);
    if (result.paths) out(`Report: ${result.paths.markdown}\n        ${result.paths.json}`);
    if (result.error)
      process.stderr.write(`sd-drill: the report could not be written: ${result.error}\n`);
    return result.error ? 2 : exitCodeFor(session);
  } finally {
    stop();
    session.wipeSecrets();
  }
}

function idle(options: DrillOptions): {idleLimitMs?: number} {
  if (!options.idleMinutes) return {};
  const m = Number(options.idleMinutes);
  if (!Number.isFinite(m) || m <= 0)
    throw usageError('bad-idle', '--idle-minutes must be a positive number');
  return {idleLimitMs: m * 60_000};
}

async function interactive(options: DrillOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw usageError(
      'no-terminal',
      'drill needs a terminal (it is interactive); for a scripted drill use --plan FILE',
    );
  }
  if (options.mode && !MODES.includes(options.mode as Mode))
    throw usageError('bad-mode', '--mode must be rehearsal, restore or onboarding');
  // chalk ignores NO_COLOR; FORCE_COLOR=0 must be set before Ink (and chalk) load.
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
  const {runTui} = await import('../tui.js');
  const reports = new ReportService(resolve(options.reportDir ?? 'drill-reports'));
  const session = new DrillSession({
    ...idle(options),
    ...(options.exchangeKey ? {exchangeKeyFile: options.exchangeKey} : {}),
    ...(options.restoreBlobOut ? {restoreBlobOut: options.restoreBlobOut} : {}),
  });
  const stop = onSignals((signal) => {
    session.abort(`interrupted by ${signal}`);
    if (session.getState().domain) reports.finish(session);
    process.exit(1);
  });
  try {
    await runTui(session, reports, {
      ...(options.mode ? {mode: options.mode as Mode} : {}),
      ...(options.sd ? {sdFile: options.sd} : {}),
      mediaDirs: options.media,
      ...(options.mountRoot.length > 0 ? {mountRoots: options.mountRoot} : {}),
    });
    return exitCodeFor(session);
  } finally {
    stop();
    session.wipeSecrets();
  }
}

export function registerDrill(program: Command): void {
  program
    .command('drill', {isDefault: true})
    .description('the interactive recovery ceremony (Ink TUI), or a scripted drill with --plan')
    .option('--sd <file>', 'the security-domain file')
    .option(
      '--media <dir>',
      'every subfolder of DIR acts as a stick (demo, training); repeatable',
      collect,
      [],
    )
    .option(
      '--mount-root <dir>',
      'look for sticks mounted under DIR instead of /media, /run/media, /mnt; repeatable',
      collect,
      [],
    )
    .option('--mode <mode>', 'rehearsal, restore or onboarding')
    .option(
      '--exchange-key <cert>',
      "restore mode: the new HSM's exchange certificate (PEM or JWK JSON)",
    )
    .option('--restore-blob-out <file>', 'restore mode: where to write the restore blob')
    .option('--plan <file>', 'run a reviewed drill plan without a terminal')
    .option(
      '--report-dir <dir>',
      "where reports are written (default ./drill-reports, or the plan's reportDir)",
    )
    .option('--idle-minutes <m>', 'abort and wipe shares after this long idle (default 10)')
    .action(async (options: DrillOptions) => {
      if (options.exchangeKey && !options.restoreBlobOut && !options.plan) {
        throw usageError(
          'no-out',
          '--exchange-key needs --restore-blob-out FILE (where the restore blob goes)',
        );
      }
      process.exitCode = options.plan ? await planned(options) : await interactive(options);
    });
}
