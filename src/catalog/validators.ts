// Compiled validators for every event type: precompiled at build time when available, else compiled here.

import { createRequire } from "node:module";

import { eventTypes, loadSchemaFiles } from "./catalog.js";

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

const require = createRequire(import.meta.url);
/** Written by scripts/build.mjs next to the compiled catalogue in dist/. */
const PRECOMPILED = "./validators.generated.cjs";

let validators: Record<string, CompiledValidator> | undefined;

/** Compiles every event schema with ajv (development and tests, where no precompiled module exists). */
export function compileValidators(): Record<string, CompiledValidator> {
  const { createAjv } = require("./ajv-setup.cjs") as { createAjv: () => import("ajv").default };
  const ajv = createAjv();
  const files = loadSchemaFiles();
  for (const schema of files.values()) ajv.addSchema(schema);
  const result: Record<string, CompiledValidator> = {};
  for (const type of eventTypes()) {
    const schema = files.get(`events/${type}.schema.json`);
    result[type] = ajv.getSchema(String(schema?.["$id"])) as CompiledValidator;
  }
  return result;
}

function loadValidators(): Record<string, CompiledValidator> {
  try {
    return require(PRECOMPILED) as Record<string, CompiledValidator>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    return compileValidators();
  }
}

/** The validator of one known event type. */
export function getValidator(type: string): CompiledValidator | undefined {
  validators ??= loadValidators();
  // Own keys only: "constructor" or "toString" would otherwise find Object.prototype's functions,
  // which "validate" any object.
  return Object.hasOwn(validators, type) ? validators[type] : undefined;
}
