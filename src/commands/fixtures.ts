// `wtbhook fixtures`: list the event types with one line each, or print one fixture's exact bytes.
import type { Command } from "commander";

import type { CliContext } from "../context.js";
import { ExitCode } from "../errors.js";

const EXAMPLES = `
Examples:
  $ wtbhook fixtures                             every event type, in catalogue order
  $ wtbhook fixtures post.created                the fixture; send delivers these bytes with a fresh id
  $ wtbhook fixtures user.created | jq .data.object.userId
  $ wtbhook fixtures topic.created > my-topic.json && wtbhook validate my-topic.json

The fixtures tell one consistent story: john (181855) registers, maria pays for Paid Access and
starts a topic, john replies in it (pending, then approved), and they talk in a conversation.
fixtures/user.created.json is the example from Website Toolbox's help page, unchanged.`;

export function registerFixtures(program: Command, ctx: CliContext): void {
  program
    .command("fixtures")
    .description("List the event types, or print the example event (fixture) of one type.")
    .argument("[type]", "an event type, such as post.created")
    .addHelpText("after", EXAMPLES)
    .action(async (type: string | undefined) => {
      const catalog = await import("../catalog/catalog.js");
      if (type === undefined) {
        const { formatFixtureList } = await import("../format/catalog-text.js");
        ctx.stdout.write(formatFixtureList(catalog.eventCatalogue(), ctx.style.out));
      } else {
        // Raw bytes: exactly what `send` puts on the wire.
        ctx.stdout.write(catalog.loadFixture(type));
      }
      ctx.setExitCode(ExitCode.ok);
    });
}
