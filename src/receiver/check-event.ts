// Schema check of one received payload, reduced to what the listen output needs.

import { eventTypes } from "../catalog/catalog.js";
import { getValidator } from "../catalog/validators.js";
import { problemsFromAjv } from "../validation/problems.js";
import { validateEvent } from "../validation/validate-event.js";
import type { EventProblem, EventSchemaCheck } from "./types.js";

/** How many problems listen keeps, shows with -v and puts in a --json line per event. */
export const MAX_PROBLEMS_KEPT = 20;

/**
 * Past this many validator errors only the first ones are explained: an event with 200,000 wrong
 * array items would otherwise hold the event loop for seconds, for a list nobody reads.
 */
export const MAX_ERRORS_EXPLAINED = 1_000;

export interface EventCheck {
  type: string | undefined;
  id: number | undefined;
  knownType: boolean;
  /** Undefined when there is no schema to check against (not an object, or an unknown type). */
  check: EventSchemaCheck | undefined;
}

let known: ReadonlySet<string> | undefined;

const VALID: EventSchemaCheck = Object.freeze({ valid: true, problems: [], more: 0, estimated: false });

function failed(problems: EventProblem[], found: number, estimated: boolean): EventSchemaCheck {
  const kept = problems.length > MAX_PROBLEMS_KEPT ? problems.slice(0, MAX_PROBLEMS_KEPT) : problems;
  return { valid: false, problems: kept, more: Math.max(0, found - kept.length), estimated };
}

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
      check: failed([{ pointer: "", message: "expected an event object", keyword: "type" }], 1, false),
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
      check: failed([{ pointer: "/type", message: "missing event type", keyword: "required" }], 1, false),
    };
  }
  known ??= new Set(eventTypes());
  if (!known.has(type)) return { type, id, knownType: false, check: undefined };
  // Hot path: a valid event costs one compiled-validator call; the readable problems are only
  // worked out (by validateEvent) for an event that fails it.
  const validator = getValidator(type);
  if (validator?.(payload) === true) return { type, id, knownType: true, check: VALID };
  const errors = validator?.errors ?? [];
  if (errors.length > MAX_ERRORS_EXPLAINED) {
    const problems = problemsFromAjv(errors.slice(0, MAX_ERRORS_EXPLAINED), payload);
    return { type, id, knownType: true, check: failed(problems, Math.max(problems.length, errors.length), true) };
  }
  const { valid, problems } = validateEvent(payload, { type });
  return { type, id, knownType: true, check: valid ? VALID : failed(problems, problems.length, false) };
}
