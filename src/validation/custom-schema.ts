// Compiles a schema of the user's own (`validate --schema FILE`); the only place `validate` loads
// ajv's compiler. Its regular expressions run on a linear-time engine, so no pattern can hang a run.

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

import { closeSchemas } from "../catalog/close-schema.js";
import type { CompiledValidator } from "../catalog/validators.js";
import { describeCause, describeFileError, WtbhookError } from "../errors.js";
import { locateSyntaxError } from "../json/syntax.js";
import { startsWithBom } from "../json/utf8.js";
import { requireCjs } from "../require-cjs.js";
import type { CustomSchema } from "./types.js";

interface AjvLike {
  compile(schema: object): CompiledValidator;
}
type AjvClass = new (options: object) => AjvLike;

/** The ajv class for the draft a schema declares: 2020-12 unless it names draft-07/06/04 or 2019-09. */
function ajvFor(schema: Record<string, unknown>): AjvClass {
  const declared = typeof schema["$schema"] === "string" ? schema["$schema"] : "";
  if (/draft-0[467]/.test(declared)) return (requireCjs("ajv") as { default: AjvClass }).default;
  if (declared.includes("2019-09")) return (requireCjs("ajv/dist/2019") as { default: AjvClass }).default;
  return (requireCjs("ajv/dist/2020") as { default: AjvClass }).default;
}

interface RegExpLike {
  test(text: string): boolean;
}

/**
 * ajv's `code.regExp`: each `pattern` and `patternProperties` key compiled by RE2JS, which matches
 * in time linear in the text (`^(a+)+$` on 32 characters took 42 s with JavaScript's engine).
 * Lookaround and backreferences are beyond RE2: such a pattern falls back to JavaScript's own
 * engine, and `fallbacks` lists it so that the user is told.
 */
function linearRegExp(fallbacks: string[]): ((pattern: string, flags: string) => RegExpLike) & { code: string } {
  // Loaded with the first pattern: most schemas have none.
  let RE2JS: typeof import("re2js").RE2JS | undefined;
  const engine = (pattern: string, flags: string): RegExpLike => {
    RE2JS ??= (requireCjs("re2js") as typeof import("re2js")).RE2JS;
    try {
      return RE2JS.compile(RE2JS.translateRegExp(pattern));
    } catch {
      const native = new RegExp(pattern, flags);
      fallbacks.push(pattern);
      return native;
    }
  };
  return Object.assign(engine, { code: "re2js" });
}

async function readSchemaText(file: string, cwd: string): Promise<Buffer> {
  try {
    const bytes = await readFile(resolve(cwd, file));
    return startsWithBom(bytes) ? bytes.subarray(3) : bytes;
  } catch (error) {
    throw new WtbhookError(describeFileError(error, file, "schema file"), { code: "unreadable-input", cause: error });
  }
}

export interface LoadSchemaOptions {
  /** Also compile the schema closed to undeclared fields (`validate --strict`). @default false */
  strict?: boolean;
}

/**
 * Reads and compiles a JSON Schema file.
 * @throws WtbhookError (exit 2) when the file cannot be read, is not JSON, or is not a valid schema.
 */
export async function loadCustomSchema(file: string, cwd: string, options: LoadSchemaOptions = {}): Promise<CustomSchema> {
  const bytes = await readSchemaText(file, cwd);
  let schema: unknown;
  try {
    schema = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    const syntax = locateSyntaxError(bytes);
    const where = syntax ? `${file}:${syntax.line}:${syntax.column}` : file;
    throw new WtbhookError(`schema ${where} is not valid JSON: ${syntax?.message ?? describeCause(error)}`, {
      code: "bad-schema",
      cause: error,
    });
  }
  if ((schema === null || typeof schema !== "object" || Array.isArray(schema)) && typeof schema !== "boolean") {
    throw new WtbhookError(`schema ${file} must be a JSON object (a JSON Schema)`, { code: "bad-schema" });
  }
  const record = (typeof schema === "boolean" ? {} : schema) as Record<string, unknown>;
  const fallbacks: string[] = [];
  try {
    // Not strict: a user's schema may carry keywords of its own, and formats ajv-formats does not
    // know are ignored. ajv must not log warnings on our stdout.
    const Ajv = ajvFor(record);
    const ajvOptions = { allErrors: true, strict: false, logger: false, code: { regExp: linearRegExp(fallbacks) } };
    const compile = (document: object): CompiledValidator => {
      const ajv = new Ajv(ajvOptions);
      (requireCjs("ajv-formats") as { default: (ajv: AjvLike) => void }).default(ajv);
      return ajv.compile(document);
    };
    const validate = compile(schema as object);
    let strict: CompiledValidator | undefined;
    if (options.strict === true && typeof schema !== "boolean") {
      const closed = closeSchemas(new Map([["schema.json", record]]), new Set(["schema.json"])).get("schema.json")!;
      strict = compile(closed);
    }
    return { validate, strict, warnings: [...new Set(fallbacks)].map(fallbackWarning) };
  } catch (error) {
    const reason = error instanceof RangeError ? "it is nested too deeply to compile" : describeCause(error);
    const reference = /resolve reference/i.test(reason);
    throw new WtbhookError(`schema ${file} is not a valid JSON Schema: ${reason}`, {
      code: "bad-schema",
      ...(reference && { hint: "Only self-contained schemas are supported: a $ref must point inside the same file." }),
      cause: error,
    });
  }
}

function fallbackWarning(pattern: string): string {
  return (
    `pattern ${JSON.stringify(pattern)} uses lookaround or backreferences, which the linear-time engine cannot run; ` +
    "it is checked by JavaScript's own engine, which can take very long on some strings"
  );
}
