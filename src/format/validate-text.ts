// The `validate --format text` report for people: problems under a ✗ (or ⚠) per file, each marked with
// its severity, ✓ for valid files, a summary.

import type { EventReport, FileReport, Severity, ValidationSummary } from "../validation/types.js";
import { severityMark } from "./severity.js";
import type { Style } from "./style.js";
import { terminalSafe } from "../terminal/safe-text.js";

/**
 * 1234567 → "1,234,567". Not toLocaleString: its first call loads ICU data, which costs more
 * than everything else `validate` does for a small file.
 */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "12 ms", "3.4 s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A pointer as shown to people: the whole event is "(root)". */
export function showPointer(pointer: string): string {
  return pointer === "" ? "(root)" : terminalSafe(pointer);
}

/**
 * Turns validation results into text as they arrive. Keeps only which file is open, so it
 * streams: a file's ✗ (or ⚠) line comes with its first event that has problems, and again should
 * a later event be worse (an error after warnings); its ✓ line when it ends with none.
 */
export class TextReporter {
  private readonly style: Style;
  private headerWritten: string | undefined;
  /** The worst verdict the open file's header has shown. */
  private headerSeverity: Severity | undefined;

  constructor(style: Style) {
    this.style = style;
  }

  /** The lines for one event with problems (under the file's ✗ or ⚠ line, written when the file's verdict gets worse). */
  event(event: EventReport): string {
    if (event.problems.length === 0 && event.omitted === 0 && event.valid) return "";
    const s = this.style;
    let out = "";
    const verdict: Severity = event.valid ? (event.severity === "warning" ? "warning" : "info") : "error";
    if (this.headerWritten !== event.file || worse(verdict, this.headerSeverity)) {
      out += `${severityMark(verdict, s)} ${s.bold(terminalSafe(event.file))}\n`;
      this.headerWritten = event.file;
      this.headerSeverity = verdict;
    }
    const file = terminalSafe(event.file);
    const rows = event.problems.map((problem) => ({
      where: `${file}:${problem.line}:${problem.column}`,
      severity: problem.severity,
      pointer: showPointer(problem.pointer),
      message: problem.message,
    }));
    const whereWidth = Math.max(...rows.map((row) => row.where.length));
    const pointerWidth = Math.max(...rows.map((row) => row.pointer.length));
    for (const row of rows) {
      out += `  ${s.dim(row.where.padEnd(whereWidth))}  ${severityMark(row.severity, s)} ${s.cyan(row.pointer.padEnd(pointerWidth))}  ${row.message}\n`;
    }
    if (event.omitted > 0) out += `  ${s.dim(`… and ${count(event.omitted, "more problem")} in this event`)}\n`;
    return out;
  }

  /** True when an event of this file has been listed (its ✗ or ⚠ line written). */
  listed(file: FileReport): boolean {
    return this.headerWritten === file.file;
  }

  /** The file's closing line: ✓ when it had nothing to list, else its counts under the problems. */
  file(file: FileReport): string {
    const s = this.style;
    const name = s.bold(terminalSafe(file.file));
    const counts = `${count(file.events, "event")}: ${validCounts(file)}, ${formatCount(file.invalid)} invalid`;
    if (this.headerWritten === file.file) return `  ${s.dim(counts)}\n`;
    if (file.invalid === 0 && file.stopped === true) {
      // Not a ✓: Ctrl+C stopped the run before the end of this file.
      return `${s.yellow("…")} ${name}  ${s.yellow(`stopped after ${count(file.events, "event")}`)}\n`;
    }
    if (file.invalid === 0) {
      const note = file.events === 0 ? s.yellow("no events") : s.dim(count(file.events, "event"));
      return `${s.green("✓")} ${name}  ${note}\n`;
    }
    this.headerWritten = file.file;
    return `${s.red("✗")} ${name}\n  ${s.dim(counts)}\n`;
  }

  /** The last line: files, events, valid, invalid, time. */
  summary(summary: ValidationSummary): string {
    return `\n${formatSummaryLine(summary, this.style)}\n`;
  }
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function worse(verdict: Severity, shown: Severity | undefined): boolean {
  return shown === undefined || RANK[verdict] > RANK[shown];
}

/** "3 valid", or "3 valid (1 with warnings)". */
function validCounts(counts: { valid: number; warned: number }): string {
  return `${formatCount(counts.valid)} valid${counts.warned > 0 ? ` (${formatCount(counts.warned)} with warnings)` : ""}`;
}

/** "2 files, 4 events: 2 valid (1 with warnings), 2 invalid (12 ms)", coloured by outcome. */
export function formatSummaryLine(summary: ValidationSummary, s: Style): string {
  const valid = validCounts(summary);
  const invalid = `${formatCount(summary.invalid)} invalid`;
  const validShown = summary.valid === 0 ? valid : summary.warned > 0 ? s.yellow(valid) : s.green(valid);
  const counts = `${count(summary.files, "file")}, ${count(summary.events, "event")}: ${validShown}, ${summary.invalid > 0 ? s.red(invalid) : invalid}`;
  const stopped = summary.aborted ? `${s.yellow("stopped early")}: ` : "";
  return `${stopped}${counts} ${s.dim(`(${formatDuration(summary.durationMs)})`)}`;
}

/** Said on stderr when `validate -` reads a terminal: otherwise it seems to hang. */
export function formatStdinNotice(s: Style): string {
  return `${s.dim("Reading events from stdin: type or paste them, then press Ctrl+D to end (Ctrl+C stops).")}\n`;
}

/** A warning on stderr, such as a pattern of the user's schema that runs without the linear-time guarantee. */
export function formatWarning(text: string, s: Style): string {
  return `${s.yellow("⚠")} ${terminalSafe(text)}\n`;
}
