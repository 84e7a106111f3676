// The `validate --format json` report: one object on stdout for programs.

import type { ValidationReport } from "../validation/report.js";
import type { EventReport } from "../validation/types.js";

/** One reported event, each problem with its severity. */
function eventJson(event: EventReport): Record<string, unknown> {
  return {
    index: event.index,
    line: event.line,
    column: event.column,
    type: event.type ?? null,
    severity: event.severity ?? null,
    problems: event.problems.map((problem) => ({
      severity: problem.severity,
      line: problem.line,
      column: problem.column,
      pointer: problem.pointer,
      keyword: problem.keyword,
      message: problem.message,
      expected: problem.expected ?? null,
      found: problem.found ?? null,
    })),
    omittedProblems: event.omitted,
  };
}

/**
 * One JSON document: the summary, then per file its counts, its invalid events and its valid
 * events with warnings (or infos, with -v), each problem with its severity.
 */
export function formatJsonReport(report: ValidationReport): string {
  const { summary } = report;
  const document = {
    valid: summary.invalid === 0 && !summary.aborted,
    summary: {
      files: summary.files,
      events: summary.events,
      valid: summary.valid,
      invalid: summary.invalid,
      warned: summary.warned,
      durationMs: Math.round(summary.durationMs),
      aborted: summary.aborted,
    },
    files: report.files.map((file) => ({
      file: file.file,
      events: file.events,
      valid: file.valid,
      invalid: file.invalid,
      warned: file.warned,
      invalidEvents: file.reported.filter((event) => !event.valid).map(eventJson),
      warnedEvents: file.reported.filter((event) => event.valid && event.problems.length > 0).map(eventJson),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
