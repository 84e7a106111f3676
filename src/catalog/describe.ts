// Describes what the catalogue knows about each event: its fields, their JSON types and how sure we are of them.

import { eventCatalogue, eventSchema, loadSchemaFiles, type JsonSchema } from "./catalog.js";
import { resolveRefKey } from "./bundle.js";
import { isSeverity, lowerSeverity, missingCosts, SEVERITY_KEYWORD, severityOfConfidence, type Severity } from "./grade-schema.js";

/** The confidence labels of the schemas' `x-confidence`, surest first. */
export const CONFIDENCE_LEVELS = ["documented", "documented-2017", "seen-in-code", "third-party-doc", "inferred", "speculative"] as const;

export interface FieldInfo {
  /** Dotted path from the event's top, arrays as `[]`: `data.object.attachments[].fileName`. */
  path: string;
  /** JSON type(s), such as `integer`, `string | integer`, `array of Attachment`, `"User"`. */
  jsonType: string;
  /** Required by its parent object. */
  required: boolean;
  /**
   * What the graded check makes of the field's absence when its parent is present: an error, a
   * warning, an info, or nothing (undefined). Never more than the parent field itself weighs.
   */
  ifMissing: Severity | undefined;
  /** Set when `ifMissing` holds only for one branch of a condition: that branch's object (such as "User"). */
  ifMissingWhen?: string | undefined;
  /** What a value of the wrong type costs (the field's `x-severity`, else its confidence's). */
  severity: Severity;
  confidence: string;
  description: string;
}

export interface EventSummary {
  type: string;
  description: string;
  /** How sure we are of the payload as a whole (the event schema's `x-confidence`). */
  confidence: string;
  /** How many fields of data.object (nested ones included) carry each confidence label. */
  fieldCounts: Record<string, number>;
}

type Node = JsonSchema;

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface Located {
  node: Node;
  key: string;
}

/** Follows `$ref` (relative to the document `key`) to the schema it names. */
function deref(node: Node, key: string, files: Map<string, Node>): Located {
  let current: Located = { node, key };
  for (let hops = 0; typeof current.node["$ref"] === "string" && hops < 32; hops++) {
    const target = resolveRefKey(current.key, current.node["$ref"]);
    const document = files.get(target.key);
    if (!document) break;
    current = { node: document, key: target.key };
  }
  return current;
}

/** Keywords beside a `$ref` that say something about the object's fields. */
const OWN_BESIDE_REF = new Set(["properties", "required", "x-expected"]);

/**
 * Every schema that applies to an object: itself and its allOf members, plus its anyOf/oneOf and
 * if/then/else branches marked `conditional` (their `required` only holds in some cases).
 */
function applicable(located: Located, files: Map<string, Node>): (Located & { conditional: boolean })[] {
  const result: (Located & { conditional: boolean })[] = [];
  const visit = (entry: Located, conditional: boolean): void => {
    // A `$ref` with keywords beside it (an event's data.object: what it expects the object to carry) applies too.
    if (typeof entry.node["$ref"] === "string" && Object.keys(entry.node).some((key) => OWN_BESIDE_REF.has(key))) {
      if (!result.some((seen) => seen.node === entry.node)) result.push({ ...entry, conditional });
    }
    const here = deref(entry.node, entry.key, files);
    if (result.some((seen) => seen.node === here.node)) return;
    result.push({ ...here, conditional });
    const allOf = here.node["allOf"];
    if (Array.isArray(allOf)) for (const item of allOf) if (isNode(item)) visit({ node: item, key: here.key }, conditional);
    for (const keyword of ["anyOf", "oneOf"]) {
      const list = here.node[keyword];
      if (Array.isArray(list)) for (const item of list) if (isNode(item)) visit({ node: item, key: here.key }, true);
    }
    for (const keyword of ["then", "else"]) {
      const branch = here.node[keyword];
      if (isNode(branch)) visit({ node: branch, key: here.key }, true);
    }
  };
  visit(located, false);
  return result;
}

function describeType(located: Located, files: Map<string, Node>): string {
  const node = located.node;
  if ("const" in node) return JSON.stringify(node["const"]);
  if (Array.isArray(node["enum"])) return node["enum"].map((value) => JSON.stringify(value)).join(" | ");
  if (Array.isArray(node["anyOf"])) {
    return node["anyOf"]
      .filter(isNode)
      .map((item) => describeType(deref(item, located.key, files), files))
      .join(" | ");
  }
  if (typeof node["$ref"] === "string") return describeType(deref(node, located.key, files), files);
  if (node["type"] === "array" && isNode(node["items"])) return `array of ${describeType(deref(node["items"], located.key, files), files)}`;
  if (node["type"] === "object" && typeof node["title"] === "string") return node["title"];
  if (node["if"] && isNode(node["then"])) {
    const branches = [node["then"], node["else"]].filter(isNode);
    const names = branches.map((branch) => describeType(deref(branch, located.key, files), files));
    return branches.length === 1 ? `${names[0]} or any object` : names.join(" or ");
  }
  return typeof node["type"] === "string" ? node["type"] : Array.isArray(node["type"]) ? node["type"].join(" | ") : "any";
}

/** What each property costs when missing, from the schemas that always apply, else from a branch (named by its object's title). */
function missingCostsOf(schemas: readonly (Located & { conditional: boolean })[]): Map<string, { cost: Severity; when?: string }> {
  const costs = new Map<string, { cost: Severity; when?: string }>();
  for (const conditional of [false, true]) {
    for (const entry of schemas) {
      if (entry.conditional !== conditional) continue;
      const when = conditional ? stringOf(entry.node["title"]) : undefined;
      for (const [name, cost] of missingCosts(entry.node)) if (!costs.has(name)) costs.set(name, { cost, ...(when && { when }) });
    }
  }
  return costs;
}

function collectFields(located: Located, prefix: string, files: Map<string, Node>, out: FieldInfo[], depth: number, cap: Severity): void {
  if (depth > 16) return;
  const schemas = applicable(located, files);
  const required = new Set(
    schemas.flatMap((entry) => (!entry.conditional && Array.isArray(entry.node["required"]) ? (entry.node["required"] as string[]) : [])),
  );
  const costs = missingCostsOf(schemas);
  // Referenced schemas first, so that the order is the envelope's and the event's own declarations win.
  const properties = new Map<string, Located>();
  for (const entry of [...schemas].reverse()) {
    const declared = entry.node["properties"];
    if (!isNode(declared)) continue;
    for (const [name, sub] of Object.entries(declared)) if (isNode(sub)) properties.set(name, { node: sub, key: entry.key });
  }
  for (const [name, property] of properties) {
    const path = prefix ? `${prefix}.${name}` : name;
    const target = deref(property.node, property.key, files);
    const confidence = stringOf(property.node["x-confidence"]) ?? stringOf(target.node["x-confidence"]) ?? "unlabelled";
    const explicit = property.node[SEVERITY_KEYWORD];
    // As the graded check weighs it (grade-schema.ts): never more than the field it is in.
    const severity = lowerSeverity(cap, isSeverity(explicit) ? explicit : (severityOfConfidence(confidence) ?? cap));
    const missing = costs.get(name);
    out.push({
      path,
      jsonType: describeType(property, files),
      required: required.has(name),
      ifMissing: missing && lowerSeverity(cap, missing.cost),
      ...(missing?.when !== undefined && { ifMissingWhen: missing.when }),
      severity,
      confidence,
      description: stringOf(property.node["description"]) ?? stringOf(target.node["description"]) ?? "",
    });
    const items =
      target.node["type"] === "array" && isNode(target.node["items"]) ? { node: target.node["items"], key: target.key } : undefined;
    if (items) collectFields(items, `${path}[]`, files, out, depth + 1, severity);
    else collectFields(property, path, files, out, depth + 1, severity);
  }
}

/** Every field of an event type, envelope included, in schema order. */
export function eventFields(type: string): FieldInfo[] {
  const schema = eventSchema(type);
  const files = loadSchemaFiles();
  const fields: FieldInfo[] = [];
  collectFields({ node: schema, key: `events/${type}.schema.json` }, "", files, fields, 0, "error");
  return fields;
}

/** One line per event type: how sure the payload is and how many of its fields carry each label. */
export function summariseCatalogue(): EventSummary[] {
  return eventCatalogue().map((entry) => {
    const fieldCounts: Record<string, number> = {};
    for (const field of eventFields(entry.type)) {
      if (!field.path.startsWith("data.object.")) continue;
      fieldCounts[field.confidence] = (fieldCounts[field.confidence] ?? 0) + 1;
    }
    return { type: entry.type, description: entry.description, confidence: entry.confidence, fieldCounts };
  });
}
