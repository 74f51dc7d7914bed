/** The drill report: model, findings, rendering, signing, files. */
export {buildReport, newDrillId, recordFromReport, type BuildReportInput} from './build.js';
export {formatDuration, renderTimelineChart, MAX_CHART_WIDTH} from './chart.js';
export {findingsFor, recommendationsFrom, type FindingsContext} from './findings.js';
export {renderMarkdown} from './markdown.js';
export {
  DrillReportSchema,
  FINDING_RULES,
  type DrillReport,
  type Finding,
  type FindingRule,
  type Participant,
} from './model.js';
export {continuitySentence, verifyReportFile, type ReportCheck} from './verify.js';
export {reportPaths, writeReport} from './write.js';
