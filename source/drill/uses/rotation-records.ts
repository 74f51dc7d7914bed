/**
 * After a passing rotation, the custody log records each thing that must now be destroyed —
 * every copy of the old file, each departed holder's key — as handed over for destruction.
 * The destruction itself is recorded when it is done (the report gives the command for each).
 */
import type {DrillReport} from '../../report/model.js';
import type {Store} from '../../store/store.js';

export function recordRetirements(store: Store, report: DrillReport): void {
  const r = report.rotation;
  if (report.verdict !== 'pass' || !r) return;
  for (const x of r.destroy) {
    const kept = store.addCustody({
      from: x.custodian,
      to: 'to be destroyed',
      fingerprint: x.fingerprint,
      note: `rotation ${report.id} to ${r.to?.file ?? 'a new file'}: ${x.text}`,
    });
    if (!kept.ok)
      process.stderr.write(
        `sd-drill: warning: the custody log did not record what must be destroyed: ${kept.error.message}\n`,
      );
  }
}
