// Compiles a schema of the user's own (`validate --schema FILE`); the only place `validate` loads ajv's compiler.

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { resolve } from "node:path";

import { findUnknownFieldsInSchema } from "../catalog/unknown-fields.js";
import type { CompiledValidator } from "../catalog/validators.js";
import { describeCause, WtbhookError } from "../errors.js";
import { findSyntaxError, LineIndex } from "../json/text.js";
import type { CustomSchema } from "./validate-files.js";

const require = createRequire(import.meta.url);

interface AjvLike {
  compile(schema: object): CompiledValidator;
}
type AjvClass = new (options: object) => AjvLike;

/** The ajv class for the draft a schema declares: 2020-12 unless it names draft-07/06/04 or 2019-09. */
function ajvFor(schema: Record<string, unknown>): AjvClass {
  const declared = typeof schema["$schema"] === "string" ? schema["$schema"] : "";
  if (/draft-0[467]/.test(declared)) return (require("ajv") as { default: AjvClass }).default;
  if (declared.includes("2019-09")) return (require("ajv/dist/2019") as { default: AjvClass }).default;
  return (require("ajv/dist/2020") as { default: AjvClass }).default;
}

/**
 * Reads and compiles a JSON Schema file.
 * @throws WtbhookError (exit 2) when the file cannot be read, is not JSON, or is not a valid schema.
 */
export async function loadCustomSchema(file: string, cwd: string): Promise<CustomSchema> {
  let text: string;
  try {
    text = (await readFile(resolve(cwd, file), "utf8")).replace(/^\uFEFF/, "");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === "ENOENT" ? `no such schema file: ${file}` : `cannot read schema ${file}: ${describeCause(error)}`;
    throw new WtbhookError(message, { code: "unreadable-schema", cause: error });
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    const syntax = findSyntaxError(text);
    const at = syntax ? new LineIndex(text).position(syntax.offset) : undefined;
    const where = at ? `${file}:${at.line}:${at.column}` : file;
    throw new WtbhookError(`schema ${where} is not valid JSON: ${syntax?.message ?? describeCause(error)}`, {
      code: "invalid-schema",
      cause: error,
    });
  }
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) {
    if (typeof schema !== "boolean") {
      throw new WtbhookError(`schema ${file} must be a JSON object (a JSON Schema)`, { code: "invalid-schema" });
    }
  }
  const record = (typeof schema === "boolean" ? {} : schema) as Record<string, unknown>;
  let validate: CompiledValidator;
  try {
    // Not strict: a user's schema may carry keywords of its own, and formats ajv-formats does not
    // know are ignored. ajv must not log warnings on our stdout.
    const Ajv = ajvFor(record);
    const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
    (require("ajv-formats") as { default: (ajv: AjvLike) => void }).default(ajv);
    validate = ajv.compile(schema as object);
  } catch (error) {
    const reference = /resolve reference/i.test(describeCause(error));
    throw new WtbhookError(`schema ${file} is not a valid JSON Schema: ${describeCause(error)}`, {
      code: "invalid-schema",
      ...(reference && { hint: "Only self-contained schemas are supported: a $ref must point inside the same file." }),
      cause: error,
    });
  }
  return { validate, findUnknown: (event) => findUnknownFieldsInSchema(record, event) };
}
