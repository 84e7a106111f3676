// Checks one parsed event against the schema of its type (or a forced type): the library's validateEvent.

import { closestEventTypes, eventTypes, isEventType } from "../catalog/catalog.js";
import { findUnknownFields } from "../catalog/unknown-fields.js";
import { getValidator, type CompiledValidator } from "../catalog/validators.js";
import { previewValue } from "./describe-value.js";
import { problemsFromAjv, sortProblems, unknownFieldProblem, type Problem } from "./problems.js";

export type { Problem } from "./problems.js";

/** The outcome of checking one event. */
export interface EventCheck {
  /** The event type the event was checked as (the forced type, else the event's own `type`), if known. */
  type: string | undefined;
  valid: boolean;
  problems: Problem[];
}

export interface ValidateEventOptions {
  /** Check the event as this type whatever its `type` field says. Must be a known event type. */
  type?: string;
  /** Report fields the schema does not declare as problems. @default false */
  strict?: boolean;
}

function suggestionList(types: readonly string[]): string {
  return types.join(", ");
}

/** The type to check an event as, or the problem explaining why there is none. */
function resolveType(event: unknown): { type: string } | { problem: Problem } {
  if (event === null || typeof event !== "object" || Array.isArray(event)) {
    const found = Array.isArray(event) ? "an array" : event === null ? "null" : previewValue(event);
    return {
      problem: { pointer: "", keyword: "type", expected: "an event object", found, message: `expected an event object, found ${found}` },
    };
  }
  const record = event as Record<string, unknown>;
  const declared = Object.hasOwn(record, "type") ? record["type"] : undefined;
  if (declared === undefined) {
    // Guess the family from the object it carries (data.object.object is "User", "Post", …).
    const data = Object.hasOwn(record, "data") ? record["data"] : undefined;
    const inner =
      data && typeof data === "object" && Object.hasOwn(data, "object") ? (data as Record<string, unknown>)["object"] : undefined;
    const kind =
      inner && typeof inner === "object" && Object.hasOwn(inner, "object") ? (inner as Record<string, unknown>)["object"] : undefined;
    const guesses = typeof kind === "string" ? closestEventTypes(kind.toLowerCase()) : eventTypes().slice(0, 3);
    return {
      problem: {
        pointer: "",
        keyword: "required",
        expected: `property "type", such as ${suggestionList(guesses)}`,
        message: `missing property "type" (the event type, such as ${suggestionList(guesses)})`,
      },
    };
  }
  if (typeof declared !== "string" || !isEventType(declared)) {
    const found = previewValue(declared);
    const guesses = typeof declared === "string" ? closestEventTypes(declared) : eventTypes().slice(0, 3);
    return {
      problem: {
        pointer: "/type",
        keyword: "event-type",
        expected: "a known event type",
        found,
        message: `unknown event type ${found}; did you mean ${suggestionList(guesses)}?`,
      },
    };
  }
  return { type: declared };
}

/** Lists the JSON pointers of undeclared fields of an event (for --strict). */
export type UnknownFieldFinder = (event: unknown) => string[];

/**
 * Checks an event with a compiled validator: the common core of validateEvent and of `validate
 * --schema`. `findUnknown`, when given, reports undeclared fields as problems (--strict).
 */
export function checkWithValidator(
  validator: CompiledValidator,
  event: unknown,
  type: string | undefined,
  findUnknown?: UnknownFieldFinder,
): EventCheck {
  const ok = validator(event);
  let problems = ok ? [] : problemsFromAjv(validator.errors ?? [], event);
  if (findUnknown) {
    const unknown = findUnknown(event).map(unknownFieldProblem);
    if (unknown.length > 0) problems = sortProblems([...problems, ...unknown]);
  }
  return { type, valid: problems.length === 0, problems };
}

/**
 * Checks one parsed event against the schema of its `type` (or of `options.type`).
 * An unknown or missing `type` is a problem naming the closest known types.
 * With `strict`, fields the schema does not declare are problems too.
 * @throws never for bad events; a bad `options.type` is reported as a problem.
 */
export function validateEvent(event: unknown, options: ValidateEventOptions = {}): EventCheck {
  let type: string;
  if (options.type !== undefined) {
    if (!isEventType(options.type)) {
      const problem: Problem = {
        pointer: "",
        keyword: "event-type",
        expected: "a known event type",
        found: previewValue(options.type),
        message: `unknown event type ${previewValue(options.type)}; did you mean ${suggestionList(closestEventTypes(options.type))}?`,
      };
      return { type: undefined, valid: false, problems: [problem] };
    }
    type = options.type;
  } else {
    const resolved = resolveType(event);
    if ("problem" in resolved) return { type: undefined, valid: false, problems: [resolved.problem] };
    type = resolved.type;
  }
  const validator = getValidator(type);
  if (!validator) return { type, valid: false, problems: [{ pointer: "", keyword: "event-type", message: `no schema for ${type}` }] };
  const findUnknown = options.strict === true ? (value: unknown) => findUnknownFields(type, value) : undefined;
  return checkWithValidator(validator, event, type, findUnknown);
}
