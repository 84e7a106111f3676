// The one event check: validate, send (before sending), listen (every received event) and the
// library all call validateEvent. A valid event costs one compiled-validator call.

import { assertEventType, closestEventTypes, eventTypes, isEventType } from "../catalog/catalog.js";
import { getValidator, type CompiledValidator } from "../catalog/validators.js";
import { previewValue, problemsFromAjv } from "./problems.js";
import type { CustomSchema, EventCheck, Problem } from "./types.js";

export type { EventCheck, Problem } from "./types.js";

export interface ValidateEventOptions {
  /** Check the event as this type whatever its `type` field says. Must be a known event type. */
  type?: string | undefined;
  /** Report fields the schema does not declare as problems. @default false */
  strict?: boolean | undefined;
  /** Check against a schema of the user's own (from loadCustomSchema) instead of the catalogue's. */
  schema?: CustomSchema | undefined;
  /** Keep at most this many problems (the first in pointer order) and count the rest (listen caps what it stores). @default all */
  maxProblems?: number | undefined;
  /**
   * Turn at most this many of the validator's errors into problems; past that, `omitted` is
   * counted from the errors and `estimated` is set (listen: 200,000 wrong items must not hold the
   * event loop for seconds). @default all
   */
  explainAtMost?: number | undefined;
}

function suggestionList(types: readonly string[]): string {
  return types.join(", ");
}

function ownField(record: object, name: string): unknown {
  return Object.hasOwn(record, name) ? (record as Record<string, unknown>)[name] : undefined;
}

function failed(type: string | undefined, id: number | undefined, knownType: boolean, problem: Problem): EventCheck {
  return { type, id, knownType, valid: false, problems: [problem], omitted: 0, estimated: false };
}

function notAnObject(event: unknown): EventCheck {
  const found = Array.isArray(event) ? "an array" : event === null ? "null" : previewValue(event);
  return failed(undefined, undefined, false, {
    pointer: "",
    keyword: "type",
    expected: "an event object",
    found,
    message: `expected an event object, found ${found}`,
  });
}

/** The event has no `type`: guess the family from the object it carries (data.object.object is "User", "Post", …). */
function missingType(record: object): Problem {
  const data = ownField(record, "data");
  const inner = data !== null && typeof data === "object" ? ownField(data, "object") : undefined;
  const kind = inner !== null && typeof inner === "object" ? ownField(inner, "object") : undefined;
  const guesses = typeof kind === "string" ? closestEventTypes(kind.toLowerCase()) : eventTypes().slice(0, 3);
  return {
    pointer: "",
    keyword: "required",
    expected: `property "type", such as ${suggestionList(guesses)}`,
    message: `missing property "type" (the event type, such as ${suggestionList(guesses)})`,
  };
}

function unknownType(declared: unknown, pointer: string): Problem {
  const found = previewValue(declared);
  const guesses = typeof declared === "string" ? closestEventTypes(declared) : eventTypes().slice(0, 3);
  return {
    pointer,
    keyword: "event-type",
    expected: "a known event type",
    found,
    message: `unknown event type ${found}; did you mean ${suggestionList(guesses)}?`,
  };
}

/** Runs a compiled validator; a schema that recurses as deep as the event does can exhaust the stack. */
function runValidator(validator: CompiledValidator, event: unknown): boolean | Problem {
  try {
    return validator(event);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return {
      pointer: "",
      keyword: "depth",
      message: "nested too deeply to check against this schema (the check ran out of stack); the event was not checked",
    };
  }
}

/**
 * Checks one parsed event against the schema of its `type` (or of `options.type`, or a schema of
 * the user's own). A missing, malformed or unknown `type` is a problem naming the closest known
 * types; with `strict`, so are fields the schema does not declare.
 * @throws never for bad events; a bad `options.type` is reported as a problem.
 */
export function validateEvent(event: unknown, options?: ValidateEventOptions): EventCheck {
  if (event === null || typeof event !== "object" || Array.isArray(event)) return notAnObject(event);
  const declared = ownField(event, "type");
  const rawId = ownField(event, "id");
  const id = typeof rawId === "number" && Number.isSafeInteger(rawId) ? rawId : undefined;
  let type = typeof declared === "string" ? declared : undefined;
  const strict = options?.strict === true;
  let validator: CompiledValidator | undefined;
  let knownType: boolean;
  if (options?.schema) {
    validator = (strict ? options.schema.strict : undefined) ?? options.schema.validate;
    knownType = type !== undefined && isEventType(type);
  } else if (options?.type !== undefined) {
    validator = getValidator(options.type, strict);
    if (!validator) return failed(undefined, id, false, unknownType(options.type, ""));
    type = options.type;
    knownType = true;
  } else {
    if (declared === undefined) return failed(undefined, id, false, missingType(event));
    // The compiled set has a validator for each catalogue type and no other: asking it is the
    // cheapest "is it known" (the catalogue itself is not read at start-up).
    validator = type === undefined ? undefined : getValidator(type, strict);
    knownType = validator !== undefined;
    if (!knownType) return failed(type, id, false, unknownType(declared, "/type"));
  }
  if (!validator) return failed(type, id, knownType, { pointer: "", keyword: "event-type", message: `no schema for ${type}` });
  const outcome = runValidator(validator, event);
  if (outcome === true) return { type, id, knownType, valid: true, problems: [], omitted: 0, estimated: false };
  if (outcome !== false) return failed(type, id, knownType, outcome);
  const errors = validator.errors ?? [];
  const explain = options?.explainAtMost;
  const estimated = explain !== undefined && errors.length > explain;
  let problems = problemsFromAjv(estimated ? errors.slice(0, explain) : errors, event);
  if (problems.length === 0) problems = [{ pointer: "", keyword: "schema", message: "does not match the schema" }];
  // Merged problems are fewer than errors; past the explained ones, each error counts as one.
  const found = estimated ? Math.max(problems.length, errors.length) : problems.length;
  const max = options?.maxProblems;
  if (max !== undefined && problems.length > max) problems = problems.slice(0, Math.max(0, max));
  return { type, id, knownType, valid: false, problems, omitted: found - problems.length, estimated };
}

/**
 * JSON pointers (RFC 6901, such as "/data/object/nickname") of the fields present in `event`
 * but declared nowhere in the schema of event type `type` (what `validate --strict` reports).
 * Objects whose schema declares no properties at all are free-form and never reported.
 * @throws WtbhookError (exit 2) for an unknown event type.
 */
export function findUnknownFields(type: string, event: unknown): string[] {
  assertEventType(type);
  return validateEvent(event, { type, strict: true })
    .problems.filter((problem) => problem.keyword === "unknown-field")
    .map((problem) => problem.pointer);
}
