// The human output of `wtbhook listen`: ready lines, one line per event (more with --verbose), summary.

import type { IncomingHttpHeaders } from "node:http";

import { formatDuration } from "../duration.js";
import type { ListenStats } from "../receiver/session.js";
import type { ForwardOutcome, ReceivedEvent, StrayRequest } from "../receiver/types.js";
import { eventFacts } from "./listen-facts.js";
import { SEVERITY_MARKS, severityMark } from "./severity.js";
import type { Style } from "./style.js";
import { clockText, durationText } from "./time-text.js";
import { KEEP_COLUMNS, plainLayout, RANK, type Layout, type Segment } from "../terminal/line.js";
import { terminalSafe, terminalSafeTruncated } from "../terminal/safe-text.js";

/** The colour of an event type's family, so a stream of events reads at a glance. */
export function familyColour(type: string, style: Style): (text: string) => string {
  switch (type.split(".")[0]) {
    case "user":
      return style.cyan;
    case "topic":
      return style.blue;
    case "post":
      return style.magenta;
    case "conversation":
      return style.yellow;
    case "message":
      return style.green;
    default:
      return style.bold;
  }
}

export interface PrettyOptions {
  verbose?: boolean;
  /** How lines are laid out: fitted to a terminal's width. @default plainLayout */
  layout?: Layout;
}

/** The status as a segment, coloured by class. */
function statusSegment(status: number, style: Style, gap = " "): Segment {
  const colour = status >= 200 && status < 300 ? style.green : status >= 500 ? style.red : style.yellow;
  return { text: String(status), style: colour, gap };
}

/**
 * `segments` with the first one's gap set: how a part of a line is set off from the part before it.
 * Set in place (each part builds its segments afresh): a copy by spread cost listen several µs an event.
 */
function after(gap: string, segments: Segment[]): Segment[] {
  if (segments[0]) segments[0].gap = gap;
  return segments;
}

/** What the sender got: its status (and why, for --fail-first), or that it got nothing. */
function senderPart(event: ReceivedEvent, style: Style): Segment[] {
  const status = event.answer.status;
  if (status === undefined) return [{ text: "✗ no answer (the sender hung up)", style: style.red, gap: " " }];
  const shown = statusSegment(status, style);
  return event.answer.by === "fail-first"
    ? [shown, { text: "(--fail-first)", style: style.dim, gap: " ", rank: RANK.note, whole: true }]
    : [shown];
}

function answerPart(event: ReceivedEvent, style: Style): Segment[] {
  const took: Segment = { text: durationText(event.answer.ms), style: style.dim, gap: " ", rank: RANK.duration, whole: true };
  const arrow: Segment = { text: "→", gap: " " };
  if (event.recordError !== undefined) return [{ text: "✗ not recorded", style: style.red }, arrow, ...senderPart(event, style), took];
  const forward = event.forward;
  if (forward?.failure) {
    const kind = forward.failure.kind;
    const what =
      kind === "timeout"
        ? "app timed out"
        : kind === "unreachable"
          ? "app unreachable"
          : kind === "tls"
            ? "app's TLS check failed"
            : kind === "loop"
              ? "forwarding loop"
              : "forward failed";
    return [{ text: `✗ ${what}`, style: style.red }, arrow, ...senderPart(event, style), took];
  }
  if (forward) {
    const start = forward.bodyStart.trim();
    const app: Segment[] = [
      { text: "→ app" },
      statusSegment(forward.status ?? 0, style),
      { text: durationText(forward.ms), style: style.dim, gap: " ", rank: RANK.duration, whole: true },
      { text: terminalSafeTruncated(start.replace(/\s+/g, " "), 40), style: style.dim, gap: " ", rank: RANK.preview },
    ];
    // The sender got the app's answer, unless --fail-first answered for it or it hung up first.
    if (event.answer.by === "app" && event.answer.status !== undefined) return app;
    return [...app, { text: "→ sender", gap: " " }, ...senderPart(event, style)];
  }
  return [{ text: "→" }, ...senderPart(event, style), took];
}

/**
 * The schema verdict, labelled so that it is not read as the delivery's outcome: ✓, ⚠ with the
 * first warning, or ✗ with the first error (an unknown type is a warning: answered as usual).
 */
function schemaPart(event: ReceivedEvent, style: Style): Segment[] {
  const label: Segment = { text: "schema", style: style.dim };
  const check = event.check;
  if (!check) return [label, { text: "–", style: style.dim, gap: " " }];
  if (check.severity !== "error" && check.severity !== "warning")
    return [label, { text: SEVERITY_MARKS.none, style: style.green, gap: " " }];
  const mark: Segment = { text: SEVERITY_MARKS[check.severity], style: check.severity === "error" ? style.red : style.yellow, gap: " " };
  const first = check.problems[0];
  if (first?.keyword === "event-type" && check.valid) {
    return [
      label,
      mark,
      { text: "unknown type", style: style.yellow, gap: " " },
      { text: "(answered as usual)", style: style.yellow, gap: " ", rank: RANK.note, whole: true },
    ];
  }
  const others = check.problems.length - 1 + check.omitted;
  const more = others > 0 ? `(+${check.estimated ? "about " : ""}${others.toLocaleString("en-US")} more)` : "";
  const where = first?.pointer ? `${first.pointer}: ` : "";
  return [
    label,
    mark,
    { text: terminalSafeTruncated(`${where}${first?.message ?? "invalid"}`, 100), gap: " ", rank: RANK.detail, min: KEEP_COLUMNS },
    { text: more, style: style.dim, gap: " ", rank: RANK.note, whole: true },
  ];
}

/** The event id as send shows it, and which delivery of that id this is (#1, #2 ↻ for a redelivery). */
function idPart(event: ReceivedEvent, style: Style): Segment[] {
  if (event.id === undefined) return [{ text: "(no id)", style: style.dim }];
  const delivery: Segment =
    event.delivery > 1
      ? { text: `#${event.delivery} ↻`, style: style.yellow, gap: "  " }
      : { text: `#${event.delivery}`, style: style.dim, gap: "  " };
  return [{ text: "id", style: style.dim }, { text: String(event.id), gap: " " }, delivery];
}

function headerLines(headers: IncomingHttpHeaders, style: Style): string[] {
  return Object.entries(headers).map(([name, value]) => {
    const shown = Array.isArray(value) ? value.join(", ") : (value ?? "");
    return `    ${style.dim(`${terminalSafe(name)}:`)} ${terminalSafe(shown)}`;
  });
}

/** How much of a payload `-v` shows: enough for any real event, bounded for hostile ones. */
export const PAYLOAD_LIMITS = {
  /** Levels of nesting shown indented; deeper ones are shown compact, on their parent's line. */
  depth: 20,
  /** Characters of pretty-printed payload shown; the rest is cut, and the cut said. */
  chars: 32 * 1024,
} as const;

/** Pretty-printed text, and what was left out of it. */
export interface IndentedJson {
  text: string;
  /** True when nesting deeper than the depth limit was shown compact. */
  compacted: boolean;
  /** Characters of the input not shown (0 when all of it was). */
  cutChars: number;
}

/**
 * The app's answer as `-v` shows it: status line, headers and the start of the body (as much as
 * the forward kept), each line terminal-safe, and how much was left out.
 */
function appAnswerLines(status: number, answer: NonNullable<ForwardOutcome["answer"]>, style: Style): string[] {
  const lines = [`    ${style.dim("app answered:")} ${status} ${terminalSafe(answer.statusText)}`];
  for (let i = 0; i + 1 < answer.headers.length; i += 2) {
    lines.push(`    ${style.dim(`${terminalSafe(answer.headers[i]!)}:`)} ${terminalSafe(answer.headers[i + 1]!)}`);
  }
  if (answer.body.length > 0) {
    // A cut in the middle of a character decodes to U+FFFD: drop it rather than show a stand-in.
    const text = answer.body.toString("utf8").replace(/\uFFFD+$/, "");
    lines.push("", ...text.split("\n").map((line) => `    ${terminalSafe(line.replace(/\r$/, ""))}`));
  }
  const unshown = answer.bodyBytes - answer.body.length;
  if (unshown > 0 || answer.truncated) {
    const more = answer.truncated
      ? "more: the answer was longer than wtbhook reads"
      : `${unshown.toLocaleString("en-US")} more bytes not shown`;
    lines.push(`    ${style.dim(`… ${more}`)}`);
  }
  return lines;
}

/**
 * Re-indents JSON text (2 spaces) without parsing it: numbers keep their digits (ids beyond 2^53,
 * 1.10), duplicate keys and escapes stay as sent. The text must be valid JSON. Bounded: levels past
 * `limits.depth` are not broken into lines, and the output stops at about `limits.chars`, so that
 * a hostile body (10,000 levels deep) costs neither time nor megabytes of output.
 */
export function indentJson(text: string, limits: { depth: number; chars: number } = { depth: Infinity, chars: Infinity }): IndentedJson {
  let out = "";
  let depth = 0;
  let inString = false;
  let compacted = false;
  const newline = (): string => {
    if (depth > limits.depth) {
      compacted = true;
      return "";
    }
    return `\n${"  ".repeat(depth)}`;
  };
  let i = 0;
  for (; i < text.length && out.length < limits.chars; i++) {
    const char = text[i]!;
    if (inString) {
      out += char;
      if (char === "\\") out += text[++i] ?? "";
      else if (char === '"') inString = false;
      continue;
    }
    switch (char) {
      case '"':
        inString = true;
        out += char;
        break;
      case "{":
      case "[": {
        // An empty object or array stays on one line.
        let j = i + 1;
        while (j < text.length && " \t\r\n".includes(text[j]!)) j++;
        if (text[j] === (char === "{" ? "}" : "]")) {
          out += char + text[j]!;
          i = j;
        } else {
          depth++;
          out += char + newline();
        }
        break;
      }
      case "}":
      case "]":
        depth--;
        out += newline() + char;
        break;
      case ",":
        out += `,${newline()}`;
        break;
      case ":":
        out += ": ";
        break;
      case " ":
      case "\t":
      case "\r":
      case "\n":
        break;
      default:
        out += char;
    }
  }
  // What is left after the limit counts as cut only if it is more than trailing whitespace.
  const rest = i < text.length && text.slice(i).trim() !== "" ? text.length - i : 0;
  return { text: out, compacted, cutChars: rest };
}

function payloadLines(event: ReceivedEvent, style: Style): string[] {
  const text = event.text ?? event.body.toString("utf8");
  const shown: IndentedJson =
    event.outcome === "event"
      ? indentJson(text, PAYLOAD_LIMITS)
      : { text: text.slice(0, PAYLOAD_LIMITS.chars), compacted: false, cutChars: Math.max(0, text.length - PAYLOAD_LIMITS.chars) };
  // Escape per line so that the payload's own line breaks stay line breaks (inside JSON strings they are already \n).
  const lines = shown.text.split("\n").map((line) => `    ${terminalSafe(line.replace(/\r$/, ""))}`);
  if (shown.compacted) lines.push(`    ${style.dim(`(nested deeper than ${PAYLOAD_LIMITS.depth} levels: shown without line breaks)`)}`);
  if (shown.cutChars > 0) {
    lines.push(
      `    ${style.dim(`… cut: ${shown.cutChars.toLocaleString("en-US")} more characters not shown (--record and --json keep the whole body)`)}`,
    );
  }
  return lines;
}

/** The line of a request that is not an event: what happened, why, and what the sender got. */
function rejectedLine(event: ReceivedEvent, style: Style): Segment[] {
  const arrow: Segment = { text: "→", gap: " " };
  if (event.outcome === "not-json") {
    const error = event.jsonError;
    const where = error ? ` at line ${error.line}, column ${error.column}` : "";
    const why = `${terminalSafeTruncated(error?.message ?? "", 120)}${where}`;
    return [
      { text: "⚠ not JSON", style: style.yellow },
      { text: why, gap: "  ", rank: RANK.detail, min: KEEP_COLUMNS },
      arrow,
      ...senderPart(event, style),
    ];
  }
  if (event.outcome === "too-large") {
    const length = event.headers["content-length"];
    const size = length ? `${terminalSafe(String(length))} bytes` : "";
    return [
      { text: "⚠ body too large", style: style.yellow },
      { text: size, gap: "  ", rank: RANK.detail },
      { ...arrow, gap: size ? " " : "  " },
      ...senderPart(event, style),
    ];
  }
  return [
    { text: "⚠ busy", style: style.yellow },
    { text: "too many bodies in flight, not read", gap: "  ", rank: RANK.detail },
    arrow,
    ...senderPart(event, style),
  ];
}

/** The one line of an event: time, type, id, facts, what the sender (and the app) got, the schema verdict. */
function eventLine(event: ReceivedEvent, style: Style): Segment[] {
  const type: Segment =
    event.type === undefined
      ? { text: "(no type)", style: style.yellow }
      : { text: terminalSafeTruncated(event.type, 40), style: familyColour(event.type, style), rank: RANK.type, min: KEEP_COLUMNS };
  const facts = eventFacts(event.type, event.payload).map((fact, i): Segment => ({
    text: terminalSafeTruncated(fact, 60),
    gap: i === 0 ? "  " : " ",
    rank: RANK.facts,
  }));
  return [
    type,
    ...after("  ", idPart(event, style)),
    ...facts,
    ...after("  ", answerPart(event, style)),
    ...after("  ", schemaPart(event, style)),
  ];
}

/**
 * One event as one line (plus headers, payload and the app's answer with `verbose`), ending in
 * "\n". On a terminal the line is fitted to its width (see RANK) and the explanations are wrapped.
 */
export function formatEventPretty(event: ReceivedEvent, style: Style, options: PrettyOptions = {}): string {
  const layout = options.layout ?? plainLayout;
  const time: Segment = { text: clockText(event.time), style: style.dim, rank: RANK.time, whole: true };
  const sent = event.answer.status === undefined ? "no answer" : String(event.answer.status);
  const rest = event.outcome === "event" ? eventLine(event, style) : rejectedLine(event, style);
  const lines = [layout.line([time, ...after("  ", rest)])];
  if (event.recordError !== undefined) {
    lines.push(layout.wrap(`    ${style.red("✗")} could not record: ${terminalSafe(event.recordError)} (${sent} to the sender)`));
  }
  if (event.forward?.failure) {
    const failure = event.forward.failure;
    lines.push(
      layout.wrap(`    ${style.red("✗")} ${terminalSafe(event.forward.url)}: ${terminalSafe(failure.message)} (${sent} to the sender)`),
    );
  }
  if (options.verbose) {
    lines.push(`    ${style.dim(`${terminalSafe(event.method)} ${terminalSafe(event.path)}`)}`, ...headerLines(event.headers, style));
    if (event.body.length > 0) lines.push("", ...payloadLines(event, style));
    const check = event.check;
    if (check && check.problems.length + check.omitted > 1) {
      lines.push(
        "",
        ...check.problems.map(
          (p) => `    ${severityMark(p.severity, style)} ${terminalSafe(p.pointer || "(event)")}: ${terminalSafe(p.message)}`,
        ),
      );
      if (check.omitted > 0) {
        lines.push(`    ${style.dim(`… and ${check.estimated ? "about " : ""}${check.omitted.toLocaleString("en-US")} more problems`)}`);
      }
    }
    if (event.forward?.answer && event.forward.status !== undefined) {
      lines.push("", ...appAnswerLines(event.forward.status, event.forward.answer, style));
    }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

/** A request to another path or with another method (shown only when no tunnel is exposing us to scanners). */
export function formatStrayPretty(request: StrayRequest, receivingPath: string, style: Style, layout: Layout = plainLayout): string {
  const why = request.status === 404 ? `not the receiving path ${receivingPath}` : "only POST is accepted";
  const line = layout.line([
    { text: clockText(request.time), style: style.dim, rank: RANK.time, whole: true },
    { text: `⚠ ${request.status}`, style: style.yellow, gap: "  " },
    { text: terminalSafeTruncated(request.method, 20), gap: " " },
    { text: terminalSafeTruncated(request.path, 100), gap: " ", rank: RANK.detail, min: KEEP_COLUMNS },
    { text: `(${why})`, style: style.dim, gap: " ", rank: RANK.note },
  ]);
  return `${line}\n`;
}

export interface ReadyInfo {
  localUrl: string;
  /** Every local URL: more than one when listening on all interfaces (0.0.0.0, ::). */
  localUrls?: readonly string[] | undefined;
  /** The --host given, to name the wildcard. */
  host?: string | undefined;
  publicUrl: string | undefined;
  tunnelName: string | undefined;
  forwardTo: string | undefined;
  forwardTimeoutMs: number;
  /** --fail-first N: the sender gets 500 for the first N deliveries of each id, forwarded or not. */
  failFirst?: number | undefined;
  record: string | undefined;
  events: string | undefined;
  /** The inspector's URL (token in the fragment), and the port asked for when it was taken and another one is used. */
  inspector?: { url: string; takenPort: number | undefined } | undefined;
}

/** The lines printed on stderr once wtbhook is listening. */
export function formatReady(info: ReadyInfo, style: Style): string {
  const lines: string[] = [];
  if (info.publicUrl) {
    lines.push(`${style.green("Ready!")} Webhook URL: ${style.bold(info.publicUrl)}`);
    lines.push(
      `  Paste it into your forum's settings: Integrate → Webhook. ${style.dim(`(via ${info.tunnelName ?? "tunnel"}; local ${info.localUrl})`)}`,
    );
    lines.push(`  ${style.dim("Requests to any other path get 404 and are only counted.")}`);
  } else {
    lines.push(`${style.green("Ready!")} Listening on ${style.bold(info.localUrl)}`);
    const others = (info.localUrls ?? []).filter((url) => url !== info.localUrl);
    if (info.host === "0.0.0.0" || info.host === "::") {
      lines.push(`  On all interfaces (--host ${info.host}):${others.length > 0 ? "" : " no other address found"}`);
      for (const url of others) lines.push(`    ${url}`);
    }
    lines.push(`  For your forum's settings (Integrate → Webhook) the URL must be public: add --tunnel.`);
    lines.push(`  ${style.dim(`Try it now: wtbhook send --all --to ${info.localUrl}`)}`);
  }
  if (info.forwardTo) {
    const timeout = info.forwardTimeoutMs > 0 ? formatDuration(info.forwardTimeoutMs) : "none";
    const gets = info.failFirst
      ? `the app's status, after 500 to the first ${info.failFirst} of each id (--fail-first)`
      : "the app's status";
    lines.push(`  Forwarding to ${info.forwardTo} ${style.dim(`(timeout ${timeout}; the sender gets ${gets})`)}`);
  }
  if (info.record) lines.push(`  Recording to ${info.record}`);
  if (info.events) lines.push(`  Showing only ${info.events} ${style.dim("(every event is still answered and counted)")}`);
  if (info.inspector) {
    const taken = info.inspector.takenPort === undefined ? "" : ` ${style.dim(`(port ${info.inspector.takenPort} was taken)`)}`;
    lines.push(`  Inspector: ${style.bold(info.inspector.url)}${taken}`);
  }
  lines.push(`  ${style.dim("Press Ctrl+C to stop.")}`);
  return `${lines.join("\n")}\n`;
}

/** What the summary shows of a session. */
export type SummaryInput = Readonly<ListenStats>;

/** The summary printed on stderr when `listen` stops. */
export function formatSummary(stats: SummaryInput, style: Style, note?: string): string {
  const lines = [`${style.bold("Stopped.")} ${stats.events} event${stats.events === 1 ? "" : "s"} received.`];
  // Types as the event lines show them (escaped, cut to 40), so a hostile type cannot widen the table.
  const rows = [...stats.byType.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([type, n]) => [terminalSafeTruncated(type, 40), n] as const);
  const width = Math.max(0, ...rows.map(([shown]) => shown.length));
  for (const [shown, n] of rows) lines.push(`  ${shown.padEnd(width)}  ${n}`);
  const parts = [`${stats.invalid} invalid`, `${stats.failed} failed (not 2xx)`, `${stats.redeliveries} redeliveries`];
  if (stats.warned > 0) parts.splice(1, 0, `${stats.warned} with warnings`);
  if (stats.unknownTypes > 0) parts.push(`${stats.unknownTypes} of unknown type`);
  if (stats.rejected > 0) parts.push(`${stats.rejected} not JSON or too large (400/413)`);
  if (stats.busy > 0) parts.push(style.yellow(`${stats.busy} refused unread while busy (503)`));
  if (stats.strays > 0) parts.push(`${stats.strays} to other paths or methods`);
  if (stats.clientErrors > 0) parts.push(`${stats.clientErrors} broken connections`);
  if (stats.unrecorded > 0) parts.push(style.red(`${stats.unrecorded} could not be recorded (answered 500)`));
  lines.push(`  ${parts.join(" · ")}`);
  if (note) lines.push(`  ${style.yellow(note)}`);
  return `${lines.join("\n")}\n`;
}
