// Compiled validators for every event type, plain and strict (closed to undeclared fields):
// precompiled at build time, or compiled here where the precompiled modules are missing.

import { existsSync } from "node:fs";
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
/** Written by scripts/build.mjs next to the compiled catalogue in dist/. */
const PRECOMPILED = { plain: "./validators.generated.cjs", strict: "./validators-strict.generated.cjs" };
const precompiled = Object.values(PRECOMPILED).every((path) => existsSync(new URL(path, import.meta.url)));
// The compiler (ajv, the schema files, close-schema.ts) is loaded only where nothing is precompiled:
// a command that starts from dist/ does not pay for it.
const compiler = precompiled ? undefined : await import("./compile-validators.js");

const loaded: { plain?: ValidatorSet; strict?: ValidatorSet } = {};

function loadValidators(strict: boolean): ValidatorSet {
  if (compiler) return compiler.compileValidators(strict) as ValidatorSet;
  return require(strict ? PRECOMPILED.strict : PRECOMPILED.plain) as ValidatorSet;
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
