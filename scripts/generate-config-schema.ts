// Writes config.schema.json, the JSON Schema of wtbhook.config.json, from the commands' flags as
// the program defines them. Run with `npm run generate`; test/unit/config/schema.test.ts fails
// when the file is stale.
import { writeFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";

import { format, resolveConfig } from "prettier";

import { createWholeProgram } from "../src/cli.js";
import { describeCommand } from "../src/commands/command-spec.js";
import type { CommandSpec } from "../src/config/spec.js";
import { configSchema } from "../src/config/schema.js";
import { plainStyle } from "../src/format/style.js";

export const OUTPUT = fileURLToPath(new URL("../config.schema.json", import.meta.url));

/** The program's commands as data, from a program built with no outside world. */
export function programSpec(): CommandSpec {
  const ignore = { write: () => true };
  const program = createWholeProgram({
    version: "0.0.0",
    env: {},
    cwd: process.cwd(),
    stdin: new PassThrough(),
    stdout: ignore,
    stderr: ignore,
    style: { out: plainStyle, err: plainStyle },
    signal: new AbortController().signal,
    exitWhenDone: () => {},
    setExitCode: () => {},
    sourceOf: (key) => key,
  });
  return describeCommand(program, []);
}

/** The schema as JSON text (the file is this, formatted by prettier). */
export function configSchemaText(): string {
  return `${JSON.stringify(configSchema(programSpec()), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OUTPUT, await format(configSchemaText(), { ...(await resolveConfig(OUTPUT)), filepath: OUTPUT }));
  process.stdout.write(`wrote ${OUTPUT}\n`);
}
