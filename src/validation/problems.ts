// The validator's error model: ajv errors turned into one readable problem per place in the event,
// with short, terminal-safe previews of the values found ("found 42", "found [1, 2, …]").

import { higherSeverity, isSeverity, type Severity } from "../catalog/grade-schema.js";
import type { AjvError } from "../catalog/validators.js";
import { escapeUnsafeInJson } from "../terminal/safe-text.js";
import { appendPointer, parsePointer, valueAtPointer } from "../json/pointer.js";
import type { Problem } from "./types.js";

export type { Problem } from "./types.js";

function quote(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  const quoted = JSON.stringify(cut);
  // JSON.stringify already escapes C0 controls; escape the rest of the unsafe set too.
  return escapeUnsafeInJson(quoted);
}

/**
 * A brief, single-line, terminal-safe rendering of a value, at most about `max` characters.
 * Bounded in depth and width, so a 100,000-deep array or a 50 MB string costs next to nothing.
 */
export function previewValue(value: unknown, max = 40): string {
  let budget = max;
  const render = (item: unknown, depth: number): string => {
    if (budget <= 0) return "…";
    let out: string;
    if (item === null || typeof item === "boolean") out = String(item);
    else if (typeof item === "number") out = Number.isFinite(item) ? String(item) : "null";
    else if (typeof item === "string") out = quote(item, Math.max(budget - 2, 8));
    else if (Array.isArray(item)) {
      if (item.length === 0) out = "[]";
      else if (depth >= 2) out = "[…]";
      else {
        const parts: string[] = [];
        budget -= 2;
        for (let i = 0; i < item.length; i++) {
          if (budget <= 0) {
            parts.push("…");
            break;
          }
          parts.push(render(item[i], depth + 1));
        }
        out = `[${parts.join(", ")}]`;
      }
    } else if (typeof item === "object") {
      const keys = Object.keys(item);
      if (keys.length === 0) out = "{}";
      else if (depth >= 2) out = "{…}";
      else {
        const parts: string[] = [];
        budget -= 2;
        for (const key of keys) {
          if (budget <= 0) {
            parts.push("…");
            break;
          }
          const name = quote(key, 20);
          budget -= name.length + 2;
          parts.push(`${name}: ${render((item as Record<string, unknown>)[key], depth + 1)}`);
        }
        out = `{${parts.join(", ")}}`;
      }
    } else out = typeof item === "bigint" ? item.toString() : "undefined";
    budget -= out.length;
    return out;
  };
  return render(value, 0);
}

/** `found` text for a value: a short preview, with its type where the preview alone is unclear. */
export function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : `an array ${previewValue(value)}`;
  if (value !== null && typeof value === "object") {
    return Object.keys(value).length === 0 ? "an empty object" : `an object ${previewValue(value)}`;
  }
  return previewValue(value);
}

function joinAlternatives(items: readonly string[]): string {
  if (items.length === 1) return items[0]!;
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? "";
  return `${unique.slice(0, -1).join(", ")} or ${unique.at(-1)}`;
}

function literal(value: unknown): string {
  return previewValue(value, 40);
}

const TYPE_NAMES: Record<string, string> = { integer: "integer", number: "number" };

/** What one ajv error expected, as words; undefined for keywords that only wrap other errors. */
function expectedOf(error: AjvError): string | undefined {
  const p = error.params;
  switch (error.keyword) {
    case "type":
      return String(p["type"])
        .split(",")
        .map((name) => TYPE_NAMES[name] ?? name)
        .join(" or ");
    case "enum":
      return (p["allowedValues"] as unknown[] | undefined)?.map(literal).join(" or ");
    case "const":
      return literal(p["allowedValue"]);
    case "minimum":
      return `a number >= ${String(p["limit"])}`;
    case "exclusiveMinimum":
      return `a number > ${String(p["limit"])}`;
    case "maximum":
      return `a number <= ${String(p["limit"])}`;
    case "exclusiveMaximum":
      return `a number < ${String(p["limit"])}`;
    case "multipleOf":
      return `a multiple of ${String(p["multipleOf"])}`;
    case "minLength":
      return `a string of at least ${String(p["limit"])} characters`;
    case "maxLength":
      return `a string of at most ${String(p["limit"])} characters`;
    case "pattern":
      return `a string matching /${String(p["pattern"])}/`;
    case "format":
      return `a valid ${String(p["format"])}`;
    case "minItems":
      return `at least ${String(p["limit"])} items`;
    case "maxItems":
      return `at most ${String(p["limit"])} items`;
    case "minProperties":
      return `at least ${String(p["limit"])} properties`;
    case "maxProperties":
      return `at most ${String(p["limit"])} properties`;
    case "uniqueItems":
      return `unique items (items ${String(p["j"])} and ${String(p["i"])} are equal)`;
    case "anyOf":
    case "oneOf":
    case "allOf":
    case "if":
    case "then":
    case "else":
    case "not":
      // A `not` is said by the allowed values beside it (the catalogue pairs each with them), or by the fallback.
      return undefined;
    default:
      return error.message?.replace(/^must (be )?/, "");
  }
}

const WRAPPERS = new Set(["anyOf", "oneOf", "allOf", "if", "then", "else", "$ref"]);

function onlyWrappers(known: AjvError | AjvError[]): boolean {
  return Array.isArray(known) ? known.every((error) => WRAPPERS.has(error.keyword)) : WRAPPERS.has(known.keyword);
}

/**
 * What breaking the rule behind one ajv error costs. The catalogue's validators are compiled from
 * graded copies of the schemas (catalog/grade-schema.ts) with `verbose`, so each error carries its
 * schema node: `x-missing` says what a missing property costs, `x-severity` what the node's other
 * constraints cost. Schemas of the user's own carry neither: every problem is an error.
 */
export function severityOfError(error: AjvError): Severity {
  const node = error.parentSchema;
  if (node === undefined || error.keyword === "unevaluatedProperties" || error.keyword === "additionalProperties") return "error";
  if (error.keyword === "required") {
    const costs = node["x-missing"] as Record<string, unknown> | undefined;
    const cost = costs?.[String(error.params["missingProperty"])];
    return isSeverity(cost) ? cost : "error";
  }
  const severity = node["x-severity"];
  return isSeverity(severity) ? severity : "error";
}

/**
 * Turns ajv's errors for one event into problems, one per place and severity: several
 * `type`/`enum` errors at one pointer (from `anyOf` branches, say) become one "expected string or
 * null, found 42", as costly as the costliest of them; a `required` error points at the parent and
 * names the missing properties, one problem per cost ("missing property "topicId"" is an error,
 * "missing properties "title", "author"" a warning).
 */
export function problemsFromAjv(errors: readonly AjvError[], event: unknown): Problem[] {
  // One error per place is the common case (an array of 200,000 wrong items): no list for it.
  const byPointer = new Map<string, AjvError | AjvError[]>();
  const missing = new Map<string, { pointer: string; severity: Severity; names: string[] }>();
  const extra = new Set<string>();
  for (const error of errors) {
    if (error.keyword === "required") {
      const severity = severityOfError(error);
      const key = `${severity}\u0000${error.instancePath}`;
      let entry = missing.get(key);
      if (!entry) {
        entry = { pointer: error.instancePath, severity, names: [] };
        missing.set(key, entry);
      }
      entry.names.push(String(error.params["missingProperty"]));
    } else if (error.keyword === "additionalProperties" || error.keyword === "unevaluatedProperties") {
      // A Set: two closed schemas at one place (an envelope and its event) both name the field.
      const name = String(error.params["additionalProperty"] ?? error.params["unevaluatedProperty"]);
      extra.add(appendPointer(error.instancePath, name));
    } else {
      const known = byPointer.get(error.instancePath);
      if (known === undefined) byPointer.set(error.instancePath, error);
      else if (Array.isArray(known)) known.push(error);
      else byPointer.set(error.instancePath, [known, error]);
    }
  }

  const problems: Problem[] = [];
  for (const { pointer, severity, names } of missing.values()) {
    const unique = [...new Set(names)];
    const quoted = unique.map((name) => JSON.stringify(name)).join(", ");
    const expected = `${unique.length === 1 ? "property" : "properties"} ${quoted}`;
    problems.push({ pointer, severity, keyword: "required", expected, message: `missing ${expected}` });
  }
  for (const [pointer, known] of byPointer) {
    // An `if`, `anyOf` or `$ref` that failed only because its branch did: the branch's own errors say why.
    if (onlyWrappers(known) && errors.length > (Array.isArray(known) ? known.length : 1)) continue;
    let used: AjvError[];
    if (!Array.isArray(known)) used = [known];
    else {
      // A wrapper (anyOf, oneOf…) says nothing its branches did not say better, when they said anything here.
      const specific = known.filter((error) => !WRAPPERS.has(error.keyword));
      used = specific.length > 0 ? specific : known;
      // An allowed-values list says more than the type it implies ("live", not `string or "live"`).
      const values = used.filter((error) => error.keyword === "enum" || error.keyword === "const");
      if (values.length > 0) used = [...values, ...used.filter((error) => error.keyword !== "type" && !values.includes(error))];
    }
    let severity: Severity = "info";
    for (const error of Array.isArray(known) ? known : [known]) severity = higherSeverity(severity, severityOfError(error));
    const found = describeFound(valueAtPointer(event, parsePointer(pointer)));
    const expectations = used.map(expectedOf).filter((text): text is string => text !== undefined && text !== "");
    const keyword = used[0]!.keyword;
    if (expectations.length === 0) {
      // A `not` alone: the value is one the schema rules out (another family's object name).
      const message = keyword === "not" ? `${found} is not allowed here` : `${used[0]!.message ?? `fails ${keyword}`}, found ${found}`;
      problems.push({ pointer, severity, keyword, found, message });
      continue;
    }
    const expected = joinAlternatives(expectations);
    problems.push({ pointer, severity, keyword, expected, found, message: `expected ${expected}, found ${found}` });
  }
  for (const pointer of extra) problems.push(unknownFieldProblem(pointer));
  return sortProblems(problems);
}

/** A field the schema does not declare (reported under --strict or by a closed schema). */
export function unknownFieldProblem(pointer: string): Problem {
  const name = parsePointer(pointer).at(-1) ?? "";
  return {
    pointer,
    severity: "error",
    keyword: "unknown-field",
    expected: "no such field",
    message: `unknown field ${previewValue(name, 60)} (not in the schema)`,
  };
}

const INDEX = /^\d+$/;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Orders problems by severity (errors first), then as they appear in a document: by pointer,
 * numerically for array indexes.
 */
export function sortProblems(problems: Problem[]): Problem[] {
  // Each pointer is split once, not at every comparison: 200,000 problems sort in well under a second.
  const keyed = problems.map((problem, order) => ({ problem, order, tokens: parsePointer(problem.pointer) }));
  keyed.sort((a, b) => {
    const bySeverity = SEVERITY_ORDER[a.problem.severity] - SEVERITY_ORDER[b.problem.severity];
    if (bySeverity !== 0) return bySeverity;
    const ka = a.tokens;
    const kb = b.tokens;
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const x = ka[i]!;
      const y = kb[i]!;
      if (x === y) continue;
      const nx = INDEX.test(x) ? Number(x) : NaN;
      const ny = INDEX.test(y) ? Number(y) : NaN;
      if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
      return x < y ? -1 : 1;
    }
    return ka.length - kb.length || a.order - b.order;
  });
  for (let i = 0; i < keyed.length; i++) problems[i] = keyed[i]!.problem;
  return problems;
}
