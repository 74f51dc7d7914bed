/**
 * `sd-drill report verify FILE [--sd SD] [--expect-key KEY]`: is this drill report intact,
 * and signed by a key pinned for the domain it describes? Exit 0 only for both; 1 for a bad
 * signature, an unpinned or different key, or a description its pin does not bear out; 2 for
 * a file that is not a report (../report/verify.ts). What is printed as the domain is the
 * pin's own label (the store's record, the file given, or the key given), never the report's.
 */
import {checkError, usageError} from '../errors.js';
import {REPORT_KEY_PATTERN} from '../domain/report-key.js';
import {openDomainFile} from '../domain/open.js';
import {continuitySentence, verifyReportFile, type PinSources} from '../report/verify.js';
import {identityOf} from '../store/pins.js';
import {storeExists} from '../store/location.js';
import {openStore} from '../store/store.js';
import {reportStoreWarnings} from './history.js';
import {out, printJson} from './io.js';

export interface ReportVerifyOptions {
  json?: boolean;
  sd?: string;
  expectKey?: string;
}

function sources(options: ReportVerifyOptions): PinSources {
  if (options.expectKey !== undefined && !REPORT_KEY_PATTERN.test(options.expectKey))
    throw usageError(
      'bad-key',
      '--expect-key must be a base64 Ed25519 public key (44 characters ending in =), as a report shows it',
    );
  let sd: PinSources['sd'];
  if (options.sd) {
    const opened = openDomainFile(options.sd);
    if (!opened.ok) throw opened.error;
    const d = opened.value.domain.describe();
    sd = {
      file: options.sd,
      identity: identityOf({...d, sha256: opened.value.sha256 ?? null}),
    };
  }
  // A machine with no store has nothing pinned; reading must not create one.
  const store = storeExists() ? openStore() : undefined;
  const result: PinSources = {
    pins: store?.pins() ?? [],
    history: store?.drills() ?? [],
    ...(sd ? {sd} : {}),
    ...(options.expectKey !== undefined ? {expectKey: options.expectKey} : {}),
  };
  if (store) reportStoreWarnings(store);
  return result;
}

function verify(file: string, options: ReportVerifyOptions): number {
  const result = verifyReportFile(file, sources(options));
  if (!result.ok) {
    if (options.json) {
      printJson({file, valid: false, pinned: false, error: result.error.message});
      process.stderr.write(`sd-drill: ${result.error.message}\n`);
      return result.error.exitCode;
    }
    throw result.error;
  }
  const check = result.value;
  const report = check.report;
  const domain = report?.scope.domain;
  // A compromise rehearsal's report is signed by the new HSM's domain: said beside its label.
  const compromise = report?.compromise?.to
    ? ' (a compromise rehearsal, signed by the new domain it made)'
    : '';
  const counts = check.valid && check.pinned;
  if (options.json) {
    const record = check.record;
    printJson({
      file,
      valid: check.valid,
      pinned: check.pinned,
      pinnedBy: check.pinnedBy ?? [],
      ...(check.reason ? {reason: check.reason} : {}),
      id: report?.id ?? null,
      // What pins the key says the domain is: the only description that counts.
      pin: counts
        ? {
            label: check.label ?? null,
            ...(record
              ? {
                  record: {
                    label: record.label,
                    source: record.source,
                    pinnedAt: record.pinnedAt,
                    pinnedBy: record.pinnedBy,
                  },
                }
              : {}),
          }
        : null,
      // What the report says of itself: checked against the pin, never shown as the domain.
      claimed: domain
        ? {name: domain.name, id: domain.id, file: domain.file, sha256: domain.sha256 ?? null}
        : null,
      verdict: report?.verdict ?? null,
      publicKey: check.publicKey ?? null,
      matchesEarlier: check.matchesEarlier,
    });
    if (!counts) process.stderr.write(`sd-drill: ${file}: ${check.reason ?? 'not valid'}\n`);
    return counts ? 0 : 1;
  }
  if (!counts) throw checkError('report-invalid', `${file}: ${check.reason ?? 'not valid'}`, file);
  out(
    `${file}: signature valid and its key pinned — drill ${report?.id ?? '?'} of ${check.label ?? 'the pinned domain'}${compromise}, verdict ${(report?.verdict ?? '?').toUpperCase()}`,
  );
  out(`  Ed25519 public key ${check.publicKey}: ${continuitySentence(check)}`);
  return 0;
}

/** `sd-drill report verify FILE` (registered in ./register-records.ts). */
export function reportVerifyAction(file: string, options: ReportVerifyOptions): void {
  process.exitCode = verify(file, options);
}
