/**
 * Text bar charts of the drill's timeline: one for the Markdown report's table, one compact
 * per-step chart the TUI's last screen shows.
 *
 *   Load domain    ████▌                        3s
 *   Collect shares ██████████████████████  12m 04s
 *   Reconstruct    ▏                          <1s ✗
 */
import type {ReportTimelineStep} from './model.js';

/** The widest a chart line may be, whatever width is asked for. */
export const MAX_CHART_WIDTH = 76;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** `<1s`, `42s`, `3m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return '<1s';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** A bar of full blocks, `width` at the longest step; a non-zero step shows at least one. */
export function blockBar(durationMs: number, longestMs: number, width: number): string {
  if (durationMs <= 0 || longestMs <= 0) return '';
  const n = Math.max(1, Math.round((durationMs / longestMs) * width));
  return '█'.repeat(Math.min(width, n));
}

/** A bar with eighth-block precision, for the narrow screen chart. */
function fineBar(durationMs: number, longestMs: number, width: number): string {
  if (durationMs <= 0 || longestMs <= 0) return '';
  const eighths = Math.max(1, Math.round((durationMs / longestMs) * width * 8));
  const full = Math.min(width, Math.floor(eighths / 8));
  const rest = full === width ? 0 : eighths % 8;
  return '█'.repeat(full) + (EIGHTHS[rest] ?? '');
}

const OUTCOME_MARK: Record<ReportTimelineStep['outcome'], string> = {
  completed: '',
  failed: ' ✗',
  aborted: ' !',
  'in-progress': ' …',
};

/** The same in words, for terminals that get plain ASCII (the Linux console, TERM=dumb). */
const OUTCOME_WORD: Record<ReportTimelineStep['outcome'], string> = {
  completed: '',
  failed: ' FAIL',
  aborted: ' ABORTED',
  'in-progress': ' ...',
};

/** A bar of `#`, `width` at the longest step; a non-zero step shows at least one. */
function asciiBar(durationMs: number, longestMs: number, width: number): string {
  return blockBar(durationMs, longestMs, width).replace(/█/g, '#');
}

/**
 * One line per step: title, a bar proportional to the longest step, the duration and a mark
 * for a step that failed (✗), was aborted (!) or is still running (…). Lines are at most
 * `min(max(width, 24), 76)` columns (every character used is one column wide). `ascii`: bars
 * of `#` and the marks in words (FAIL, ABORTED), for terminals without block glyphs.
 */
export function renderTimelineChart(
  steps: ReadonlyArray<Pick<ReportTimelineStep, 'title' | 'durationMs' | 'outcome'>>,
  width: number = MAX_CHART_WIDTH,
  {ascii = false}: {ascii?: boolean} = {},
): string[] {
  if (steps.length === 0) return [];
  const total = Math.max(24, Math.min(Math.floor(width), MAX_CHART_WIDTH));
  // Every step title in full (the longest, "New domain file", is 15).
  const titleWidth = Math.min(16, Math.max(...steps.map((s) => s.title.length)));
  const durationWidth = 8;
  const marks = ascii ? OUTCOME_WORD : OUTCOME_MARK;
  const markWidth = Math.max(...steps.map((s) => marks[s.outcome].length));
  const barWidth = Math.max(1, total - titleWidth - 1 - 1 - durationWidth - markWidth);
  const longest = Math.max(...steps.map((s) => s.durationMs));
  return steps.map((s) => {
    const title =
      s.title.length > titleWidth
        ? `${s.title.slice(0, titleWidth - 1)}${ascii ? '.' : '…'}`
        : s.title;
    const bar = (ascii ? asciiBar : fineBar)(s.durationMs, longest, barWidth);
    const line = `${title.padEnd(titleWidth)} ${bar.padEnd(barWidth)} ${formatDuration(s.durationMs).padStart(durationWidth)}${marks[s.outcome]}`;
    return line.trimEnd();
  });
}
