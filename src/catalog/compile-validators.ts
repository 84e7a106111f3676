// Compiles the catalogue's validators with ajv, one set per use (graded, full, strict): at build time
// (standalone.ts), and at run time only where dist/'s precompiled modules are missing (development, tests).

import { join } from "node:path";

import { requireCjs } from "../require-cjs.js";
import { closeSchemas } from "./close-schema.js";
import { eventTypes, loadSchemaFiles, type JsonSchema } from "./catalog.js";
import { gradeSchemas } from "./grade-schema.js";

/**
 * The sets of compiled validators: `graded`, the everyday check (errors and warnings: what an event
 * is expected to carry at warning level is required); `full`, which also requires what is expected
 * at info level (`-v`); `strict`, the full set closed to undeclared fields (`--strict`).
 */
export type ValidatorSetName = "graded" | "full" | "strict";
export const VALIDATOR_SETS: readonly ValidatorSetName[] = ["graded", "full", "strict"];

/** The name under which each set exports the envelope's validator (never an event type: those have no parentheses). */
export const ENVELOPE_EXPORT = "(envelope)";
const ENVELOPE_KEY = "envelope.schema.json";

/**
 * The schema documents a set compiles: the catalogue graded (grade-schema.ts) and, for the strict
 * set, closed to undeclared fields (close-schema.ts). Event documents and the envelope keep their
 * keys and `$id`s.
 */
export function schemaFilesFor(set: ValidatorSetName): Map<string, JsonSchema> {
  const files = loadSchemaFiles();
  const events = [...files.keys()].filter((key) => key.startsWith("events/"));
  const graded = gradeSchemas(files, [...events, ENVELOPE_KEY], { level: set === "graded" ? "warning" : "info" });
  return set === "strict" ? closeSchemas(graded, new Set([...events, ENVELOPE_KEY])) : graded;
}

/** The `$id` of every export of a set: one per event type, and the envelope's. */
export function exportIds(files: ReadonlyMap<string, JsonSchema>): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const type of eventTypes()) ids[type] = String(files.get(`events/${type}.schema.json`)?.["$id"]);
  ids[ENVELOPE_EXPORT] = String(files.get(ENVELOPE_KEY)?.["$id"]);
  return ids;
}

/**
 * ajv's options for the catalogue: `verbose`, so that each error carries the schema node it broke
 * (whose `x-severity` and `x-missing` grade it). An event schema requires what it expects its object
 * to carry, declared in the object's own schema (by `$ref`), which ajv's strictRequired cannot see:
 * a catalogue test checks those names instead.
 */
export const CATALOGUE_AJV_OPTIONS = { verbose: true, strictRequired: false } as const;

/** Compiles one set with ajv: one validate function per event type, and the envelope's. */
export function compileValidators(set: ValidatorSetName = "graded"): Record<string, import("ajv").ValidateFunction> {
  const { createAjv } = requireCjs(join(import.meta.dirname, "ajv-setup.cjs")) as {
    createAjv: (options?: object) => import("ajv").default;
  };
  const ajv = createAjv({ ...CATALOGUE_AJV_OPTIONS, ...(set === "strict" && { strictTypes: false }) });
  const files = schemaFilesFor(set);
  for (const schema of files.values()) ajv.addSchema(schema);
  const result: Record<string, import("ajv").ValidateFunction> = {};
  for (const [name, id] of Object.entries(exportIds(files))) result[name] = ajv.getSchema(id) as import("ajv").ValidateFunction;
  return result;
}
