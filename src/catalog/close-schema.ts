// Closes schemas to undeclared fields for --strict: adds `unevaluatedProperties: false` where an
// object's properties are declared, so that ajv itself reports every field no schema evaluated.

import type { JsonSchema } from "./catalog.js";

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keywords whose subschemas apply to the same instance (their annotations count for unevaluatedProperties; dependentSchemas too). */
const IN_PLACE_LISTS = ["allOf", "anyOf", "oneOf"];
const IN_PLACE = ["if", "then", "else"];
/** Keywords whose subschemas apply to values inside the instance: each starts a new object to close. */
const INSTANCE_MAPS = ["properties", "patternProperties"];
const INSTANCE = ["additionalProperties", "items", "contains", "unevaluatedItems", "unevaluatedProperties"];
/** Keywords that hold instance data or names, never schemas to walk. */
const DATA = new Set(["const", "enum", "examples", "default", "required"]);

function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/**
 * Copies of `documents` closed to undeclared fields. A schema is closed where it stands for one
 * object: at an entry document's root, and at every subschema of `properties`, `items` and the
 * like, when it or what it pulls in by `$ref`, `allOf`, `anyOf`, `oneOf` and `if`/`then`/`else`
 * declares properties. Parts pulled in that way are not closed themselves, since the closing
 * schema counts their properties as declared (the JSON Schema 2020-12 meaning: a property of an
 * `anyOf` branch that failed, or of an `if` branch not taken, is not declared). Objects whose
 * schemas declare no properties stay free-form. One limit: two schemas that describe the same
 * nested object from different `allOf` branches each close over their own properties only.
 *
 * `idOf` gives each document's base URI (`$ref`s resolve against it); `entries` are the
 * documents whose roots are events (or whatever the user validates).
 */
export function closeSchemas(documents: ReadonlyMap<string, JsonSchema>, entries: ReadonlySet<string>): Map<string, JsonSchema> {
  const base = (key: string, document: JsonSchema): string =>
    typeof document["$id"] === "string" ? document["$id"] : new URL(key, "wtbhook:/schemas/").href;
  const byUri = new Map<string, JsonSchema>();
  for (const [key, document] of documents) byUri.set(base(key, document), document);

  /** The node a `$ref` names, or undefined when it is not one of the documents (then nothing is assumed). */
  const resolve = (ref: string, from: string): { node: Node; uri: string } | undefined => {
    let url: URL;
    try {
      url = new URL(ref, from);
    } catch {
      return undefined;
    }
    const fragment = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    let target: unknown = byUri.get(url.href);
    if (fragment !== "") {
      if (!fragment.startsWith("/")) return undefined;
      for (const token of fragment.slice(1).split("/")) {
        target = isNode(target) || Array.isArray(target) ? (target as Record<string, unknown>)[unescapeToken(token)] : undefined;
      }
    }
    return isNode(target) ? { node: target, uri: url.href } : undefined;
  };

  const declares = new Map<Node, boolean>();
  /** Whether a schema, or anything it pulls in for the same instance, declares properties. */
  const declaresProperties = (start: Node, uri: string): boolean => {
    const cached = declares.get(start);
    if (cached !== undefined) return cached;
    const seen = new Set<Node>();
    const stack: { node: Node; uri: string }[] = [{ node: start, uri }];
    let found = false;
    while (stack.length > 0 && !found) {
      const { node, uri: at } = stack.pop()!;
      if (seen.has(node)) continue;
      seen.add(node);
      if (isNode(node["properties"]) || isNode(node["patternProperties"])) found = true;
      if (typeof node["$ref"] === "string") {
        const target = resolve(node["$ref"], at);
        if (target) stack.push(target);
      }
      for (const keyword of IN_PLACE_LISTS) {
        const list = node[keyword];
        if (Array.isArray(list)) for (const item of list) if (isNode(item)) stack.push({ node: item, uri: at });
      }
      for (const keyword of IN_PLACE) if (isNode(node[keyword])) stack.push({ node: node[keyword], uri: at });
      const dependent = node["dependentSchemas"];
      if (isNode(dependent)) for (const sub of Object.values(dependent)) if (isNode(sub)) stack.push({ node: sub, uri: at });
    }
    declares.set(start, found);
    return found;
  };

  const copy = (node: unknown, uri: string, closed: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => copy(item, uri, false));
    if (!isNode(node)) return node;
    const result: Node = {};
    for (const [key, value] of Object.entries(node)) {
      if (DATA.has(key)) result[key] = value;
      else if (INSTANCE_MAPS.includes(key) && isNode(value)) {
        result[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, copy(sub, uri, true)]));
      } else if (key === "prefixItems" && Array.isArray(value)) result[key] = value.map((sub) => copy(sub, uri, true));
      else if (INSTANCE.includes(key)) result[key] = copy(value, uri, true);
      else result[key] = copy(value, uri, false);
    }
    if (closed && !("unevaluatedProperties" in node) && declaresProperties(node, uri)) result["unevaluatedProperties"] = false;
    return result;
  };

  const closedDocuments = new Map<string, JsonSchema>();
  for (const [key, document] of documents) {
    closedDocuments.set(key, copy(document, base(key, document), entries.has(key)) as JsonSchema);
  }
  return closedDocuments;
}
