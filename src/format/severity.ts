// The marks of the graded check, one per severity, shared by every text format (validate, send, listen, drift).

import type { Severity } from "../catalog/grade-schema.js";
import type { Style } from "./style.js";

/** ✗ for an error, ⚠ for a warning, ℹ for an info; ✓ when there is no problem. */
export const SEVERITY_MARKS: Readonly<Record<Severity | "none", string>> = { error: "✗", warning: "⚠", info: "ℹ", none: "✓" };

/** The mark of a severity (or ✓ for none), coloured: red, yellow, blue, green. */
export function severityMark(severity: Severity | undefined, style: Pick<Style, "red" | "yellow" | "blue" | "green">): string {
  switch (severity) {
    case "error":
      return style.red(SEVERITY_MARKS.error);
    case "warning":
      return style.yellow(SEVERITY_MARKS.warning);
    case "info":
      return style.blue(SEVERITY_MARKS.info);
    default:
      return style.green(SEVERITY_MARKS.none);
  }
}
