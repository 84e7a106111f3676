// `wtbhook drift` for people: per event type, what real events say about the catalogue.

import type { DriftReport, JsonType, TypeDrift } from "../drift/drift.js";
import { terminalSafe } from "../terminal/safe-text.js";
import { severityMark } from "./severity.js";
import type { Style } from "./style.js";

/** "1 event", "1,204 events". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** "integer ×12, string ×1". */
export function typeCounts(types: Partial<Record<JsonType, number>>): string {
  return Object.entries(types)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([type, n]) => `${type} ×${n}`)
    .join(", ");
}

/** "12 of 14 (86%)". */
export function share(n: number, of: number): string {
  return `${n} of ${of} (${Math.round((n / Math.max(of, 1)) * 100)}%)`;
}

/** Lists that only inform (never seen, could be raised) show this many lines here; json and markdown have them all. */
const SHORT_LIST = 8;

function shortList<T>(items: readonly T[]): readonly T[] {
  return items.length > SHORT_LIST + 1 ? items.slice(0, SHORT_LIST) : items;
}

function more(total: number, s: Style): string {
  return total > SHORT_LIST + 1 ? `    ${s.dim(`… and ${total - SHORT_LIST} more (--format json or markdown lists them all)`)}\n` : "";
}

/** Lays out rows in columns (cells already safe), each line indented. */
function rows(lines: string[][], indent: string): string {
  const widths: number[] = [];
  for (const line of lines) line.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return lines
    .map((line) => `${indent}${line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")}\n`)
    .join("");
}

function typeSection(type: TypeDrift, s: Style): string {
  const name = s.bold(terminalSafe(type.type));
  const verdict = type.known
    ? s.dim(`(${type.invalid} invalid, ${type.warned} with warnings)`)
    : s.yellow("(not in the catalogue: every field it carries is listed)");
  let out = `${name}  ${plural(type.events, "event")}  ${verdict}\n`;
  if (type.undeclared.length > 0) {
    out += `  ${s.cyan(type.known ? "not in the schema" : "fields seen")}\n`;
    out += rows(
      type.undeclared.map((field) => [
        terminalSafe(field.pointer),
        typeCounts(field.types),
        share(field.events, type.events),
        `e.g. ${terminalSafe(field.example)}`,
      ]),
      "    ",
    );
  }
  if (type.mismatches.length > 0) {
    out += `  ${s.cyan("not what the schema expects")}\n`;
    out += rows(
      type.mismatches.map((field) => [
        `${severityMark(field.severity, s)} ${terminalSafe(field.pointer)}`,
        `expects ${terminalSafe(field.expected)}`,
        `seen ${typeCounts(field.seen)}`,
        `in ${share(field.events, type.events)}`,
      ]),
      "    ",
    );
  }
  if (type.missing.length > 0) {
    out += `  ${s.cyan("expected but missing")}\n`;
    out += rows(
      type.missing.map((field) => [
        `${severityMark(field.severity, s)} ${terminalSafe(field.pointer)}`,
        `missing in ${share(field.events, field.of)}`,
      ]),
      "    ",
    );
  }
  if (type.neverSeen.length > 0) {
    out += `  ${s.cyan("declared, never seen")}\n`;
    out += rows(
      shortList(type.neverSeen).map((field) => [terminalSafe(field.pointer), s.dim(field.confidence)]),
      "    ",
    );
    out += more(type.neverSeen.length, s);
  }
  if (type.confirmed.length > 0) {
    out += `  ${s.cyan("confidence could be raised (seen with the declared type)")}\n`;
    out += rows(
      shortList(type.confirmed).map((field) => [
        terminalSafe(field.pointer),
        field.confidence,
        `seen in ${share(field.events, type.events)}`,
      ]),
      "    ",
    );
    out += more(type.confirmed.length, s);
  }
  return out;
}

/** The whole report as text, a section per event type. */
export function formatDriftText(report: DriftReport, s: Style): string {
  const head =
    `drift: ${plural(report.events, "event")} of ${plural(report.types.length, "type")} in ${plural(report.files, "file")}` +
    (report.redacted ? s.dim(" (values redacted; --no-redact shows them)") : s.yellow(" (values NOT redacted)"));
  let out = `${head}\n`;
  for (const type of report.types) out += `\n${typeSection(type, s)}`;
  if (report.unreadable > 0) {
    const examples = report.unreadableExamples.map((entry) => `${terminalSafe(entry.file)}:${entry.line} (${terminalSafe(entry.reason)})`);
    const more = report.unreadable > examples.length ? `, and ${report.unreadable - examples.length} more` : "";
    out += `\n${s.yellow("⚠")} ${plural(report.unreadable, "line or document", "lines or documents")} held no event: ${examples.join(", ")}${more}\n`;
  }
  return out;
}
