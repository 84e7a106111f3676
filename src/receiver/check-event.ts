// Schema check of one received payload, reduced to what the listen output needs.

import { eventTypes } from "../catalog/catalog.js";
import { getValidator } from "../catalog/validators.js";
import { validateEvent } from "../validation/validate-event.js";
import type { EventProblem } from "./types.js";

export interface EventCheck {
  type: string | undefined;
  id: number | undefined;
  knownType: boolean;
  /** Undefined when there is no schema to check against (not an object, or an unknown type). */
  check: { valid: boolean; problems: EventProblem[] } | undefined;
}

let known: ReadonlySet<string> | undefined;

/**
 * Reads the envelope's type and id and validates the payload against its type's schema.
 * Runs for every request `listen` receives: each outcome is one plain object literal (object
 * spreads here once cost more than the schema check itself).
 */
export function checkEvent(payload: unknown): EventCheck {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return {
      type: undefined,
      id: undefined,
      knownType: false,
      check: { valid: false, problems: [{ pointer: "", message: "expected an event object", keyword: "type" }] },
    };
  }
  const rawType = (payload as { type?: unknown }).type;
  const rawId = (payload as { id?: unknown }).id;
  const type = typeof rawType === "string" ? rawType : undefined;
  const id = typeof rawId === "number" && Number.isSafeInteger(rawId) ? rawId : undefined;
  if (type === undefined) {
    return {
      type,
      id,
      knownType: false,
      check: { valid: false, problems: [{ pointer: "/type", message: "missing event type", keyword: "required" }] },
    };
  }
  known ??= new Set(eventTypes());
  if (!known.has(type)) return { type, id, knownType: false, check: undefined };
  // Hot path: a valid event costs one compiled-validator call; the readable problems are only
  // worked out (by validateEvent) for an event that fails it.
  if (getValidator(type)?.(payload) === true) return { type, id, knownType: true, check: { valid: true, problems: [] } };
  const { valid, problems } = validateEvent(payload, { type });
  return { type, id, knownType: true, check: { valid, problems } };
}
