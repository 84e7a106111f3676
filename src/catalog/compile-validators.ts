// Compiles the catalogue's validators with ajv, plain and strict: at build time (standalone.ts),
// and at run time only where dist/'s precompiled modules are missing (development, tests).

import { createRequire } from "node:module";

import { closeSchemas } from "./close-schema.js";
import { eventTypes, loadSchemaFiles, type JsonSchema } from "./catalog.js";

const require = createRequire(import.meta.url);

/**
 * The schema files to compile: as stored, or closed to undeclared fields (`unevaluatedProperties:
 * false`, see close-schema.ts) for the strict set.
 */
export function schemaFilesFor(strict: boolean): Map<string, JsonSchema> {
  const files = loadSchemaFiles();
  if (!strict) return files;
  const entries = new Set([...files.keys()].filter((key) => key.startsWith("events/")));
  return closeSchemas(files, entries);
}

/** Compiles every event schema with ajv: one validate function per event type. */
export function compileValidators(strict = false): Record<string, import("ajv").ValidateFunction> {
  const { createAjv } = require("./ajv-setup.cjs") as { createAjv: (options?: object) => import("ajv").default };
  const ajv = createAjv(strict ? { strictTypes: false } : {});
  const files = schemaFilesFor(strict);
  for (const schema of files.values()) ajv.addSchema(schema);
  const result: Record<string, import("ajv").ValidateFunction> = {};
  for (const type of eventTypes()) {
    const schema = files.get(`events/${type}.schema.json`);
    result[type] = ajv.getSchema(String(schema?.["$id"])) as import("ajv").ValidateFunction;
  }
  return result;
}
