// `wtbhook check` for people: the list of checks, one line per check with its reproduction
// commands, and the summary. Everything from outside (answers, Location, the target) is escaped.

import type { CheckReport, CheckSummary } from "../check/runner.js";
import type { CheckResult, CheckStatus } from "../check/types.js";
import { formatDuration } from "../duration.js";
import { plainLayout, type Layout } from "../terminal/line.js";
import { terminalSafe } from "../terminal/safe-text.js";
import type { Style } from "./style.js";

/** Reproduction commands shown per check; the JSON report has every delivery's. */
const COMMANDS_SHOWN = 3;

const MARKS: Record<CheckStatus, (style: Style) => string> = {
  pass: (style) => style.green("✔ pass"),
  warn: (style) => style.yellow("⚠ warn"),
  fail: (style) => style.red("✖ fail"),
};

/** Columns a wrapped text column needs to stay readable; narrower, its lines start at the left instead. */
const READABLE_COLUMNS = 40;

/** Where the continuation lines of a wrapped text column start: under the column, if it has room there. */
function hangAt(column: number, layout: Layout): string {
  const columns = layout.columns();
  return " ".repeat(columns !== undefined && columns - column >= READABLE_COLUMNS ? column : 4);
}

/** `--list`: each id with its one-line description. */
export function formatCheckList(
  checks: readonly { id: string; description: string }[],
  style: Style,
  layout: Layout = plainLayout,
): string {
  const width = Math.max(...checks.map((check) => check.id.length));
  const hang = hangAt(width + 2, layout);
  return checks.map((check) => `${layout.wrap(`${style.bold(check.id.padEnd(width))}  ${check.description}`, hang)}\n`).join("");
}

export function formatCheckHeader(target: string, checks: number, style: Style, layout: Layout = plainLayout): string {
  return `${layout.wrap(`${style.bold(`Checking ${terminalSafe(target)}`)} with ${checks} check${checks === 1 ? "" : "s"} ${style.dim("(only a 2xx counts as received; a redirect is a failure)")}`)}\n`;
}

function slowest(ms: number | undefined): string {
  if (ms === undefined) return "—";
  return ms < 1 ? "<1ms" : formatDuration(ms);
}

/** The width that lines up every check id. */
export function idWidth(ids: readonly string[]): number {
  return Math.max(0, ...ids.map((id) => id.length));
}

/**
 * One check: verdict, id, slowest answer, reason; then the commands that reproduce a failure or
 * warning. On a terminal the reason is wrapped at words; the commands never are (they are copied).
 */
export function formatCheckResult(result: CheckResult, style: Style, width: number, layout: Layout = plainLayout): string {
  // "✖ fail  " + the id column + "  " + the slowest answer (6) + "  ".
  const hang = hangAt(8 + width + 2 + 6 + 2, layout);
  const line = `${MARKS[result.status](style)}  ${style.bold(result.id.padEnd(width))}  ${slowest(result.slowestMs).padStart(6)}  ${terminalSafe(result.reason)}`;
  let out = `${layout.wrap(line, hang)}\n`;
  for (const command of result.reproduce.slice(0, COMMANDS_SHOWN)) out += `    ${style.dim("$")} ${terminalSafe(command)}\n`;
  const more = result.reproduce.length - COMMANDS_SHOWN;
  if (more > 0) out += `${layout.wrap(`    ${style.dim(`… and ${more} more (--format json lists every delivery)`)}`)}\n`;
  return out;
}

export function formatCheckSummary(summary: CheckSummary, style: Style, layout: Layout = plainLayout): string {
  const parts = [
    style.green(`${summary.passed} passed`),
    (summary.warnings > 0 ? style.yellow : style.dim)(`${summary.warnings} warning${summary.warnings === 1 ? "" : "s"}`),
    (summary.failed > 0 ? style.red : style.dim)(`${summary.failed} failed`),
  ];
  const head = `${summary.checks} check${summary.checks === 1 ? "" : "s"} in ${formatDuration(summary.elapsedMs)} (${summary.deliveries} deliveries)`;
  const stopped = summary.interrupted ? style.yellow("; interrupted, the checks cut short are left out") : "";
  return `${layout.wrap(`${head}: ${parts.join(", ")}${stopped}`)}\n`;
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
