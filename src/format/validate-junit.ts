// The `validate --format junit` report: JUnit XML with a testsuite per file and a testcase per event.

import type { ValidationReport } from "../validation/report.js";
import type { EventReport, FileReport, ValidationSummary } from "../validation/types.js";

// Characters XML 1.0 does not allow at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/FFFF).
const ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for an XML text node, dropping characters XML 1.0 cannot carry. */
export function escapeXmlText(text: string): string {
  return text.replace(ILLEGAL, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes text for a double-quoted XML attribute (line breaks kept as character references). */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** One `<testcase>`, with a `<failure>` listing the problems of an invalid event. */
export function formatJunitTestcase(event: EventReport): string {
  const name = `event ${event.index + 1}${event.type ? ` (${event.type})` : ""} at line ${event.line}`;
  const open = `    <testcase classname="${escapeXmlAttribute(event.file)}" name="${escapeXmlAttribute(name)}" time="0"`;
  if (event.valid) return `${open}/>\n`;
  const first = event.problems[0];
  const total = event.problems.length + event.omitted;
  const message = first
    ? `${first.pointer === "" ? "(root)" : first.pointer}: ${first.message}${total > 1 ? ` (and ${total - 1} more)` : ""}`
    : "invalid";
  const lines = event.problems.map(
    (problem) =>
      `${event.file}:${problem.line}:${problem.column}  ${problem.pointer === "" ? "(root)" : problem.pointer}  ${problem.message}`,
  );
  if (event.omitted > 0) lines.push(`… and ${event.omitted} more problems`);
  return (
    `${open}>\n` +
    `      <failure message="${escapeXmlAttribute(message)}" type="${escapeXmlAttribute(first?.keyword ?? "invalid")}">${escapeXmlText(lines.join("\n"))}</failure>\n` +
    `    </testcase>\n`
  );
}

/** The document's opening (the totals are its attributes: known only at the end). */
export const formatJunitDocumentOpen = (summary: ValidationSummary): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n` +
  `<testsuites name="wtbhook validate" tests="${summary.events}" failures="${summary.invalid}" errors="0" time="${seconds(summary.durationMs)}">\n`;
/** A file's `<testsuite>` opening, with its totals. */
export const formatJunitSuiteOpen = (file: FileReport): string =>
  `  <testsuite name="${escapeXmlAttribute(file.file)}" tests="${file.events}" failures="${file.invalid}" errors="0" skipped="0" time="${seconds(file.durationMs)}">\n`;
export const JUNIT_SUITE_CLOSE = "  </testsuite>\n";
export const JUNIT_DOCUMENT_CLOSE = "</testsuites>\n";

/** The whole XML document, in memory. Lists every event it is given (collect with `reportValid`). */
export function formatJunitReport(report: ValidationReport): string {
  let out = formatJunitDocumentOpen(report.summary);
  for (const file of report.files) {
    out += formatJunitSuiteOpen(file);
    for (const event of file.reported) out += formatJunitTestcase(event);
    out += JUNIT_SUITE_CLOSE;
  }
  return out + JUNIT_DOCUMENT_CLOSE;
}
