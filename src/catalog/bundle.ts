// Bundles an event schema and everything it references into one self-contained document.

import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { describeCause, WtbhookError } from "../errors.js";
import { eventSchema, loadSchemaFiles, type JsonSchema } from "./catalog.js";

const BASE = "wtbhook:/schemas/";
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "dependentSchemas"]);
const SUFFIX = ".schema.json";

/** The key under schemas/ that a `$ref` in document `fromKey` points to, and the fragment. */
export function resolveRefKey(fromKey: string, ref: string): { key: string; fragment: string } {
  const url = new URL(ref, `${BASE}${fromKey}`);
  const fragment = url.hash.slice(1);
  url.hash = "";
  return { key: url.href.startsWith(BASE) ? url.href.slice(BASE.length) : url.href, fragment };
}

function defName(key: string, taken: Map<string, string>): string {
  const base = (key.split("/").pop() ?? key).replace(SUFFIX, "");
  let name = base;
  for (let i = 2; [...taken.values()].includes(name); i++) name = `${base}-${i}`;
  return name;
}

export interface BundleOptions {
  /**
   * Keep wtbhook's own keywords (`x-confidence`, `x-source`, `x-order`, and the graded check's
   * `x-severity` and `x-expected`) as they are. Strict validators (ajv's default mode among them)
   * refuse unknown keywords, so by default they are said in each schema's `$comment` instead
   * ("confidence: documented; source: WH-DE").
   * @default false
   */
  annotations?: boolean;
}

/** What the `x-` keywords of a schema say, as a `$comment` (which every validator accepts). */
function annotationComment(node: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  if (typeof node["x-confidence"] === "string") parts.push(`confidence: ${node["x-confidence"]}`);
  if (typeof node["x-source"] === "string") parts.push(`source: ${node["x-source"]}`);
  if (typeof node["x-severity"] === "string") parts.push(`graded as: ${node["x-severity"]}`);
  const expected = node["x-expected"];
  if (typeof expected === "object" && expected !== null) {
    for (const [severity, names] of Object.entries(expected as Record<string, unknown>)) {
      if (Array.isArray(names)) parts.push(`expected (a${severity === "info" ? "n" : ""} ${severity} if missing): ${names.join(", ")}`);
    }
  }
  if (parts.length === 0) return undefined;
  return typeof node["$comment"] === "string" ? `${node["$comment"].replace(/\.$/, "")}; ${parts.join("; ")}` : parts.join("; ");
}

/**
 * The schema of one event type with every referenced document inlined under `$defs` and each
 * `$ref` rewritten to `#/$defs/<name>`, so that any draft 2020-12 validator can use it alone,
 * in strict mode too.
 */
export function bundleEventSchema(type: string, options: BundleOptions = {}): JsonSchema {
  const root = eventSchema(type);
  const files = loadSchemaFiles();
  const rootKey = `events/${type}${SUFFIX}`;
  const names = new Map<string, string>();
  const defs: Record<string, JsonSchema> = {};

  /** `map`: the node names schemas (properties, $defs…) rather than being one. */
  const rewrite = (node: unknown, fromKey: string, map = false): unknown => {
    if (Array.isArray(node)) return node.map((item) => rewrite(item, fromKey));
    if (typeof node !== "object" || node === null) return node;
    const result: JsonSchema = {};
    const comment = options.annotations === true || map ? undefined : annotationComment(node as Record<string, unknown>);
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("x-") && options.annotations !== true && !map) continue;
      if (key === "$comment" && comment !== undefined) continue;
      if (key === "$ref" && typeof value === "string" && !map) result[key] = refTo(value, fromKey);
      else if ((key === "const" || key === "enum" || key === "examples") && !map) result[key] = value;
      else result[key] = rewrite(value, fromKey, !map && SCHEMA_MAPS.has(key));
      // Right after the description, where a person reading the schema looks.
      if (key === "description" && comment !== undefined) result["$comment"] = comment;
    }
    if (comment !== undefined && !("$comment" in result)) result["$comment"] = comment;
    return result;
  };

  const refTo = (ref: string, fromKey: string): string => {
    const { key, fragment } = resolveRefKey(fromKey, ref);
    if (key === rootKey) return `#${fragment}`;
    const document = files.get(key);
    if (!document) return ref;
    let name = names.get(key);
    if (name === undefined) {
      name = defName(key, names);
      names.set(key, name);
      const { $id: _id, $schema: _schema, ...rest } = document;
      defs[name] = {};
      defs[name] = rewrite(rest, key) as JsonSchema;
    }
    return `#/$defs/${name}${fragment}`;
  };

  const bundled = rewrite(root, rootKey) as JsonSchema;
  return Object.keys(defs).length === 0 ? bundled : { ...bundled, $defs: { ...(bundled["$defs"] as object | undefined), ...defs } };
}

/**
 * mkdir -p with one attempt per level: Node's own recursive mkdir spins forever where a parent
 * exists but refuses children (/proc), which must be an error instead.
 */
function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && statSync(dir).isDirectory()) return;
    if (code !== "ENOENT" || dirname(dir) === dir) throw error;
    makeDirectory(dirname(dir));
    mkdirSync(dir);
  }
}

/** Writes `<type>.schema.json`, bundled, for each type into `dir` (created if missing); returns the paths written. */
export function writeBundledSchemas(dir: string, types: readonly string[], options: BundleOptions = {}): string[] {
  const written: string[] = [];
  try {
    makeDirectory(dir);
    for (const type of types) {
      const path = join(dir, `${type}${SUFFIX}`);
      writeFileSync(path, `${JSON.stringify(bundleEventSchema(type, options), null, 2)}\n`);
      written.push(path);
    }
  } catch (error) {
    if (error instanceof WtbhookError) throw error;
    throw new WtbhookError(`cannot write schemas to ${dir}: ${describeCause(error)}`, {
      code: "cannot-write",
      hint: "Choose a folder you can write to with --out.",
      cause: error,
    });
  }
  return written;
}
