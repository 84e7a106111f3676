// `wtbhook fixtures import` for people: one line per fixture written or kept, and what was left out.

import type { ImportResult } from "../drift/import-fixtures.js";
import { terminalSafe } from "../terminal/safe-text.js";
import { plural } from "./drift-text.js";
import { severityMark } from "./severity.js";
import type { Style } from "./style.js";

/** A line per fixture (its graded check's mark, the file, where it came from), then a summary. */
export function formatImport(result: ImportResult, s: Style): string {
  let out = "";
  for (const fixture of result.fixtures) {
    const from = `from ${terminalSafe(fixture.from)}${fixture.time === undefined ? "" : ` (${terminalSafe(fixture.time)})`}`;
    const redacted = fixture.redacted > 0 ? s.dim(`, ${plural(fixture.redacted, "string")} redacted`) : "";
    if (fixture.outcome === "kept") {
      out += `${s.yellow("•")} ${terminalSafe(fixture.file)} exists: kept ${s.dim("(--force replaces it)")}\n`;
    } else {
      out += `${severityMark(fixture.severity, s)} ${terminalSafe(fixture.file)}  ${s.dim(from)}${redacted}\n`;
    }
  }
  for (const entry of result.skipped) out += `${s.yellow("⚠")} ${terminalSafe(entry.from)}: left out, ${terminalSafe(entry.reason)}\n`;
  const written = result.fixtures.filter((fixture) => fixture.outcome === "written").length;
  const kept = result.fixtures.length - written;
  out += `${plural(written, "fixture")} written from ${plural(result.events, "event")}`;
  if (kept > 0) out += `, ${kept} kept`;
  if (result.unreadable > 0) out += `; ${plural(result.unreadable, "line or document", "lines or documents")} held no event`;
  out += "\n";
  return out;
}
