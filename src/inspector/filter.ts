// Which events a list shows: the filters of the page and of `GET /api/events`, one definition for both.

import { compileEventFilter } from "../receiver/event-filter.js";
import type { EventSummary } from "./api-types.js";

export interface EventFilter {
  /** Comma-separated globs over the type, e.g. `user.*,post.created`. */
  type?: string | undefined;
  /** `2xx`: the sender got a 2xx; `failed`: anything else (or no answer). */
  answer?: "2xx" | "failed" | undefined;
  /** `valid`: no problem; `warnings`: valid with warnings; `invalid`: an error; `unknown`: no schema (unknown type, not JSON). */
  schema?: "valid" | "warnings" | "invalid" | "unknown" | undefined;
  /** Text searched (case-insensitive) in the type, id, facts, path and status, and by the server in the body. */
  q?: string | undefined;
}

export const ANSWER_FILTERS = ["2xx", "failed"] as const;
export const SCHEMA_FILTERS = ["valid", "warnings", "invalid", "unknown"] as const;

/** The predicate over summaries for the type, answer and schema filters (the text is matched apart). */
export function compileSummaryFilter(filter: EventFilter): (summary: EventSummary) => boolean {
  const typeMatches = filter.type?.trim() ? compileEventFilter(filter.type) : undefined;
  return (summary) => {
    if (typeMatches && !typeMatches(summary.type ?? undefined)) return false;
    if (filter.answer !== undefined) {
      const ok = summary.status !== null && summary.status >= 200 && summary.status < 300;
      if (ok !== (filter.answer === "2xx")) return false;
    }
    switch (filter.schema) {
      case "valid":
        return summary.valid === true && summary.severity === null;
      case "warnings":
        return summary.valid === true && summary.severity !== null;
      case "invalid":
        return summary.valid === false;
      case "unknown":
        // An event of a type the catalogue does not know (checked as a warning since issue 11), or a
        // request with nothing to check.
        return summary.valid === null || summary.knownType === false;
      default:
        return true;
    }
  };
}

/** True when the text occurs (case-insensitive) in what the list shows of the event. */
export function summaryHasText(summary: EventSummary, q: string): boolean {
  const needle = q.toLowerCase();
  const fields = [summary.type ?? "", String(summary.id ?? ""), summary.path, String(summary.status ?? ""), ...summary.facts];
  return fields.some((field) => field.toLowerCase().includes(needle));
}
