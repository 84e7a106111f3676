// The pre-send check: every distinct body is validated once against its type's schema, graded:
// errors stop the send, warnings (an unknown type among them) are said and the event is sent.

import { locateSyntaxError } from "../json/syntax.js";
import { validateEvent, type Problem } from "../validation/validate-event.js";
import { createBodyFor, type IdMode } from "./bodies.js";
import type { PlanItem } from "./plan.js";

export interface ItemCheck {
  item: PlanItem;
  type: string | undefined;
  /** False when a problem is an error: the event is not sent (unless --no-validate). */
  valid: boolean;
  /** Errors first, then warnings. */
  problems: Problem[];
}

/** Where and why a body is not JSON, in words (V8's message quotes invisible characters). */
function describeSyntaxError(body: Buffer): string {
  const problem = locateSyntaxError(body);
  if (!problem) return "not valid JSON";
  const { line, column } = problem;
  // One event per line: the user meant a recording or NDJSON file, which --from replays.
  const more = problem.message.includes("expected the end of the input") ? "; more than one event? --from replays NDJSON" : "";
  return `not valid JSON at line ${line}, column ${column}: ${problem.message}${more}`;
}

/**
 * Validates each planned item as it will be sent, with the id its deliveries get under `idMode`
 * (the value of a fresh id never changes validity). Returns the items that have problems: invalid
 * ones (an error) and valid ones with warnings.
 */
export function checkPlan(items: readonly PlanItem[], idMode: IdMode): ItemCheck[] {
  const failures: ItemCheck[] = [];
  const bodyFor = createBodyFor(idMode);
  for (const item of items) {
    const body = bodyFor(item).body;
    let event: unknown;
    try {
      event = JSON.parse(body.toString("utf8"));
    } catch {
      const problem: Problem = { pointer: "", severity: "error", keyword: "syntax", message: describeSyntaxError(body) };
      failures.push({ item, type: item.type, valid: false, problems: [problem] });
      continue;
    }
    const result = validateEvent(event);
    if (result.problems.length > 0) failures.push({ item, type: result.type ?? item.type, valid: result.valid, problems: result.problems });
  }
  return failures;
}
