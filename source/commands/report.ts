/** `sd-drill report verify FILE`: is this drill report intact, and signed by this domain? */
import {checkError} from '../errors.js';
import {continuitySentence, verifyReportFile} from '../report/verify.js';
import {openStore} from '../store/store.js';
import {reportStoreWarnings} from './history.js';
import {out, printJson} from './io.js';

function verify(file: string, options: {json?: boolean}): number {
  const store = openStore();
  const result = verifyReportFile(file, store.drills());
  reportStoreWarnings(store);
  if (!result.ok) {
    if (options.json) {
      printJson({file, valid: false, error: result.error.message});
      process.stderr.write(`sd-drill: ${result.error.message}\n`);
      return result.error.exitCode;
    }
    throw result.error;
  }
  const check = result.value;
  const report = check.report;
  const domain = report?.scope.domain;
  const domainName = domain ? (domain.name ?? domain.id ?? domain.file) : 'no domain';
  if (options.json) {
    printJson({
      file,
      valid: check.valid,
      ...(check.reason ? {reason: check.reason} : {}),
      id: report?.id ?? null,
      domain: domain ? {name: domain.name, id: domain.id, file: domain.file} : null,
      verdict: report?.verdict ?? null,
      publicKey: check.publicKey ?? null,
      matchesEarlier: check.matchesEarlier,
      differsFromEarlier: check.differsFromEarlier,
      ...(check.valid ? {continuity: continuitySentence(check)} : {}),
    });
    if (!check.valid) {
      process.stderr.write(`sd-drill: ${file}: ${check.reason ?? 'not valid'}\n`);
      return 1;
    }
    return 0;
  }
  if (!check.valid)
    throw checkError('report-invalid', `${file}: ${check.reason ?? 'not valid'}`, file);
  out(
    `${file}: signature valid — drill ${report?.id ?? '?'} of ${domainName}, verdict ${(report?.verdict ?? '?').toUpperCase()}`,
  );
  out(`  Ed25519 public key ${check.publicKey}: ${continuitySentence(check)}`);
  return 0;
}

/** `sd-drill report verify FILE` (registered in ./index.ts). */
export function reportVerifyAction(file: string, options: {json?: boolean}): void {
  process.exitCode = verify(file, options);
}
