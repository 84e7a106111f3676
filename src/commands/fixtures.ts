// `wtbhook fixtures`: list the event types with one line each, print one fixture's exact bytes
// (the user's own from --fixtures DIR where it has one), or import real events as fixtures.
import type { Command } from "commander";

import type { CliContext } from "../context.js";
import { ExitCode, WtbhookError } from "../errors.js";
import { fixtureDirFrom } from "./flag-values.js";

const EXAMPLES = `
Examples:
  $ wtbhook fixtures                             every event type, in catalogue order
  $ wtbhook fixtures post.created                the fixture; send delivers these bytes with a fresh id
  $ wtbhook fixtures user.created | jq .data.object.userId
  $ wtbhook fixtures topic.created > my-topic.json && wtbhook validate my-topic.json
  $ wtbhook fixtures import real.ndjson --dir my-fixtures    your forum's real events as fixtures
  $ wtbhook fixtures --fixtures my-fixtures      which types have a fixture of yours

The fixtures tell one consistent story: john (181855) registers, maria pays for Paid Access and
starts a topic, john replies in it (pending, then approved), and they talk in a conversation.
fixtures/user.created.json is the example from Website Toolbox's help page, unchanged.
--fixtures DIR (or WTBHOOK_FIXTURES) puts DIR/<type>.json before the built-in fixture, here and
in send, scenarios and check.`;

const IMPORT_EXAMPLES = `
Examples:
  $ wtbhook fixtures import real.ndjson --dir my-fixtures          the newest event of each type
  $ wtbhook fixtures import real.ndjson --dir my-fixtures --all    every distinct shape
  $ wtbhook send topic.created --fixtures my-fixtures --to http://localhost:3000/webhooks

The input is a recording of "wtbhook listen --record", NDJSON of events, or JSON files. Each
fixture is the event's bytes as received, with email addresses, names and free text replaced
by placeholders of the same shape (--no-redact keeps them). The newest event of a type is
DIR/<type>.json; with --all, its other shapes are DIR/<type>.shape-2.json and so on. Existing
files are kept unless --force. Exit codes: 0 done, 2 the input could not be read or DIR written,
70 a bug in wtbhook.`;

interface FixturesFlags {
  fixtures?: string;
}

interface ImportFlags {
  dir: string;
  all?: boolean;
  redact: boolean;
  force?: boolean;
}

export function registerFixtures(command: Command, ctx: CliContext): void {
  const fixtures = command
    .option("--fixtures <dir>", "your own fixtures: DIR/<type>.json before the built-in one (default: $WTBHOOK_FIXTURES)")
    .addHelpText("after", EXAMPLES)
    .action(async (type: string | undefined, flags: FixturesFlags) => {
      const dir = await fixtureDirFrom(flags.fixtures, ctx);
      const [catalog, own] = await Promise.all([import("../catalog/catalog.js"), import("../catalog/fixtures.js")]);
      if (type === undefined) {
        const { formatFixtureList } = await import("../format/catalog-text.js");
        const ownTypes = dir ? own.ownFixtureTypes(dir) : undefined;
        ctx.stdout.write(formatFixtureList(catalog.eventCatalogue(), ctx.style.out, ownTypes && { dir: dir!.name, types: ownTypes }));
      } else {
        const fixture = own.resolveFixture(type, dir);
        // `wtbhook fixtures user.created > my-fixtures/user.created.json` with my-fixtures as the
        // fixture folder: the shell emptied the file before it was read, as `cat f > f` does.
        if (fixture.path !== undefined && ctx.stdout.writesTo?.(fixture.path) === true) {
          const emptied = fixture.bytes.length === 0 ? ": the shell emptied it before wtbhook could read it" : "";
          throw new WtbhookError(`${fixture.source} is the fixture and also the output${emptied}`, {
            code: "no-input",
            hint: "Write the fixture to another file.",
          });
        }
        // Which fixture, on stderr: stdout is the exact bytes `send` puts on the wire.
        if (dir) ctx.stderr.write(`${fixture.source} (${fixture.own ? "your fixture" : `built-in; ${dir.name} has no ${type}.json`})\n`);
        ctx.stdout.write(fixture.bytes);
      }
      ctx.setExitCode(ExitCode.ok);
    });
  fixtures
    .command("import")
    .description("Save real events (a listen recording, NDJSON, event files) as your own fixtures in a folder.")
    .argument("<paths...>", "recordings or event files; - reads standard input")
    .requiredOption("--dir <dir>", "the folder to write DIR/<type>.json to (created if missing)")
    .option("--all", "every distinct shape of each type, not only the newest event")
    .option("--no-redact", "keep email addresses, names and free text as they are")
    .option("--force", "replace fixtures that exist")
    .addHelpText("after", IMPORT_EXAMPLES)
    .action(async (paths: string[], flags: ImportFlags) => {
      const [{ importFixtures }, { formatImport }] = await Promise.all([
        import("../drift/import-fixtures.js"),
        import("../format/fixtures-import.js"),
      ]);
      const result = await importFixtures(paths, {
        cwd: ctx.cwd,
        stdin: () => ctx.stdin,
        signal: ctx.signal,
        dir: flags.dir,
        all: flags.all === true,
        redact: flags.redact,
        force: flags.force === true,
      });
      ctx.stderr.write(formatImport(result, ctx.style.err));
      ctx.setExitCode(ExitCode.ok);
    });
}
