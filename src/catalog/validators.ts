// Compiled validators for every event type, plain and strict (closed to undeclared fields):
// precompiled at build time, or compiled here where the precompiled modules are missing.

import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";

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
/** Written by scripts/build.mjs next to the compiled catalogue in dist/: one module per event type. */
const PRECOMPILED = { plain: "./validators/", strict: "./validators-strict/" };
const precompiled = Object.values(PRECOMPILED).every((path) => existsSync(new URL(path, import.meta.url)));
// The compiler (ajv, the schema files, close-schema.ts) is loaded only where nothing is precompiled:
// a command that starts from dist/ does not pay for it.
const compiler = precompiled ? undefined : await import("./compile-validators.js");

const compiled: { plain?: ValidatorSet; strict?: ValidatorSet } = {};
const loaded = { plain: new Map<string, CompiledValidator>(), strict: new Map<string, CompiledValidator>() };

/** The types that have a precompiled module: the folder's listing, read once. */
let shipped: ReadonlySet<string> | undefined;

function loadValidator(type: string, strict: boolean): CompiledValidator | undefined {
  if (compiler) {
    const set = strict
      ? (compiled.strict ??= compiler.compileValidators(true) as ValidatorSet)
      : (compiled.plain ??= compiler.compileValidators(false) as ValidatorSet);
    // Own keys only: "constructor" or "toString" would otherwise find Object.prototype's functions,
    // which "validate" any object.
    return Object.hasOwn(set, type) ? set[type] : undefined;
  }
  shipped ??= new Set(readdirSync(new URL(PRECOMPILED.plain, import.meta.url)).map((name) => name.replace(/\.cjs$/, "")));
  // A name from a payload becomes part of a path only when it is one of the shipped files.
  if (!shipped.has(type)) return undefined;
  const module = require(`${strict ? PRECOMPILED.strict : PRECOMPILED.plain}${type}.cjs`) as ValidatorSet;
  return Object.hasOwn(module, type) ? module[type] : undefined;
}

/**
 * The validator of one known event type; `strict` also reports fields the schema does not declare
 * (as `unevaluatedProperties` errors). Each type's validator is loaded on first use.
 */
export function getValidator(type: string, strict = false): CompiledValidator | undefined {
  const cache = strict ? loaded.strict : loaded.plain;
  let validator = cache.get(type);
  if (validator === undefined) {
    validator = loadValidator(type, strict);
    // Known types only: the names of unknown ones come from payloads and are not kept.
    if (validator !== undefined) cache.set(type, validator);
  }
  return validator;
}
