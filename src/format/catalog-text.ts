// Plain-text tables for `wtbhook schemas` and `wtbhook fixtures`: data in, string out, colours passed in.

import type { EventTypeInfo } from "../catalog/catalog.js";
import { CONFIDENCE_LEVELS, type EventSummary, type FieldInfo } from "../catalog/describe.js";
import type { Style } from "./style.js";
import { terminalSafe } from "../terminal/safe-text.js";

/** The colour functions these tables use. */
export type TextStyle = Pick<Style, "bold" | "dim" | "green" | "cyan" | "yellow" | "red">;

/** Column headers for the confidence labels, short enough for an 80-column terminal. */
const SHORT_LABELS: Record<string, string> = {
  documented: "doc",
  "documented-2017": "2017",
  "seen-in-code": "code",
  "third-party-doc": "3rd",
  inferred: "infer",
  speculative: "spec",
};

const MEANINGS: Record<string, string> = {
  documented: "stated on a current Website Toolbox help or API page",
  "documented-2017": "in Website Toolbox's 2017 API draft; the live API may differ",
  "seen-in-code": "read or written by code that calls the live API or receives the webhook",
  "third-party-doc": "only in third-party generated docs; doubtful",
  inferred: "reasoned, not stated anywhere",
  speculative: "a guess: nothing public describes it",
};

function legend(): string {
  const rows = CONFIDENCE_LEVELS.map((label) => [`  ${SHORT_LABELS[label] ?? label}`, label, MEANINGS[label] ?? ""]);
  return [
    "PAYLOAD says how sure we are that the event carries that object at all. The other columns count",
    "the fields of data.object (nested ones included) by confidence:",
    table(rows),
    "A missing documented field, or a missing identity key (topicId, postId…), is an error; a field the",
    "2017 draft or real code shows is a warning; the rest an info at most. Extra fields are allowed",
    "(validate --strict reports them). Per field: wtbhook schemas <type> --fields",
  ].join("\n");
}

export function colourConfidence(label: string, style: TextStyle, text = label): string {
  switch (label) {
    case "documented":
      return style.green(text);
    case "documented-2017":
    case "seen-in-code":
      return style.cyan(text);
    case "third-party-doc":
    case "inferred":
      return style.yellow(text);
    case "speculative":
      return style.red(text);
    default:
      return text;
  }
}

/** Lays out rows in left-aligned columns; `colour` styles a cell after padding so widths stay right. */
function table(rows: string[][], colour: (row: number, column: number, padded: string) => string = (_r, _c, text) => text): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row, r) =>
      row
        .map((cell, c) => colour(r, c, c === row.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** `wtbhook schemas`: one row per event type with its payload confidence and its fields counted by confidence. */
export function formatCatalogueSummary(summaries: readonly EventSummary[], style: TextStyle): string {
  const header = ["TYPE", "PAYLOAD", ...CONFIDENCE_LEVELS.map((label) => SHORT_LABELS[label] ?? label)];
  const rows = summaries.map((summary) => [
    summary.type,
    summary.confidence,
    ...CONFIDENCE_LEVELS.map((label) => String(summary.fieldCounts[label] ?? "-")),
  ]);
  const body = table([header, ...rows], (r, c, text) => {
    if (r === 0) return style.bold(text);
    if (c === 1) return colourConfidence(rows[r - 1]![1]!, style, text);
    return text.trim() === "-" ? style.dim(text) : text;
  });
  return `${body}\n\n${style.dim(legend())}\n`;
}

/** What a missing field costs, as the IF MISSING column says it. */
function missingText(field: FieldInfo): string {
  if (field.ifMissing === undefined) return "-";
  return field.ifMissingWhen === undefined ? field.ifMissing : `${field.ifMissing} (${field.ifMissingWhen})`;
}

function colourMissing(field: FieldInfo, style: TextStyle, text: string): string {
  switch (field.ifMissing) {
    case "error":
      return style.red(text);
    case "warning":
      return style.yellow(text);
    default:
      return style.dim(text);
  }
}

/**
 * `wtbhook schemas <type> --fields`: every field with its JSON type, what its absence costs in the
 * graded check (error, warning, info, or nothing), and its confidence.
 */
export function formatFieldTable(type: string, fields: readonly FieldInfo[], style: TextStyle): string {
  const rows = fields.map((field) => [field.path, field.jsonType, missingText(field), field.confidence]);
  const body = table([["FIELD", "TYPE", "IF MISSING", "CONFIDENCE"], ...rows], (r, c, text) => {
    if (r === 0) return style.bold(text);
    if (c === 2) return colourMissing(fields[r - 1]!, style, text);
    if (c === 3) return colourConfidence(rows[r - 1]![3]!, style, text);
    return text;
  });
  const legend =
    "IF MISSING: what validate, send and listen make of the field's absence (when its parent is there): an error fails the event, a warning does not, an info is shown with -v; - costs nothing.";
  return `${style.bold(type)}\n${body}\n\n${style.dim(legend)}\n`;
}

/**
 * `wtbhook fixtures`: the event types in catalogue order with one line each. With the user's
 * folder (`--fixtures DIR`), each line says whose fixture `send` uses, and the types DIR has that
 * the catalogue does not know follow.
 */
export function formatFixtureList(
  entries: readonly EventTypeInfo[],
  style: TextStyle,
  own?: { dir: string; types: readonly string[] },
): string {
  if (!own) {
    const rows = entries.map((entry) => [entry.type, entry.description]);
    return `${table(rows, (_r, c, text) => (c === 0 ? style.cyan(text) : text))}\n`;
  }
  const mine = new Set(own.types);
  const dir = terminalSafe(own.dir);
  const rows = entries.map((entry) => [entry.type, mine.has(entry.type) ? `${dir}/${entry.type}.json` : "built-in", entry.description]);
  const known = new Set(entries.map((entry) => entry.type));
  for (const type of own.types) {
    if (!known.has(type))
      rows.push([terminalSafe(type), `${dir}/${terminalSafe(type)}.json`, "not in the catalogue (sent with a warning)"]);
  }
  const body = table([["TYPE", "FIXTURE", "DESCRIPTION"], ...rows], (r, c, text) => {
    if (r === 0) return style.bold(text);
    if (c === 0) return style.cyan(text);
    if (c === 1) return text === "built-in" ? style.dim(text) : style.green(text);
    return text;
  });
  return `${body}\n`;
}

/**
 * One line saying which fixtures a run uses (check): the catalogue's types DIR has a fixture of,
 * and that the others are built-in. Types only DIR knows are not used, and said so.
 */
export function formatOwnFixtures(dir: string, types: readonly string[], own: readonly string[], style: TextStyle): string {
  const mine = new Set(own);
  const used = types.filter((type) => mine.has(type));
  const unused = own.filter((type) => !types.includes(type));
  const name = terminalSafe(dir);
  let out =
    used.length === 0
      ? `${style.cyan("•")} fixtures: ${name} has none of the catalogue's types; every event is built-in\n`
      : `${style.cyan("•")} fixtures: yours from ${name} for ${used.map(terminalSafe).join(", ")}; built-in for the other ${types.length - used.length}\n`;
  if (unused.length > 0)
    out += `${style.cyan("•")} ${style.dim(
      `not used (not in the catalogue): ${unused
        .map((type) => `${type}.json`)
        .map(terminalSafe)
        .join(", ")}`,
    )}\n`;
  return out;
}
