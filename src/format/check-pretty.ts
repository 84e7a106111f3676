// `wtbhook check` for people: the list of checks, one line per check with its reproduction
// commands, and the summary. Everything from outside (answers, Location, the target) is escaped.

import type { CheckReport, CheckSummary } from "../check/runner.js";
import type { CheckResult, CheckStatus } from "../check/types.js";
import { formatDuration } from "../duration.js";
import { terminalSafe } from "../terminal/safe-text.js";
import type { Style } from "./style.js";

/** Reproduction commands shown per check; the JSON report has every delivery's. */
const COMMANDS_SHOWN = 3;

const MARKS: Record<CheckStatus, (style: Style) => string> = {
  pass: (style) => style.green("✔ pass"),
  warn: (style) => style.yellow("⚠ warn"),
  fail: (style) => style.red("✖ fail"),
};

/** `--list`: each id with its one-line description. */
export function formatCheckList(checks: readonly { id: string; description: string }[], style: Style): string {
  const width = Math.max(...checks.map((check) => check.id.length));
  return checks.map((check) => `${style.bold(check.id.padEnd(width))}  ${check.description}\n`).join("");
}

export function formatCheckHeader(target: string, checks: number, style: Style): string {
  return `${style.bold(`Checking ${terminalSafe(target)}`)} with ${checks} check${checks === 1 ? "" : "s"} ${style.dim("(only a 2xx counts as received; a redirect is a failure)")}\n`;
}

function slowest(ms: number | undefined): string {
  if (ms === undefined) return "—";
  return ms < 1 ? "<1ms" : formatDuration(ms);
}

/** The width that lines up every check id. */
export function idWidth(ids: readonly string[]): number {
  return Math.max(0, ...ids.map((id) => id.length));
}

/** One check: verdict, id, slowest answer, reason; then the commands that reproduce a failure or warning. */
export function formatCheckResult(result: CheckResult, style: Style, width: number): string {
  let out = `${MARKS[result.status](style)}  ${style.bold(result.id.padEnd(width))}  ${slowest(result.slowestMs).padStart(6)}  ${terminalSafe(result.reason)}\n`;
  for (const command of result.reproduce.slice(0, COMMANDS_SHOWN)) out += `    ${style.dim("$")} ${terminalSafe(command)}\n`;
  const more = result.reproduce.length - COMMANDS_SHOWN;
  if (more > 0) out += `    ${style.dim(`… and ${more} more (--format json lists every delivery)`)}\n`;
  return out;
}

export function formatCheckSummary(summary: CheckSummary, style: Style): string {
  const parts = [
    style.green(`${summary.passed} passed`),
    (summary.warnings > 0 ? style.yellow : style.dim)(`${summary.warnings} warning${summary.warnings === 1 ? "" : "s"}`),
    (summary.failed > 0 ? style.red : style.dim)(`${summary.failed} failed`),
  ];
  const head = `${summary.checks} check${summary.checks === 1 ? "" : "s"} in ${formatDuration(summary.elapsedMs)} (${summary.deliveries} deliveries)`;
  const stopped = summary.interrupted ? style.yellow("; interrupted, the checks cut short are left out") : "";
  return `${head}: ${parts.join(", ")}${stopped}\n`;
}

/** The whole report at once (the streaming reporter writes the same pieces as they come). */
export function formatCheckReport(report: CheckReport, style: Style): string {
  const width = idWidth(report.checks.map((check) => check.id));
  return (
    formatCheckHeader(report.target, report.checks.length, style) +
    report.checks.map((result) => formatCheckResult(result, style, width)).join("") +
    formatCheckSummary(report.summary, style)
  );
}
