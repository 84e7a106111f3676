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

/** Reads the envelope's type and id and validates the payload against its type's schema. */
export function checkEvent(payload: unknown): EventCheck {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return {
      type: undefined,
      id: undefined,
      knownType: false,
      check: { valid: false, problems: [{ pointer: "", message: "expected an event object", keyword: "type" }] },
    };
  }
  const { type, id } = payload as { type?: unknown; id?: unknown };
  const facts = {
    type: typeof type === "string" ? type : undefined,
    id: typeof id === "number" && Number.isSafeInteger(id) ? id : undefined,
  };
  known ??= new Set(eventTypes());
  if (facts.type === undefined || !known.has(facts.type)) {
    const problems: EventProblem[] =
      facts.type === undefined ? [{ pointer: "/type", message: "missing event type", keyword: "required" }] : [];
    return { ...facts, knownType: false, check: problems.length > 0 ? { valid: false, problems } : undefined };
  }
  // Hot path: a valid event costs one compiled-validator call; the readable problems are only
  // worked out (by validateEvent) for an event that fails it.
  if (getValidator(facts.type)?.(payload) === true) return { ...facts, knownType: true, check: { valid: true, problems: [] } };
  const { valid, problems } = validateEvent(payload, { type: facts.type });
  return { ...facts, knownType: true, check: { valid, problems } };
}
