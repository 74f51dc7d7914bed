/**
 * Writes the report pair `drill-<id>.json` and `drill-<id>.md`: atomically, and never over a
 * file that is already there (a report is a record; a second drill gets a new id).
 */
import {existsSync, unlinkSync} from 'node:fs';
import {join} from 'node:path';
import {fail, inputError, ok, type Result} from '../errors.js';
import {writeFileAtomic} from '../fs/atomic-write.js';
import {renderMarkdown} from './markdown.js';
import {DrillReportSchema, type DrillReport} from './model.js';
import {makeDirs} from '../fs/make-dirs.js';

export function reportPaths(dir: string, id: string): {markdown: string; json: string} {
  return {markdown: join(dir, `drill-${id}.md`), json: join(dir, `drill-${id}.json`)};
}

/** The JSON file's text: the report as built (the signature covers its canonical form). */
export function reportJsonText(report: DrillReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function writeReport(
  dir: string,
  report: DrillReport,
): Result<{markdown: string; json: string}> {
  const checked = DrillReportSchema.safeParse(report);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return fail(
      inputError(
        'bad-report',
        `the drill report is not well formed (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'schema'}); nothing was written`,
      ),
    );
  }
  try {
    makeDirs(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return fail(inputError('no-dir', `${dir}: cannot create the report folder (${code})`, dir));
  }
  const paths = reportPaths(dir, report.id);
  for (const p of [paths.json, paths.markdown]) {
    if (existsSync(p))
      return fail(
        inputError('exists', `${p}: already exists; refusing to overwrite an earlier report`, p),
      );
  }
  const json = writeFileAtomic(paths.json, reportJsonText(report));
  if (!json.ok) return json;
  const markdown = writeFileAtomic(paths.markdown, renderMarkdown(report));
  if (!markdown.ok) {
    // Leave no half pair behind: the JSON without its Markdown would look like a full report.
    try {
      unlinkSync(paths.json);
    } catch {
      // nothing more to do; the error below names the problem
    }
    return markdown;
  }
  return ok(paths);
}
