// `wtbhook send`: its flags and help; send-action.ts runs it.
import type { Command } from "commander";

import type { CliContext } from "../context.js";
import { collect } from "./flag-values.js";

const EXAMPLES = `
Examples:
  $ wtbhook send user.created --to http://localhost:3000/webhooks
  $ wtbhook send post.created --set data.object.message='<p>hi</p>' --dry-run
  $ wtbhook send user.created --retry --retry-interval 1s --max-attempts 5 --to http://localhost:3000/webhooks
  $ wtbhook send user.created --repeat 1000 --concurrency 16 --json --to http://localhost:3000/webhooks | jq .ms
  $ wtbhook send --scenario forum --to http://localhost:3000/webhooks     (--scenario list shows them all)
  $ wtbhook send --scenario ./my-story.json --to http://localhost:3000/webhooks
  $ wtbhook send --from events.ndjson --type user.created --to http://localhost:3000/webhooks   (listen --record events.ndjson)

--set paths are dotted (data.object.userGroups.0); the index one past an array's end appends.
Only a 2xx answer counts as delivered; 3xx (never followed), 4xx, 5xx, timeouts, resets and refused
connections are failures, as with Website Toolbox. --retry retries on its schedule: once an hour,
up to 72 times. Exit codes: 0 every delivery got a 2xx, 1 a delivery failed, 2 bad usage, 70 a bug in wtbhook.`;

export interface SendFlags {
  to?: string;
  all?: boolean;
  data?: string;
  scenario?: string;
  from?: string;
  type?: string[];
  eventId?: string[];
  recordedHeaders?: boolean;
  id?: string;
  sameId?: boolean;
  set?: string[];
  unset?: string[];
  header?: string[];
  validate: boolean;
  dryRun?: boolean;
  timeout: string;
  retry?: boolean;
  retryInterval?: string;
  maxAttempts?: string;
  repeat: string;
  concurrency: string;
  insecure?: boolean;
  json?: boolean;
  verbose?: boolean;
  fixtures?: string;
}

export function registerSend(command: Command, ctx: CliContext): void {
  command
    .option("--to <url>", "the endpoint to deliver to (default: $WTBHOOK_TO)")
    .option("--all", "send every event type, in catalogue order")
    .option("--data <file>", "send your own event, bytes and id as they are (- for stdin)")
    .option("--scenario <name|file>", "send a story of related events: a name (--scenario list) or your own file (./story.json)")
    .option(
      "--fixtures <dir>",
      "your own fixtures: DIR/<type>.json instead of the built-in one where it exists (default: $WTBHOOK_FIXTURES)",
    )
    .option("--from <file>", "replay a recording (listen --record) or NDJSON of events")
    .option("--type <type>", "with --from: only events of this type (repeatable)", collect)
    .option("--event-id <n>", "with --from: only the event with this envelope id (repeatable)", collect)
    .option("--recorded-headers", "with --from: send the recorded headers (hop-by-hop and Host dropped, Content-Length recomputed)")
    .option("--id <n>", "use this envelope id instead of a fresh one")
    .option("--same-id", "one fresh id per event, shared by its --repeat deliveries (test idempotency)")
    .option("--set <path=value>", "set a field, value as JSON or else a string (repeatable; index = length appends)", collect)
    .option("--unset <path>", "remove a field (repeatable)", collect)
    .option("-H, --header <header>", 'extra request header "Name: value" (repeatable)', collect)
    .option("--no-validate", "send even if the event does not match its schema")
    .option("--dry-run", "print the exact request and send nothing (--to optional)")
    .option("--timeout <duration>", "per attempt, connect, headers and body; 0 = no limit", "30s")
    .option("--retry", "retry failures on Website Toolbox's schedule (hourly, 72 retries)")
    .option("--retry-interval <duration>", "compress the hourly retry clock, e.g. 1s (implies --retry)")
    .option("--max-attempts <n>", "attempts in all, first included (default 73; implies --retry)")
    .option("--repeat <n>", "send everything N times, each with its own id", "1")
    .option("--concurrency <n>", "deliveries in flight at once", "1")
    .option("--insecure", "accept a self-signed certificate on an https target")
    .option("--json", "one JSON object per attempt on stdout")
    .option("-v, --verbose", "on a terminal, list every delivery even when they are more than a screenful")
    .addHelpText("after", EXAMPLES)
    .action(async (types: string[], flags: SendFlags) => {
      // One module for what every send does (flags, plan, check, dry run): fewer files at start-up.
      const { sendAction } = await import("./send-action.js");
      await sendAction(types, flags, ctx);
    });
}
