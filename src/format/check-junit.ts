// `wtbhook check --format junit`: a testsuite with a testcase per check; a failure is a <failure>,
// a warning passes with the warning in <system-out>.

import type { CheckReport } from "../check/runner.js";
import type { CheckResult } from "../check/types.js";
import { terminalSafe } from "../terminal/safe-text.js";
import { escapeXmlAttribute, escapeXmlText } from "./validate-junit.js";

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** What a failure or warning says in full: the reason, the commands, and each delivery that was not 2xx. */
function details(result: CheckResult): string {
  const lines = [result.reason, ...result.reproduce.map((command) => `$ ${command}`)];
  for (const delivery of result.deliveries.filter((one) => !one.ok)) {
    lines.push(`${delivery.label} (${delivery.check}): ${delivery.error ?? "not 2xx"}`);
  }
  // Each line made safe on its own, so that the line breaks between them stay line breaks.
  return lines.map(terminalSafe).join("\n");
}

function testcase(result: CheckResult): string {
  const open = `    <testcase classname="wtbhook check" name="${escapeXmlAttribute(result.id)}" time="${seconds(result.elapsedMs)}"`;
  if (result.status === "pass") return `${open}/>\n`;
  const text = escapeXmlText(details(result));
  const body =
    result.status === "fail"
      ? `      <failure message="${escapeXmlAttribute(terminalSafe(result.reason))}" type="fail">${text}</failure>\n`
      : `      <system-out>warning: ${text}</system-out>\n`;
  return `${open}>\n${body}    </testcase>\n`;
}

export function formatCheckJunit(report: CheckReport): string {
  const { summary } = report;
  const counts = `tests="${summary.checks}" failures="${summary.failed}" errors="0"`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="wtbhook check" ${counts} time="${seconds(summary.elapsedMs)}">\n` +
    `  <testsuite name="${escapeXmlAttribute(`wtbhook check ${terminalSafe(report.target)}`)}" ${counts} skipped="0" time="${seconds(summary.elapsedMs)}">\n` +
    report.checks.map(testcase).join("") +
    `  </testsuite>\n</testsuites>\n`
  );
}
