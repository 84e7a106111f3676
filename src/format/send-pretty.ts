// Human output of `send`: one line per attempt, retry waits, overrides, problems, the summary, the
// dry-run request and the progress bar. Pure: data in, string out, colours passed in.

import { STATUS_CODES } from "node:http";

import type { SendSummary } from "../delivery/run.js";
import { formatDuration } from "../duration.js";
import type { Style } from "./style.js";
import { terminalSafe } from "../terminal/safe-text.js";

/** What the formatter needs of an attempt (a subset of delivery's AttemptReport). */
export interface AttemptView {
  time: Date;
  type: string | undefined;
  id: number | undefined;
  attempt: number;
  maxAttempts: number;
  status: number | undefined;
  ok: boolean;
  ms: number;
  error: string | undefined;
  fault: string | undefined;
  location: string | undefined;
  body: Buffer;
  truncated: boolean;
}

/** Bytes of the answer shown per attempt. */
export const SHOWN_BODY_BYTES = 200;

function clock(time: Date): string {
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}.${String(time.getMilliseconds()).padStart(3, "0")}`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)}ms` : formatDuration(ms);
}

/** The first bytes of an answer, terminal-safe, on one line. */
export function bodyPreview(body: Buffer, truncated: boolean): string {
  if (body.length === 0) return "";
  const cut = body.subarray(0, SHOWN_BODY_BYTES);
  const text = terminalSafe(cut.toString("utf8").replace(/\uFFFD+$/, ""));
  return body.length > SHOWN_BODY_BYTES || truncated ? `${text}…` : text;
}

/** `✔ 12:00:01.123  user.created  id 1764…  #1  200 OK  4.2ms  {"ok":true}` */
export function formatAttempt(view: AttemptView, style: Style): string {
  const mark = view.ok ? style.green("✔") : style.red("✖");
  const attempt = view.maxAttempts > 1 ? `#${view.attempt}/${view.maxAttempts}` : `#${view.attempt}`;
  const status =
    view.status !== undefined && view.fault === undefined
      ? `${view.status} ${STATUS_CODES[view.status] ?? ""}`.trim()
      : (view.fault ?? "failed");
  const parts = [
    mark,
    style.dim(clock(view.time)),
    view.type ?? "(no type)",
    `id ${view.id ?? "-"}`,
    attempt,
    view.ok ? style.green(status) : style.red(status),
    formatMs(view.ms),
  ];
  if (view.fault !== undefined && view.fault !== "interrupted" && view.error) parts.push(style.red(terminalSafe(view.error)));
  else if (view.status !== undefined && view.status >= 300 && view.status < 400) {
    parts.push(style.yellow(view.location === undefined ? "(3xx: not followed)" : `→ ${terminalSafe(view.location)} (not followed)`));
  }
  const preview = bodyPreview(view.body, view.truncated);
  if (preview) parts.push(style.dim(preview));
  if (view.truncated) parts.push(style.yellow("(answer over 64 KiB: read no further, connection dropped)"));
  return parts.join("  ");
}

/** `  ↻ retry in 1h (attempt 2 of 73); Ctrl+C stops` */
export function formatRetryWait(view: AttemptView, waitMs: number, style: Style): string {
  return style.dim(
    `  ↻ ${view.type ?? "event"} id ${view.id ?? "-"}: retry in ${formatDuration(waitMs)} (attempt ${view.attempt + 1} of ${view.maxAttempts}); Ctrl+C stops`,
  );
}

/** The overrides applied to one event, one per line. */
export function formatOverrides(source: string, applied: readonly string[], style: Style): string {
  if (applied.length === 0) return "";
  return applied.map((line) => `${style.cyan("•")} ${source}: ${terminalSafe(line)}\n`).join("");
}

export interface ProblemView {
  source: string;
  type: string | undefined;
  problems: readonly { pointer: string; message: string; keyword?: string }[];
}

/** Why nothing was sent: the schema problems of each invalid event. */
export function formatProblems(checks: readonly ProblemView[], style: Style): string {
  let out = "";
  for (const check of checks) {
    const what = check.problems.every((problem) => problem.keyword === "syntax") ? "is not valid JSON" : "does not match its schema";
    out += `${style.red("✖")} ${check.source}${check.type ? ` (${check.type})` : ""} ${what}; nothing was sent\n`;
    for (const problem of check.problems) {
      out += `  ${style.yellow(problem.pointer || "/")}  ${terminalSafe(problem.message)}\n`;
    }
  }
  return `${out}  ${style.dim("Fix the event, or send it anyway with --no-validate.")}\n`;
}

/** What the summary shows of a run. */
export type SummaryView = Omit<SendSummary, "proxied">;

/** The end-of-run summary: deliveries by status, latency percentiles, rate. */
export function formatSummary(summary: SummaryView, style: Style): string {
  const outcomes = Object.entries(summary.byOutcome)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, count]) => {
      const text = `${key}: ${count}`;
      return /^2\d\d$/.test(key) ? style.green(text) : style.red(text);
    })
    .join("  ");
  const head = summary.failed === 0 && summary.notFinished === 0 ? style.green("✔") : style.red("✖");
  // A rate of deliveries says nothing when none finished (Ctrl+C during the first retry wait).
  const rate = summary.delivered + summary.failed > 0 ? `${summary.perSecond.toFixed(summary.perSecond < 10 ? 1 : 0)}/s, ` : "";
  const lines = [
    `${head} ${summary.delivered}/${summary.deliveries} delivered` +
      (summary.failed ? `, ${summary.failed} failed` : "") +
      (summary.notFinished ? `, ${summary.notFinished} not finished${summary.interrupted ? " (interrupted)" : ""}` : "") +
      ` in ${formatMs(summary.elapsedMs)} (${rate}${summary.attempts} attempt${summary.attempts === 1 ? "" : "s"})`,
    `  status   ${outcomes || "-"}`,
    `  latency  p50 ${formatMs(summary.latency.p50)}  p95 ${formatMs(summary.latency.p95)}  p99 ${formatMs(summary.latency.p99)}  max ${formatMs(summary.latency.max)}`,
  ];
  return `${lines.join("\n")}\n`;
}

/** `[########----------]  1234/20000  6%` for the TTY progress line. */
export function formatProgress(done: number, total: number, elapsedMs: number, width = 24): string {
  const ratio = total > 0 ? done / total : 1;
  const filled = Math.round(ratio * width);
  const rate = elapsedMs > 0 ? Math.round((done / elapsedMs) * 1000) : 0;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${Math.floor(ratio * 100)}% ${rate}/s`;
}

export interface RequestView {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
}

/** The exact request `--dry-run` would have sent: request line, headers, blank line, body. */
export function formatRequest(request: RequestView, safe: boolean): string {
  // Host and Connection are what undici adds; Content-Length is the body's exact size.
  const lines = [`${request.method} ${request.url.href}`, `Host: ${request.url.host}`, "Connection: keep-alive"];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  lines.push(`Content-Length: ${request.body.length}`);
  const body = request.body.toString("utf8");
  return `${lines.join("\n")}\n\n${safe ? terminalSafe(body) : body}${body.endsWith("\n") ? "" : "\n"}`;
}

/** `--scenario list`: each scenario with its steps. */
export function formatScenarioList(
  scenarios: readonly { name: string; description: string; steps: readonly { type: string }[] }[],
  style: Style,
): string {
  const width = Math.max(...scenarios.map((scenario) => scenario.name.length));
  return scenarios
    .map(
      (scenario) =>
        `${style.bold(scenario.name.padEnd(width))}  ${scenario.description}\n${" ".repeat(width + 2)}${style.dim(scenario.steps.map((step) => step.type).join(" → "))}\n`,
    )
    .join("");
}
