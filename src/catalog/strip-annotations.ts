// Removes annotation keywords from a schema: validation is unchanged, the generated code is smaller.

import type { JsonSchema } from "./catalog.js";

const ANNOTATIONS = new Set(["title", "description", "examples", "$comment", "default", "deprecated", "readOnly", "writeOnly"]);
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "dependentSchemas"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SCHEMAS = new Set([
  "items",
  "not",
  "if",
  "then",
  "else",
  "additionalProperties",
  "contains",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
]);

/**
 * A copy of `schema` without annotation keywords (title, description, examples, x-*) at any depth,
 * but for the `keep` ones (the graded check reads its grades at run time).
 */
export function stripAnnotations(schema: unknown, keep: ReadonlySet<string> = new Set()): unknown {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if ((ANNOTATIONS.has(key) || key.startsWith("x-")) && !keep.has(key)) continue;
    if (SCHEMA_MAPS.has(key) && typeof value === "object" && value !== null) {
      result[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, stripAnnotations(sub, keep)]),
      );
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      result[key] = value.map((sub) => stripAnnotations(sub, keep));
    } else if (SCHEMAS.has(key)) {
      result[key] = stripAnnotations(value, keep);
    } else {
      result[key] = value;
    }
  }
  return result;
}
