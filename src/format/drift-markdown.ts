// `wtbhook drift --format markdown`: the report ready to paste into an issue of this project, so
// that real payload shapes come back into the catalogue. File names are left out: they are yours.

import type { DriftReport, TypeDrift } from "../drift/drift.js";
import { terminalSafe } from "../terminal/safe-text.js";
import { share, typeCounts } from "./drift-text.js";

/** A code span that holds any text: a fence longer than its longest run of backticks, pipes escaped for tables. */
function code(text: string): string {
  const safe = terminalSafe(text).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const longest = Math.max(0, ...(safe.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = safe.startsWith("`") || safe.endsWith("`") ? " " : "";
  return `${fence}${pad}${safe}${pad}${fence}`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  return `${[line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n")}\n`;
}

function typeSection(type: TypeDrift): string {
  const kind = type.known ? `graded check: ${type.invalid} invalid, ${type.warned} with warnings` : "**not in the catalogue**";
  const out = `## ${code(type.type)}: ${type.events} event${type.events === 1 ? "" : "s"} (${kind})\n\n`;
  const sections: string[] = [];
  if (type.undeclared.length > 0) {
    sections.push(
      `**${type.known ? "Fields not in the schema" : "Fields seen"}**\n\n` +
        table(
          ["field", "JSON types", "in events", "example"],
          type.undeclared.map((field) => [
            code(field.pointer),
            typeCounts(field.types),
            share(field.events, type.events),
            code(field.example),
          ]),
        ),
    );
  }
  if (type.mismatches.length > 0) {
    sections.push(
      `**Not what the schema expects**\n\n` +
        table(
          ["field", "schema expects", "seen", "in events", "graded"],
          type.mismatches.map((field) => [
            code(field.pointer),
            code(field.expected),
            typeCounts(field.seen),
            share(field.events, type.events),
            field.severity,
          ]),
        ),
    );
  }
  if (type.missing.length > 0) {
    sections.push(
      `**Expected fields missing**\n\n` +
        table(
          ["field", "graded", "missing in"],
          type.missing.map((field) => [code(field.pointer), field.severity, share(field.events, field.of)]),
        ),
    );
  }
  if (type.neverSeen.length > 0) {
    sections.push(
      `**Declared, never seen**: ${type.neverSeen.map((field) => `${code(field.pointer)} (${field.confidence})`).join(", ")}\n`,
    );
  }
  if (type.confirmed.length > 0) {
    sections.push(
      `**Confidence could be raised** (seen with the declared type)\n\n` +
        table(
          ["field", "confidence now", "seen in"],
          type.confirmed.map((field) => [code(field.pointer), field.confidence, share(field.events, type.events)]),
        ),
    );
  }
  if (sections.length === 0) sections.push("Nothing to report: every field as the catalogue says.\n");
  return out + sections.join("\n");
}

/** The report as Markdown, ready to paste into a report to this project. */
export function formatDriftMarkdown(report: DriftReport, version: string): string {
  const intro = [
    "# wtbhook drift report",
    "",
    `${report.events} real event${report.events === 1 ? "" : "s"} of ${report.types.length} type${report.types.length === 1 ? "" : "s"}, compared with the catalogue of wtbhook ${terminalSafe(version)}.`,
    report.redacted
      ? "Values are redacted by wtbhook: email addresses, names and free text are placeholders of the same shape."
      : "**Values are not redacted** (--no-redact): check them before sharing this report.",
    "Pointers are JSON pointers into the event; `*` stands for any array item.",
    report.unreadable > 0 ? `${report.unreadable} line(s) or document(s) of the input held no event and are left out.` : "",
  ].filter((line, i, all) => line !== "" || i < all.length - 1);
  return `${intro.join("\n")}\n\n${report.types.map(typeSection).join("\n")}`;
}
