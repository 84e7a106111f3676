// Grades the catalogue's schemas for the graded check: copies in which every constraint carries the
// severity of breaking it (error, warning, info) and `required` holds what an event is expected to carry.

import type { JsonSchema } from "./catalog.js";

/** How much a problem matters: an error fails the event, a warning does not, an info is shown only on request. */
export type Severity = "error" | "warning" | "info";

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** The lower of two severities. */
export function lowerSeverity(a: Severity, b: Severity): Severity {
  return RANK[a] <= RANK[b] ? a : b;
}

/** The higher of two severities. */
export function higherSeverity(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}

export function isSeverity(value: unknown): value is Severity {
  return value === "error" || value === "warning" || value === "info";
}

/**
 * What a field's type costs when nothing says otherwise: what Website Toolbox states is an error,
 * what its 2017 draft or real code shows a warning, the rest (third-party, inferred, guessed) an info.
 */
export function severityOfConfidence(confidence: unknown): Severity | undefined {
  switch (confidence) {
    case "documented":
      return "error";
    case "documented-2017":
    case "seen-in-code":
      return "warning";
    case "third-party-doc":
    case "inferred":
    case "speculative":
      return "info";
    default:
      return undefined;
  }
}

/** The keyword the compiled copies carry on every node: the severity of breaking that node's constraints. */
export const SEVERITY_KEYWORD = "x-severity";
/** The keyword the compiled copies carry next to `required`: the severity of each missing property. */
export const MISSING_KEYWORD = "x-missing";
/** wtbhook's annotation: the properties an object is expected to carry beyond `required`, by what their absence costs. */
export const EXPECTED_KEYWORD = "x-expected";

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const NAMES = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);

/**
 * What each property of a node costs when missing: `required` an error, `x-expected.warning` a
 * warning, `x-expected.info` an info (the first list that names it wins).
 */
export function missingCosts(node: Node): Map<string, Severity> {
  const costs = new Map<string, Severity>();
  for (const name of NAMES(node["required"])) costs.set(name, "error");
  const expected = node[EXPECTED_KEYWORD];
  if (isNode(expected)) {
    for (const severity of ["warning", "info"] as const) {
      for (const name of NAMES(expected[severity])) if (!costs.has(name)) costs.set(name, severity);
    }
  }
  return costs;
}

/** Subschemas that apply to values inside the instance, each a field (or item) of its own. */
const PROPERTY_MAPS = new Set(["properties", "patternProperties"]);
/** Other subschemas whose failures are reported (and so graded). */
const SUBSCHEMAS = new Set(["items", "additionalProperties", "unevaluatedItems", "unevaluatedProperties", "then", "else"]);
const SUBSCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
/** Conditions, not assertions: copied as they are, since changing them would change what they test. */
const CONDITIONS = new Set(["if", "not", "contains", "propertyNames", "dependentSchemas"]);
/** Keywords that hold instance data or names, never schemas. */
const DATA = new Set(["const", "enum", "examples", "default"]);

const GRADED_BASE = "https://wtbhook.dev/schemas/v1/";

/**
 * The `$id` of a document's copy graded at `cap`: the document's own id at error (so that the
 * event schemas keep theirs), else the same path under `graded-<cap>/`.
 */
function gradedId(id: string, cap: Severity): string {
  if (cap === "error") return id;
  return id.startsWith(GRADED_BASE) ? `${GRADED_BASE}graded-${cap}/${id.slice(GRADED_BASE.length)}` : `${id}#graded-${cap}`;
}

export interface GradeOptions {
  /**
   * The lowest severity of a missing property that `required` lists ("warning" for the everyday
   * check, "info" for `-v` and `--strict`). Every other constraint is kept whatever it weighs: the
   * check filters out the infos nobody asked for.
   */
  level: Severity;
}

/**
 * Copies of the catalogue's documents for the graded check. Each node carries `x-severity`: the
 * lower of its own severity and that of the field it belongs to, so a field's constraints never
 * weigh more than the field (the `author` of a topic is a warning-level field, so everything inside
 * it is at most a warning). A property's own severity is its `x-severity`, else what its
 * `x-confidence` says (severityOfConfidence). A document referenced from fields of different
 * severities is copied once per severity (under `graded-<severity>/`). Next to each `required`,
 * `x-missing` says what each missing property costs, and `required` also lists the properties
 * `x-expected` names, those whose cost is at or above `level`.
 *
 * `entries` (event documents, the envelope) are graded as errors and keep their `$id`s and keys;
 * the other copies are keyed `graded-<severity>/<key>`. A `$ref` inside a condition (`if`, `not`…)
 * is not followed: the catalogue has none.
 */
export function gradeSchemas(
  documents: ReadonlyMap<string, JsonSchema>,
  entries: readonly string[],
  options: GradeOptions,
): Map<string, JsonSchema> {
  const level = options.level;
  const byId = new Map<string, { key: string; document: JsonSchema }>();
  for (const [key, document] of documents) if (typeof document["$id"] === "string") byId.set(document["$id"], { key, document });

  const output = new Map<string, JsonSchema>();
  const queued = new Set<string>();
  const queue: { key: string; document: JsonSchema; cap: Severity }[] = [];
  const request = (key: string, document: JsonSchema, cap: Severity): string => {
    const id = String(document["$id"]);
    const graded = gradedId(id, cap);
    if (!queued.has(graded)) {
      queued.add(graded);
      queue.push({ key, document, cap });
    }
    return graded;
  };

  /** A `$ref` rewritten to the copy graded at `cap` of the document it names. */
  const rewriteRef = (ref: string, baseId: string, cap: Severity): string => {
    const url = new URL(ref, baseId);
    const fragment = url.hash;
    url.hash = "";
    const target = byId.get(url.href);
    if (!target) return ref;
    return `${request(target.key, target.document, cap)}${fragment}`;
  };

  const above = (severity: Severity): boolean => RANK[severity] >= RANK[level];

  const copy = (node: unknown, baseId: string, inherited: Severity, own: Severity | undefined): unknown => {
    if (!isNode(node)) return node;
    const explicit = node[SEVERITY_KEYWORD];
    const severity = lowerSeverity(inherited, isSeverity(explicit) ? explicit : (own ?? inherited));
    const result: Node = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === SEVERITY_KEYWORD || key === EXPECTED_KEYWORD) continue;
      if (DATA.has(key) || key === "required") result[key] = value;
      else if (key === "$ref" && typeof value === "string") result[key] = rewriteRef(value, baseId, severity);
      else if (CONDITIONS.has(key)) result[key] = value;
      else if (PROPERTY_MAPS.has(key) && isNode(value)) {
        result[key] = Object.fromEntries(
          Object.entries(value).map(([name, sub]) => [
            name,
            copy(sub, baseId, severity, isNode(sub) ? severityOfConfidence(sub["x-confidence"]) : undefined),
          ]),
        );
      } else if (SUBSCHEMAS.has(key)) result[key] = copy(value, baseId, severity, undefined);
      else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) result[key] = value.map((sub) => copy(sub, baseId, severity, undefined));
      else if (key === "$defs" && isNode(value)) {
        result[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, copy(sub, baseId, severity, undefined)]));
      } else result[key] = value;
    }
    const costs = missingCosts(node);
    if (costs.size > 0) {
      const missing: Record<string, Severity> = {};
      const required: string[] = [];
      for (const [name, cost] of costs) {
        const graded = lowerSeverity(severity, cost);
        missing[name] = graded;
        if (above(graded)) required.push(name);
      }
      if (required.length > 0) result["required"] = required;
      else delete result["required"];
      result[MISSING_KEYWORD] = missing;
    }
    result[SEVERITY_KEYWORD] = severity;
    return result;
  };

  for (const key of entries) {
    const document = documents.get(key);
    if (document) request(key, document, "error");
  }
  while (queue.length > 0) {
    const { key, document, cap } = queue.shift()!;
    const id = String(document["$id"]);
    const graded = copy(document, id, cap, undefined) as JsonSchema;
    graded["$id"] = gradedId(id, cap);
    output.set(cap === "error" ? key : `graded-${cap}/${key}`, graded);
  }
  return output;
}
