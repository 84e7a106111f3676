// `wtbhook validate`: flags → options → validateFiles → the chosen report; exit 0 valid, 1 invalid, 2 usage.
import { Option, type Command } from "commander";

import type { CliContext } from "../context.js";
import { ExitCode, WtbhookError } from "../errors.js";
import { parseWholeNumber } from "./flag-values.js";

const EXAMPLES = `
Examples:
  $ wtbhook validate fixtures/user.created.json
  $ wtbhook validate events/ more-events.ndjson         (directories: *.json, *.jsonl, *.ndjson)
  $ curl -s https://example.com/event.json | wtbhook validate -
  $ wtbhook validate payload.json --type user.created --strict
  $ wtbhook validate events.ndjson --format github      (annotations in a pull request)
  $ wtbhook validate events/ --format junit > validate.xml
  $ wtbhook validate events.json --schema my-schema.json
  $ wtbhook validate recorded.ndjson                    (a listen --record file)

A file holds one event, a JSON array of events, or one event per line (NDJSON); in a recording
made by "wtbhook listen --record", the event in each recorded request is checked. Each event is
checked against the schema of its own "type", and each problem is graded: ✗ an error (the event is
invalid), ⚠ a warning (an expected field missing or mistyped, an unknown event type: still valid),
ℹ an info (inferred or speculative fields; shown with -v or --strict). --strict turns warnings
into errors. Exit codes: 0 no errors (warnings allowed), 1 an event is invalid or malformed,
2 wtbhook could not do what was asked (bad flag, no such file), 70 a bug in wtbhook.`;

interface ValidateFlags {
  type?: string;
  schema?: string;
  strict?: boolean;
  verbose?: boolean;
  maxErrors: string;
  format: "text" | "json" | "github" | "junit";
  quiet?: boolean;
}

export function registerValidate(command: Command, ctx: CliContext): void {
  command
    .option("-t, --type <type>", "check every event as this type, whatever its own type says")
    .option("--schema <file>", "check against your own JSON Schema instead of the catalogue")
    .option("--strict", "warnings become errors; also report fields the schema does not declare, and infos")
    .option("-v, --verbose", "also report infos: inferred or speculative fields")
    .option("--max-errors <n>", "problems shown per event; the rest are counted", "20")
    .addOption(new Option("-f, --format <format>", "report format").choices(["text", "json", "github", "junit"]).default("text"))
    .option("-q, --quiet", "text: leave out the lines of valid files")
    .addHelpText("after", EXAMPLES)
    .action(async (paths: string[], flags: ValidateFlags) => {
      const maxErrors = parseWholeNumber(flags.maxErrors, "--max-errors", { min: 1 });
      if (flags.type !== undefined && flags.schema !== undefined) {
        throw new WtbhookError("--type and --schema cannot be used together", { code: "bad-flag" });
      }
      if (flags.type !== undefined) {
        const { assertEventType } = await import("../catalog/catalog.js");
        assertEventType(flags.type);
      }
      const strict = flags.strict === true;
      // Loaded side by side: the module reads overlap.
      const [{ createValidateReporter }, { validateFiles }, schema] = await Promise.all([
        import("./validate-reporter.js"),
        import("../validation/validate-files.js"),
        flags.schema === undefined
          ? undefined
          : import("../validation/custom-schema.js").then((m) => m.loadCustomSchema(flags.schema!, ctx.cwd, { strict })),
      ]);
      if (schema && schema.warnings.length > 0) {
        const { formatWarning } = await import("../format/validate-text.js");
        for (const warning of schema.warnings) ctx.stderr.write(formatWarning(warning, ctx.style.err));
      }
      const reporter = await createValidateReporter({
        format: flags.format,
        out: (text) => ctx.stdout.write(text),
        err: (text) => ctx.stderr.write(text),
        outStyle: ctx.style.out,
        errStyle: ctx.style.err,
        quiet: flags.quiet === true,
        terminal: { stdout: ctx.stdout, stderr: ctx.stderr },
      });
      try {
        const summary = await validateFiles(
          paths,
          {
            cwd: ctx.cwd,
            stdin: () => ctx.stdin,
            type: flags.type,
            schema,
            strict,
            info: flags.verbose === true,
            maxErrors,
            reportValid: reporter.reportValid,
            signal: ctx.signal,
          },
          reporter.listener,
        );
        reporter.finish(summary);
        ctx.setExitCode(summary.invalid > 0 || summary.aborted ? ExitCode.failed : ExitCode.ok);
      } finally {
        reporter.dispose();
      }
    });
}
