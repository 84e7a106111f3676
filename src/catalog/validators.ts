// Compiled validators for every event type, plain and strict (closed to undeclared fields):
// precompiled at build time when available, else compiled here.

import { createRequire } from "node:module";

import { closeSchemas } from "./close-schema.js";
import { eventTypes, loadSchemaFiles, type JsonSchema } from "./catalog.js";

/** The shape of an ajv validate function, without loading ajv's types at run time. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null | undefined;
}

export interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string | undefined;
}

export type ValidatorSet = Record<string, CompiledValidator>;

const require = createRequire(import.meta.url);
/** Written by scripts/build.mjs next to the compiled catalogue in dist/. */
const PRECOMPILED = { plain: "./validators.generated.cjs", strict: "./validators-strict.generated.cjs" };

const loaded: { plain?: ValidatorSet; strict?: ValidatorSet } = {};

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

/** Compiles every event schema with ajv (development and tests, where no precompiled module exists). */
export function compileValidators(strict = false): ValidatorSet {
  const { createAjv } = require("./ajv-setup.cjs") as { createAjv: (options?: object) => import("ajv").default };
  const ajv = createAjv(strict ? { strictTypes: false } : {});
  const files = schemaFilesFor(strict);
  for (const schema of files.values()) ajv.addSchema(schema);
  const result: ValidatorSet = {};
  for (const type of eventTypes()) {
    const schema = files.get(`events/${type}.schema.json`);
    result[type] = ajv.getSchema(String(schema?.["$id"])) as CompiledValidator;
  }
  return result;
}

function loadValidators(strict: boolean): ValidatorSet {
  try {
    return require(strict ? PRECOMPILED.strict : PRECOMPILED.plain) as ValidatorSet;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    return compileValidators(strict);
  }
}

/**
 * The validator of one known event type; `strict` also reports fields the schema does not declare
 * (as `unevaluatedProperties` errors). Each set is loaded on first use.
 */
export function getValidator(type: string, strict = false): CompiledValidator | undefined {
  const validators = strict ? (loaded.strict ??= loadValidators(true)) : (loaded.plain ??= loadValidators(false));
  // Own keys only: "constructor" or "toString" would otherwise find Object.prototype's functions,
  // which "validate" any object.
  return Object.hasOwn(validators, type) ? validators[type] : undefined;
}
