// `wtbhook drift`: real events (recordings, NDJSON, event files) compared with the catalogue, as
// text, JSON or Markdown. Exit 0 (it is a report), 2 when the input cannot be read.
import { Option, type Command } from "commander";

import type { CliContext } from "../context.js";
import { ExitCode, WtbhookError } from "../errors.js";

const EXAMPLES = `
Examples:
  $ wtbhook listen --tunnel --record real.ndjson     record your forum's real deliveries
  $ wtbhook drift real.ndjson                        what they say about the catalogue
  $ wtbhook drift real.ndjson --format markdown > drift.md   (ready to paste into an issue)
  $ wtbhook drift events/ more.ndjson --format json | jq '.types[].undeclared'

Per event type: how many events; fields the schema does not declare (JSON types, share of events,
one example value); values of another type than declared; expected fields missing; declared fields
never seen; fields seen often enough that their confidence could be raised. Example values are
redacted (email addresses, names and free text become placeholders of the same shape) unless
--no-redact. Exit codes: 0 the report was made, 2 the input could not be read or holds no event,
70 a bug in wtbhook.`;

interface DriftFlags {
  format: "text" | "json" | "markdown";
  redact: boolean;
}

export function registerDrift(command: Command, ctx: CliContext): void {
  command
    .addOption(new Option("-f, --format <format>", "report format").choices(["text", "json", "markdown"]).default("text"))
    .option("--no-redact", "show example values as they are (they may hold emails and names)")
    .addHelpText("after", EXAMPLES)
    .action(async (paths: string[], flags: DriftFlags) => {
      const [{ DriftCollector }, { readEvents }] = await Promise.all([import("../drift/drift.js"), import("../drift/read-events.js")]);
      const collector = new DriftCollector({ redact: flags.redact });
      const summary = await readEvents(
        paths,
        { cwd: ctx.cwd, stdin: () => ctx.stdin, signal: ctx.signal },
        (event) => collector.add(event),
        (entry) => collector.addUnreadable(entry),
      );
      if (summary.events === 0) {
        const held = summary.unreadable > 0 ? ` (${summary.unreadable} line(s) or document(s) held none)` : "";
        throw new WtbhookError(`no event could be read from ${paths.join(", ")}${held}`, {
          code: summary.unreadable > 0 ? "unreadable-input" : "no-input",
          hint: "drift reads listen recordings, NDJSON of events, and JSON files of an event or an array of events.",
        });
      }
      const report = collector.finish(summary.files);
      if (flags.format === "json") {
        const { formatDriftJson } = await import("../format/drift-json.js");
        ctx.stdout.write(formatDriftJson(report, ctx.version));
      } else if (flags.format === "markdown") {
        const { formatDriftMarkdown } = await import("../format/drift-markdown.js");
        ctx.stdout.write(formatDriftMarkdown(report, ctx.version));
      } else {
        const { formatDriftText } = await import("../format/drift-text.js");
        ctx.stdout.write(formatDriftText(report, ctx.style.out));
      }
      ctx.setExitCode(ExitCode.ok);
    });
}
