// Human output of `send`: one line per attempt, retry waits, overrides, problems, the summary, the
// dry-run request and the progress bar. Pure: data in, string out, colours passed in.

import type { SendSummary } from "../delivery/run.js";
import { formatDuration } from "../duration.js";
import { clockText, durationText } from "./time-text.js";
import { statusText } from "../http/status-text.js";
import type { Severity } from "../catalog/grade-schema.js";
import { severityMark } from "./severity.js";
import type { Style } from "./style.js";
import { KEEP_COLUMNS, plainLayout, RANK, type Layout, type Segment } from "../terminal/line.js";
import { terminalSafe, terminalSafeTruncated } from "../terminal/safe-text.js";

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

// Load mode formats tens of thousands of attempt lines a second, nearly all alike: the type and the
// answer's preview, the same from one line to the next, are made once and reused.
let lastType: string | undefined;
let lastTypeText = "";
let lastBody: Buffer | undefined;
let lastBodyText = "";

/** An event type from a payload, shown terminal-safe and cut (a type can be anything a file holds). */
function typeText(type: string | undefined, missing: string): string {
  if (type === undefined) return missing;
  if (type !== lastType) {
    lastTypeText = terminalSafeTruncated(type, 80);
    lastType = type;
  }
  return lastTypeText;
}

/** The first bytes of an answer, terminal-safe, on one line. */
export function bodyPreview(body: Buffer, truncated: boolean): string {
  if (body.length === 0) return "";
  const cut = body.subarray(0, SHOWN_BODY_BYTES);
  if (lastBody === undefined || !cut.equals(lastBody)) {
    lastBodyText = terminalSafe(cut.toString("utf8").replace(/\uFFFD+$/, ""));
    lastBody = Buffer.from(cut);
  }
  const text = lastBodyText;
  return body.length > SHOWN_BODY_BYTES || truncated ? `${text}…` : text;
}

/**
 * `✔ 12:00:01.123  user.created  id 1764…  #1  200 OK  4.2ms  {"ok":true}`; on a narrow terminal
 * the preview, notes, duration, time, error wording and type give way (in that order, see RANK),
 * never the mark, the id, the attempt or the status.
 */
export function formatAttempt(view: AttemptView, style: Style, layout: Layout = plainLayout): string {
  const attempt = view.maxAttempts > 1 ? `#${view.attempt}/${view.maxAttempts}` : `#${view.attempt}`;
  const answered = view.status !== undefined && view.fault === undefined;
  const outcome = view.ok ? style.green : style.red;
  const segments: Segment[] = [
    { text: view.ok ? "✔" : "✖", style: outcome },
    { text: clockText(view.time, true), style: style.dim, gap: "  ", rank: RANK.time, whole: true },
    { text: typeText(view.type, "(no type)"), gap: "  ", rank: RANK.type, min: KEEP_COLUMNS },
    { text: `id ${view.id ?? "-"}`, gap: "  " },
    { text: attempt, gap: "  " },
    { text: answered ? String(view.status) : (view.fault ?? "failed"), style: outcome, gap: "  " },
    { text: answered ? statusText(view.status!) : "", style: outcome, gap: " ", rank: RANK.note, whole: true },
    { text: durationText(view.ms), gap: "  ", rank: RANK.duration, whole: true },
  ];
  if (view.fault !== undefined && view.fault !== "interrupted" && view.error) {
    segments.push({ text: terminalSafe(view.error), style: style.red, gap: "  ", rank: RANK.detail, min: KEEP_COLUMNS });
  } else if (view.status !== undefined && view.status >= 300 && view.status < 400) {
    const where = view.location === undefined ? "(3xx: not followed)" : `→ ${terminalSafe(view.location)} (not followed)`;
    segments.push({ text: where, style: style.yellow, gap: "  ", rank: RANK.detail, min: KEEP_COLUMNS });
  }
  segments.push({ text: bodyPreview(view.body, view.truncated), style: style.dim, gap: "  ", rank: RANK.preview });
  if (view.truncated) {
    segments.push({ text: "(answer over 64 KiB: read no further, connection dropped)", style: style.yellow, gap: "  ", rank: RANK.note });
  }
  return layout.line(segments);
}

/** `  ↻ retry in 1h (attempt 2 of 73); Ctrl+C stops` */
export function formatRetryWait(view: AttemptView, waitMs: number, style: Style): string {
  return style.dim(
    `  ↻ ${typeText(view.type, "event")} id ${view.id ?? "-"}: retry in ${formatDuration(waitMs)} (attempt ${view.attempt + 1} of ${view.maxAttempts}); Ctrl+C stops`,
  );
}

/** The overrides applied to one event, one per line. */
export function formatOverrides(source: string, applied: readonly string[], style: Style): string {
  if (applied.length === 0) return "";
  return applied.map((line) => `${style.cyan("•")} ${terminalSafe(source)}: ${terminalSafe(line)}\n`).join("");
}

/** What `send` says of an event made from a fixture when the user has a fixture folder: which one it is. */
export interface FixtureView {
  /** Where the event comes from (`fixtures/x.json`, `scenario forum step 2`). */
  source: string;
  type: string | undefined;
  fixture: { source: string; own: boolean };
}

/**
 * One line per event made from a fixture, saying which fixture it is: the user's own (from
 * `--fixtures DIR`) or the built-in one (DIR has none of that type).
 */
export function formatFixtureSources(items: readonly FixtureView[], dir: string, style: Style): string {
  return items
    .map((item) => {
      const where = item.source === item.fixture.source ? "" : `${terminalSafe(item.source)}: `;
      const which = item.fixture.own
        ? style.green("your fixture")
        : style.dim(`built-in; ${terminalSafe(dir)} has no ${terminalSafe(item.type ?? "such")}.json`);
      return `${style.cyan("•")} ${typeText(item.type ?? "?", "")}: ${where}${terminalSafe(item.fixture.source)} (${which})\n`;
    })
    .join("");
}

export interface ProblemView {
  source: string;
  type: string | undefined;
  problems: readonly { pointer: string; message: string; keyword?: string; severity?: Severity }[];
}

function problemLines(check: ProblemView, style: Style): string {
  let out = "";
  for (const problem of check.problems) {
    out += `  ${severityMark(problem.severity ?? "error", style)} ${style.yellow(terminalSafe(problem.pointer || "/"))}  ${terminalSafe(problem.message)}\n`;
  }
  return out;
}

/** Why nothing was sent: the schema problems of each invalid event, each marked with its severity. */
export function formatProblems(checks: readonly ProblemView[], style: Style): string {
  let out = "";
  for (const check of checks) {
    const what = check.problems.every((problem) => problem.keyword === "syntax") ? "is not valid JSON" : "does not match its schema";
    const type = check.type ? ` (${typeText(check.type, "")})` : "";
    out += `${style.red("✖")} ${terminalSafe(check.source)}${type} ${what}; nothing was sent\n${problemLines(check, style)}`;
  }
  return `${out}  ${style.dim("Fix the event, or send it anyway with --no-validate.")}\n`;
}

/** At most this many events' warnings are listed before sending; the rest are counted. */
export const WARNED_EVENTS_SHOWN = 20;

/** The warnings of valid events, said before they are sent anyway (a warning never stops a send). */
export function formatWarnings(checks: readonly ProblemView[], style: Style): string {
  let out = "";
  for (const check of checks.slice(0, WARNED_EVENTS_SHOWN)) {
    const type = check.type ? ` (${typeText(check.type, "")})` : "";
    const n = check.problems.length;
    out += `${style.yellow("⚠")} ${terminalSafe(check.source)}${type}: ${n} ${n === 1 ? "warning" : "warnings"}; sent all the same\n${problemLines(check, style)}`;
  }
  const more = checks.length - WARNED_EVENTS_SHOWN;
  if (more > 0) out += `  ${style.dim(`… and ${more} more ${more === 1 ? "event" : "events"} with warnings`)}\n`;
  return out;
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
      ` in ${durationText(summary.elapsedMs)} (${rate}${summary.attempts} attempt${summary.attempts === 1 ? "" : "s"})`,
    `  status   ${outcomes || "-"}`,
    `  latency  p50 ${durationText(summary.latency.p50)}  p95 ${durationText(summary.latency.p95)}  p99 ${durationText(summary.latency.p99)}  max ${durationText(summary.latency.max)}`,
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
  // Recorded headers come from outside: escaped on a terminal, like the body.
  for (const [name, value] of Object.entries(request.headers)) lines.push(safe ? terminalSafe(`${name}: ${value}`) : `${name}: ${value}`);
  lines.push(`Content-Length: ${request.body.length}`);
  const body = request.body.toString("utf8");
  return `${lines.join("\n")}\n\n${safe ? terminalSafe(body) : body}${body.endsWith("\n") ? "" : "\n"}`;
}

/**
 * Steps as `a → b → c`; when that is wider than `width`, as many steps from each end as fit
 * around an ellipsis (`a → b → … → y → z`), at least the first and the last.
 */
export function stepChain(types: readonly string[], width: number): string {
  const full = types.join(" → ");
  if (full.length <= width || types.length <= 2) return full;
  let chain = `${types[0]} → … → ${types.at(-1)}`;
  for (let keep = 2; keep * 2 < types.length; keep++) {
    const longer = [...types.slice(0, keep), "…", ...types.slice(-keep)].join(" → ");
    if (longer.length > width) break;
    chain = longer;
  }
  return chain;
}

/**
 * `--scenario list`: each scenario with its steps, each chain fitted to the width (120 columns
 * when not a terminal); on a terminal the descriptions are wrapped at words too.
 */
export function formatScenarioList(
  scenarios: readonly { name: string; description: string; steps: readonly { type: string }[] }[],
  style: Style,
  layout: Layout = plainLayout,
): string {
  const width = layout.columns() ?? 120;
  const names = scenarios.map((scenario) => terminalSafe(scenario.name));
  const pad = Math.max(...names.map((name) => name.length));
  const indent = " ".repeat(pad + 2);
  return scenarios
    .map((scenario, index) => {
      const chain = stepChain(
        scenario.steps.map((step) => terminalSafe(step.type)),
        width - pad - 2,
      );
      const head = layout.wrap(`${style.bold(names[index]!.padEnd(pad))}  ${terminalSafe(scenario.description)}`, indent);
      return `${head}\n${indent}${style.dim(chain)}\n`;
    })
    .join("");
}
