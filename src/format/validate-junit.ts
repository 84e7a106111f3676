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

/** A problem as one line of a report: where, severity, pointer, message. */
function problemLine(event: EventReport, problem: EventReport["problems"][number]): string {
  return `${event.file}:${problem.line}:${problem.column}  ${problem.severity}  ${problem.pointer === "" ? "(root)" : problem.pointer}  ${problem.message}`;
}

/**
 * One `<testcase>`: an invalid event has a `<failure>` listing its errors; warnings and infos never
 * fail a testcase, they are listed in its `<system-out>` (and counted in its `<properties>`).
 */
export function formatJunitTestcase(event: EventReport): string {
  const name = `event ${event.index + 1}${event.type ? ` (${event.type})` : ""} at line ${event.line}`;
  const open = `    <testcase classname="${escapeXmlAttribute(event.file)}" name="${escapeXmlAttribute(name)}" time="0"`;
  if (event.problems.length === 0 && event.omitted === 0) return `${open}/>\n`;
  const errors = event.problems.filter((problem) => problem.severity === "error");
  const others = event.problems.filter((problem) => problem.severity !== "error");
  let out = `${open}>\n`;
  if (others.length > 0) {
    const counts = (["warning", "info"] as const)
      .map((severity) => [severity, others.filter((problem) => problem.severity === severity).length] as const)
      .filter(([, n]) => n > 0);
    out +=
      `      <properties>\n` +
      counts.map(([severity, n]) => `        <property name="wtbhook.${severity}s" value="${n}"/>\n`).join("") +
      `      </properties>\n`;
  }
  if (!event.valid) {
    const first = errors[0] ?? event.problems[0];
    const total = errors.length + event.omitted;
    const message = first
      ? `${first.pointer === "" ? "(root)" : first.pointer}: ${first.message}${total > 1 ? ` (and ${total - 1} more)` : ""}`
      : "invalid";
    const lines = errors.map((problem) => problemLine(event, problem));
    if (event.omitted > 0) lines.push(`… and ${event.omitted} more problems`);
    out += `      <failure message="${escapeXmlAttribute(message)}" type="${escapeXmlAttribute(first?.keyword ?? "invalid")}">${escapeXmlText(lines.join("\n"))}</failure>\n`;
  }
  if (others.length > 0) {
    const lines = others.map((problem) => problemLine(event, problem));
    if (event.valid && event.omitted > 0) lines.push(`… and ${event.omitted} more problems`);
    out += `      <system-out>${escapeXmlText(lines.join("\n"))}</system-out>\n`;
  }
  return `${out}    </testcase>\n`;
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
