// `wtbhook schemas`: how sure the catalogue is of each event, one event's fields, or its bundled JSON Schema.
import type { Command } from "commander";

import type { CliContext } from "../context.js";
import { ExitCode, WtbhookError } from "../errors.js";

const EXAMPLES = `
Examples:
  $ wtbhook schemas                              how sure we are of each event type
  $ wtbhook schemas user.created --fields        every field: JSON type, required, confidence
  $ wtbhook schemas post.created > post.created.schema.json
  $ wtbhook schemas --out schemas/               all 17, one self-contained file per type

Each printed or written schema is JSON Schema draft 2020-12 with its references inlined under
$defs, so any validator (Python jsonschema, Go, Java, ajv in its default strict mode ...) can use
it alone. Each field's "$comment" says how sure we are of it (confidence: documented,
documented-2017, seen-in-code, third-party-doc, inferred or speculative) and where it was seen;
--annotations keeps them as the "x-confidence" and "x-source" keywords instead (for ajv, then
use strict: false). Only documented fields are required.`;

interface SchemasFlags {
  out?: string;
  fields?: boolean;
  annotations?: boolean;
}

export function registerSchemas(command: Command, ctx: CliContext): void {
  command
    .option("-o, --out <dir>", "write the bundled schema of every type (or of <type>) into this folder")
    .option("--fields", "with <type>: list its fields with JSON type, required or not, and confidence")
    .option("--annotations", 'keep the "x-confidence" and "x-source" keywords (strict validators refuse them)')
    .addHelpText("after", EXAMPLES)
    .action(async (type: string | undefined, flags: SchemasFlags) => {
      const catalog = await import("../catalog/catalog.js");
      if (type !== undefined) catalog.assertEventType(type);
      if (flags.fields && type === undefined) {
        throw new WtbhookError("--fields needs an event type", {
          code: "bad-flag",
          hint: "For example: wtbhook schemas user.created --fields",
        });
      }
      if (flags.fields && flags.out !== undefined) {
        throw new WtbhookError("--fields and --out cannot be used together", { code: "bad-flag" });
      }
      if (flags.annotations && (flags.fields || (type === undefined && flags.out === undefined))) {
        throw new WtbhookError("--annotations is for printed or written schemas: give a type, or --out", { code: "bad-flag" });
      }
      const text = await import("../format/catalog-text.js");
      const bundle = { annotations: flags.annotations === true };
      if (flags.out?.trim() === "") {
        // resolve(cwd, "") is cwd itself: the schemas landed in the current folder.
        throw new WtbhookError("--out needs a folder name, not an empty string", { code: "bad-flag" });
      }
      if (flags.out !== undefined) {
        const { writeBundledSchemas } = await import("../catalog/bundle.js");
        const path = await import("node:path");
        const written = writeBundledSchemas(path.resolve(ctx.cwd, flags.out), type === undefined ? catalog.eventTypes() : [type], bundle);
        ctx.stderr.write(`${ctx.style.err.green("✔")} wrote ${written.length} schema${written.length === 1 ? "" : "s"} to ${flags.out}\n`);
      } else if (type === undefined) {
        const { summariseCatalogue } = await import("../catalog/describe.js");
        ctx.stdout.write(text.formatCatalogueSummary(summariseCatalogue(), ctx.style.out));
      } else if (flags.fields) {
        const { eventFields } = await import("../catalog/describe.js");
        ctx.stdout.write(text.formatFieldTable(type, eventFields(type), ctx.style.out));
      } else {
        const { bundleEventSchema } = await import("../catalog/bundle.js");
        ctx.stdout.write(`${JSON.stringify(bundleEventSchema(type, bundle), null, 2)}\n`);
      }
      ctx.setExitCode(ExitCode.ok);
    });
}
