// The `validate --format text` report for people: problems under a ✗ per file, ✓ for valid files, a summary.

import type { EventReport, FileReport, ValidationSummary } from "../validation/types.js";
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
 * streams: a file's ✗ line comes with its first invalid event, its ✓ line when it ends valid.
 */
export class TextReporter {
  private readonly style: Style;
  private headerWritten: string | undefined;

  constructor(style: Style) {
    this.style = style;
  }

  /** The lines for one invalid event (and the file's ✗ line before the file's first one). */
  event(event: EventReport): string {
    if (event.valid) return "";
    const s = this.style;
    let out = "";
    if (this.headerWritten !== event.file) {
      out += `${s.red("✗")} ${s.bold(terminalSafe(event.file))}\n`;
      this.headerWritten = event.file;
    }
    const file = terminalSafe(event.file);
    const rows = event.problems.map((problem) => ({
      where: `${file}:${problem.line}:${problem.column}`,
      pointer: showPointer(problem.pointer),
      message: problem.message,
    }));
    const whereWidth = Math.max(...rows.map((row) => row.where.length));
    const pointerWidth = Math.max(...rows.map((row) => row.pointer.length));
    for (const row of rows) {
      out += `  ${s.dim(row.where.padEnd(whereWidth))}  ${s.cyan(row.pointer.padEnd(pointerWidth))}  ${row.message}\n`;
    }
    if (event.omitted > 0) out += `  ${s.dim(`… and ${count(event.omitted, "more problem")} in this event`)}\n`;
    return out;
  }

  /** The file's closing line: ✓ when all its events are valid, else its counts under the problems. */
  file(file: FileReport): string {
    const s = this.style;
    const name = s.bold(terminalSafe(file.file));
    if (file.invalid === 0 && file.stopped === true) {
      // Not a ✓: Ctrl+C stopped the run before the end of this file.
      return `${s.yellow("…")} ${name}  ${s.yellow(`stopped after ${count(file.events, "event")}`)}\n`;
    }
    if (file.invalid === 0) {
      const note = file.events === 0 ? s.yellow("no events") : s.dim(count(file.events, "event"));
      return `${s.green("✓")} ${name}  ${note}\n`;
    }
    if (this.headerWritten !== file.file) {
      this.headerWritten = file.file;
      return `${s.red("✗")} ${name}\n  ${s.dim(`${count(file.events, "event")}: ${file.valid} valid, ${file.invalid} invalid`)}\n`;
    }
    return `  ${s.dim(`${count(file.events, "event")}: ${formatCount(file.valid)} valid, ${formatCount(file.invalid)} invalid`)}\n`;
  }

  /** The last line: files, events, valid, invalid, time. */
  summary(summary: ValidationSummary): string {
    return `\n${formatSummaryLine(summary, this.style)}\n`;
  }
}

/** "2 files, 4 events: 2 valid, 2 invalid (12 ms)", coloured by outcome. */
export function formatSummaryLine(summary: ValidationSummary, s: Style): string {
  const valid = `${formatCount(summary.valid)} valid`;
  const invalid = `${formatCount(summary.invalid)} invalid`;
  const counts = `${count(summary.files, "file")}, ${count(summary.events, "event")}: ${summary.valid > 0 ? s.green(valid) : valid}, ${summary.invalid > 0 ? s.red(invalid) : invalid}`;
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
