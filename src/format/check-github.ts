// `wtbhook check --format github`: an ::error per failed check and a ::warning per warning, with
// the reproduction commands, escaped by the workflow-command rules; then a plain summary line.

import type { CheckSummary } from "../check/runner.js";
import type { CheckResult } from "../check/types.js";
import { escapeGithubData, escapeGithubProperty } from "./validate-github.js";

/** The annotation of one check; nothing for a pass. */
export function formatGithubCheck(result: CheckResult): string {
  if (result.status === "pass") return "";
  const command = result.status === "fail" ? "error" : "warning";
  // escapeGithubData keeps the line breaks (as %0A) and shows every other control character escaped.
  const message = [result.reason, ...result.reproduce.map((line) => `Reproduce: ${line}`)].join("\n");
  return `::${command} title=${escapeGithubProperty(`wtbhook check: ${result.id}`)}::${escapeGithubData(message)}\n`;
}

export function formatGithubCheckSummary(summary: CheckSummary): string {
  const interrupted = summary.interrupted ? " (interrupted)" : "";
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;
  return `wtbhook check: ${plural(summary.checks, "check")}, ${summary.passed} passed, ${plural(summary.warnings, "warning")}, ${summary.failed} failed${interrupted}\n`;
}
