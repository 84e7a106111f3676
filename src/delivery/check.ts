// The pre-send check: every distinct body is validated once against its type's schema.

import { validateEvent, type Problem } from "../validation/validate-event.js";
import { renderBody } from "./event-body.js";
import type { PlanItem } from "./plan.js";

export interface ItemCheck {
  item: PlanItem;
  type: string | undefined;
  problems: Problem[];
}

/**
 * Validates each planned item as it will be sent (its id swapped in when it takes a fresh one;
 * the value of the id never changes validity). Returns only the items that failed.
 */
export function checkPlan(items: readonly PlanItem[], sampleId: number): ItemCheck[] {
  const failures: ItemCheck[] = [];
  for (const item of items) {
    const body = item.freshId && item.template.idSpan ? renderBody(item.template, sampleId) : item.template.bytes;
    let event: unknown;
    try {
      event = JSON.parse(body.toString("utf8"));
    } catch (error) {
      failures.push({
        item,
        type: item.type,
        problems: [{ pointer: "", keyword: "syntax", message: `not valid JSON: ${(error as Error).message}` }],
      });
      continue;
    }
    const result = validateEvent(event);
    if (!result.valid) failures.push({ item, type: result.type ?? item.type, problems: result.problems });
  }
  return failures;
}
