// Compiled validators for every event type and the envelope, in three sets (graded, full, strict):
// precompiled at build time, or compiled here where the precompiled modules are missing.

import { existsSync } from "node:fs";
import { join } from "node:path";

import { requireCjs } from "../require-cjs.js";

import { isEventType } from "./catalog.js";

// Types only (erased): the compiler itself is loaded below only where nothing is precompiled.
import type { ValidatorSetName } from "./compile-validators.js";

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
  /** The schema node holding the failed keyword (catalogue validators are compiled `verbose`). */
  parentSchema?: Record<string, unknown> | undefined;
  /** The failed keyword's value (verbose). */
  schema?: unknown;
}

export type ValidatorSet = Record<string, CompiledValidator>;

export type { ValidatorSetName } from "./compile-validators.js";

/** The export holding the envelope's validator (compile-validators.ts's ENVELOPE_EXPORT, not imported: that would load the compiler). */
const ENVELOPE_EXPORT = "(envelope)";

/** Written by scripts/build.mjs next to the compiled catalogue in dist/: one module per event type and the envelope's, per set. */
const PRECOMPILED: Record<ValidatorSetName, string> = {
  graded: "validators",
  full: "validators-full",
  strict: "validators-strict",
};
// The compiler (ajv, the schema files, grade-schema.ts, close-schema.ts) is loaded only where nothing
// is precompiled: a command that starts from dist/ does not pay for it.
// The bundled program (scripts/build.mjs) always ships them and defines import.meta.wtbhookBundled
// as true, which leaves out both this import and the look for the folders (read through a cast, not
// a global type, so that the library's types do not change ImportMeta for its users; written inline
// for the bundler to fold).
const compiler =
  (import.meta as ImportMeta & { readonly wtbhookBundled?: true }).wtbhookBundled ||
  Object.values(PRECOMPILED).every((folder) => existsSync(join(import.meta.dirname, folder)))
    ? undefined
    : await import("./compile-validators.js");

const compiled: Partial<Record<ValidatorSetName, ValidatorSet>> = {};
const loaded: Record<ValidatorSetName, Map<string, CompiledValidator>> = { graded: new Map(), full: new Map(), strict: new Map() };

function loadValidator(name: string, set: ValidatorSetName): CompiledValidator | undefined {
  if (compiler) {
    const validators = (compiled[set] ??= compiler.compileValidators(set) as ValidatorSet);
    // Own keys only: "constructor" or "toString" would otherwise find Object.prototype's functions,
    // which "validate" any object.
    return Object.hasOwn(validators, name) ? validators[name] : undefined;
  }
  // A name from a payload becomes part of a path only when it is one of the shipped files: the
  // build writes one per event type of the catalogue, and the envelope's.
  if (name !== ENVELOPE_EXPORT && !isEventType(name)) return undefined;
  const module = requireCjs(join(import.meta.dirname, PRECOMPILED[set], `${name}.cjs`)) as ValidatorSet;
  return Object.hasOwn(module, name) ? module[name] : undefined;
}

function cachedValidator(name: string, set: ValidatorSetName): CompiledValidator | undefined {
  const cache = loaded[set];
  let validator = cache.get(name);
  if (validator === undefined) {
    validator = loadValidator(name, set);
    // Known names only: those of unknown types come from payloads and are not kept.
    if (validator !== undefined) cache.set(name, validator);
  }
  return validator;
}

/**
 * The validator of one known event type in a set (each type's is loaded on first use); undefined
 * for any other name.
 */
export function getValidator(type: string, set: ValidatorSetName = "graded"): CompiledValidator | undefined {
  // The envelope's export is not an event type.
  return type === ENVELOPE_EXPORT ? undefined : cachedValidator(type, set);
}

/** The envelope's validator in a set: what an event of an unknown type is checked against. */
export function getEnvelopeValidator(set: ValidatorSetName = "graded"): CompiledValidator {
  return cachedValidator(ENVELOPE_EXPORT, set)!;
}
