/**
 * The Ink front end, loaded only for `drill` without --plan: headless commands never pay
 * for React and Ink at start-up.
 */
import {render} from 'ink';
import {App, type AppOptions, type DrillServices} from './app.js';
import {domainCandidates, type ReportService} from './drill/services.js';
import type {DrillSession} from './drill/session.js';
import type {PracticeDomain} from './drill/practice.js';
import {wipe} from './secret.js';

export async function runTui(
  session: DrillSession,
  reports: ReportService,
  options: AppOptions,
): Promise<void> {
  let practice: PracticeDomain | undefined;
  const services: DrillServices = {
    findings: (state) => reports.findings(state),
    registered: () => reports.registered(),
    chart: (state) => reports.chart(state),
    finish: async (s) => reports.finish(s).error,
    domainCandidates,
    enrol: async (request) => {
      try {
        // Onboarding only: key generation (node-forge) is loaded when it is needed, so the
        // first frame does not wait for it.
        const [{writeHolderKey}, {createPracticeDomain}] = await Promise.all([
          import('./commands/keygen.js'),
          import('./drill/practice.js'),
        ]);
        const key = await writeHolderKey(
          request.stick.path,
          request.holder,
          3072,
          request.passphrase,
        );
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
  };
  const app = render(<App session={session} services={services} options={options} />, {
    exitOnCtrlC: false,
  });
  try {
    await app.waitUntilExit();
  } finally {
    practice?.dispose();
  }
}
