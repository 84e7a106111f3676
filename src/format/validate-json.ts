// The `validate --format json` report: one object on stdout for programs.

import type { ValidationReport } from "../validation/report.js";

/** One JSON document: the summary, then per file its counts and its invalid events with their problems. */
export function formatJsonReport(report: ValidationReport): string {
  const { summary } = report;
  const document = {
    valid: summary.invalid === 0 && !summary.aborted,
    summary: {
      files: summary.files,
      events: summary.events,
      valid: summary.valid,
      invalid: summary.invalid,
      durationMs: Math.round(summary.durationMs),
      aborted: summary.aborted,
    },
    files: report.files.map((file) => ({
      file: file.file,
      events: file.events,
      valid: file.valid,
      invalid: file.invalid,
      invalidEvents: file.reported
        .filter((event) => !event.valid)
        .map((event) => ({
          index: event.index,
          line: event.line,
          column: event.column,
          type: event.type ?? null,
          problems: event.problems.map((problem) => ({
            line: problem.line,
            column: problem.column,
            pointer: problem.pointer,
            keyword: problem.keyword,
            message: problem.message,
            expected: problem.expected ?? null,
            found: problem.found ?? null,
          })),
          omittedProblems: event.omitted,
        })),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
