// The one event check, graded: validate, send (before sending), listen (every received event) and
// the library all call validateEvent. An event that holds no surprise costs one compiled-validator call.

import { assertEventType, closestEventTypes, eventTypes, isEventType, typoOfEventType } from "../catalog/catalog.js";
import type { Severity } from "../catalog/grade-schema.js";
import { getEnvelopeValidator, getValidator, type CompiledValidator, type ValidatorSetName } from "../catalog/validators.js";
import { previewValue, problemsFromAjv, sortProblems } from "./problems.js";
import type { CustomSchema, EventCheck, Problem } from "./types.js";

export type { EventCheck, Problem, Severity } from "./types.js";

export interface ValidateEventOptions {
  /** Check the event as this type whatever its `type` field says. Must be a known event type. */
  type?: string | undefined;
  /**
   * Warnings become errors, fields the schema does not declare are reported (as errors), and
   * infos are reported too. @default false
   */
  strict?: boolean | undefined;
  /** Also report info-level problems: inferred or speculative fields (`-v`). @default false (true under `strict`) */
  info?: boolean | undefined;
  /** Check against a schema of the user's own (from loadCustomSchema) instead of the catalogue's: every problem is an error. */
  schema?: CustomSchema | undefined;
  /** Keep at most this many problems (errors first) and count the rest (listen caps what it stores). @default all */
  maxProblems?: number | undefined;
  /**
   * Turn at most this many of the validator's errors into problems; past that, `omitted` is
   * counted from the errors and `estimated` is set (listen: 200,000 wrong items must not hold the
   * event loop for seconds). @default all
   */
  explainAtMost?: number | undefined;
}

function ownField(record: object, name: string): unknown {
  return Object.hasOwn(record, name) ? (record as Record<string, unknown>)[name] : undefined;
}

function checkOf(
  type: string | undefined,
  id: number | undefined,
  knownType: boolean,
  problems: Problem[],
  omitted = 0,
  estimated = false,
): EventCheck {
  let severity: Severity | undefined;
  for (const problem of problems) {
    if (problem.severity === "error") {
      severity = "error";
      break;
    }
    if (problem.severity === "warning" || severity === undefined) severity = problem.severity;
  }
  return { type, id, knownType, valid: severity !== "error", severity, problems, omitted, estimated };
}

function notAnObject(event: unknown): EventCheck {
  const found = Array.isArray(event) ? "an array" : event === null ? "null" : previewValue(event);
  return checkOf(undefined, undefined, false, [
    {
      pointer: "",
      severity: "error",
      keyword: "type",
      expected: "an event object",
      found,
      message: `expected an event object, found ${found}`,
    },
  ]);
}

/** The event has no `type`: guess the family from the object it carries (data.object.object is "User", "Post", …). */
function missingType(record: object): Problem {
  const data = ownField(record, "data");
  const inner = data !== null && typeof data === "object" ? ownField(data, "object") : undefined;
  const kind = inner !== null && typeof inner === "object" ? ownField(inner, "object") : undefined;
  const guesses = (typeof kind === "string" ? closestEventTypes(kind.toLowerCase()) : eventTypes().slice(0, 3)).join(", ");
  return {
    pointer: "",
    severity: "error",
    keyword: "required",
    expected: `property "type", such as ${guesses}`,
    message: `missing property "type" (the event type, such as ${guesses})`,
  };
}

/** A forced type (`--type`) that is not in the catalogue. */
function unknownForcedType(name: string): Problem {
  const found = previewValue(name);
  return {
    pointer: "",
    severity: "error",
    keyword: "event-type",
    expected: "a known event type",
    found,
    message: `unknown event type ${found}; did you mean ${closestEventTypes(name).join(", ")}?`,
  };
}

/**
 * The event's own `type` is not a catalogue type. A well-formed name within one edit of a known
 * type (`user.craeted`) is a typo: an error. Any other string is a type Website Toolbox may have
 * added since: a warning, and only the envelope is checked (which also says when `type` is not a string).
 */
function unknownDeclaredType(declared: string): Problem {
  const found = previewValue(declared);
  const meant = typoOfEventType(declared);
  if (meant !== undefined) {
    return {
      pointer: "/type",
      severity: "error",
      keyword: "event-type",
      expected: JSON.stringify(meant),
      found,
      message: `unknown event type ${found}; did you mean ${meant}?`,
    };
  }
  return {
    pointer: "/type",
    severity: "warning",
    keyword: "event-type",
    expected: "a known event type",
    found,
    message: `unknown event type ${found}: only its envelope is checked (Website Toolbox may add types; your consumer should accept them)`,
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
      severity: "error",
      keyword: "depth",
      message: "nested too deeply to check against this schema (the check ran out of stack); the event was not checked",
    };
  }
}

/** The validator set for the options: strict (closed, infos), full (infos), or the everyday graded one. */
function setFor(strict: boolean, info: boolean): ValidatorSetName {
  return strict ? "strict" : info ? "full" : "graded";
}

/**
 * Checks one parsed event against the schema of its `type` (or of `options.type`, or a schema of
 * the user's own), grading each problem: an error makes the event invalid, a warning does not,
 * an info is only reported with `info` or `strict`. A missing or malformed `type` is an error; an
 * unknown one is a warning (only the envelope is checked), unless it is a typo of a known type.
 * @throws never for bad events; a bad `options.type` is reported as a problem.
 */
export function validateEvent(event: unknown, options?: ValidateEventOptions): EventCheck {
  if (event === null || typeof event !== "object" || Array.isArray(event)) return notAnObject(event);
  const declared = ownField(event, "type");
  const rawId = ownField(event, "id");
  const id = typeof rawId === "number" && Number.isSafeInteger(rawId) ? rawId : undefined;
  let type = typeof declared === "string" ? declared : undefined;
  const strict = options?.strict === true;
  const info = strict || options?.info === true;
  const set = setFor(strict, info);
  let validator: CompiledValidator | undefined;
  let knownType: boolean;
  const extra: Problem[] = [];
  if (options?.schema) {
    validator = (strict ? options.schema.strict : undefined) ?? options.schema.validate;
    knownType = type !== undefined && isEventType(type);
  } else if (options?.type !== undefined) {
    validator = getValidator(options.type, set);
    if (!validator) return checkOf(undefined, id, false, [unknownForcedType(options.type)]);
    type = options.type;
    knownType = true;
  } else {
    if (declared === undefined) return checkOf(undefined, id, false, [missingType(event)]);
    // The compiled set has a validator for each catalogue type and no other: asking it is the
    // cheapest "is it known" (the catalogue itself is not read at start-up).
    validator = type === undefined ? undefined : getValidator(type, set);
    knownType = validator !== undefined;
    if (!knownType) {
      // Not a catalogue type: the envelope is what can be checked.
      if (type !== undefined) extra.push(unknownDeclaredType(type));
      validator = getEnvelopeValidator(set);
    }
  }
  if (!validator)
    return checkOf(type, id, knownType, [{ pointer: "", severity: "error", keyword: "event-type", message: `no schema for ${type}` }]);
  const outcome = runValidator(validator, event);
  if (outcome === true)
    return extra.length === 0 ? checkOf(type, id, knownType, extra) : graded(type, id, knownType, extra, 0, false, strict, options);
  if (outcome !== false) return checkOf(type, id, knownType, [outcome, ...extra]);
  const errors = validator.errors ?? [];
  const explain = options?.explainAtMost;
  const estimated = explain !== undefined && errors.length > explain;
  let problems = problemsFromAjv(estimated ? errors.slice(0, explain) : errors, event);
  if (problems.length === 0) problems = [{ pointer: "", severity: "error", keyword: "schema", message: "does not match the schema" }];
  // Merged problems are fewer than errors; past the explained ones, each error counts as one.
  const uncounted = estimated ? Math.max(0, errors.length - problems.length) : 0;
  return graded(type, id, knownType, [...problems, ...extra], uncounted, estimated, strict, options);
}

/**
 * The check from its problems: infos dropped unless asked for, warnings turned into errors under
 * `strict`, errors first, cut to `maxProblems`.
 */
function graded(
  type: string | undefined,
  id: number | undefined,
  knownType: boolean,
  found: Problem[],
  uncounted: number,
  estimated: boolean,
  strict: boolean,
  options: ValidateEventOptions | undefined,
): EventCheck {
  const info = strict || options?.info === true;
  let problems: Problem[] = [];
  for (const problem of found) {
    if (problem.severity === "info" && !info) continue;
    problems.push(strict && problem.severity === "warning" ? { ...problem, severity: "error" } : problem);
  }
  sortProblems(problems);
  // Estimated errors beyond the explained ones come from the same validator: as costly as the worst explained.
  const total = problems.length + uncounted;
  const max = options?.maxProblems;
  const severityOfAll = checkOf(type, id, knownType, problems).severity;
  if (max !== undefined && problems.length > max) problems = problems.slice(0, Math.max(0, max));
  const check = checkOf(type, id, knownType, problems, total - problems.length, estimated);
  check.severity = severityOfAll;
  check.valid = severityOfAll !== "error";
  return check;
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
