// `wtbhook send`: flags → a delivery plan → pre-send check → deliveries (or a dry run) → reporter.
import type { Command } from "commander";

import type { CliContext } from "../context.js";
import { parseDuration } from "../duration.js";
import type { FixtureDir } from "../catalog/fixtures.js";
import { ExitCode, WtbhookError } from "../errors.js";
import { fixtureDirFrom } from "./fixtures.js";
import type { ProblemView } from "../format/send-pretty.js";

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

/** The URL a dry run shows when no target was given. */
const PLACEHOLDER_TARGET = "http://your-endpoint.example/webhooks";

interface SendFlags {
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

export function registerSend(program: Command, ctx: CliContext): void {
  program
    .command("send")
    .description("Deliver events to your webhook endpoint exactly as Website Toolbox would.")
    .argument("[types...]", "event types to send (fixtures), e.g. user.created")
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
      const { buildHeaders, parseIdMode, parseRetry, parseTarget, takeUrlCredentials } = await import("./send-flags.js");
      const { parseWholeNumber } = await import("./flag-values.js");
      const pretty = await import("../format/send-pretty.js");
      const { layoutFor } = await import("../terminal/line.js");
      const style = ctx.style.err;
      const layout = await layoutFor(ctx.stderr);
      if (flags.scenario === "list") {
        const { listScenarios } = await import("../delivery/scenarios.js");
        ctx.stdout.write(pretty.formatScenarioList(listScenarios(), ctx.style.out, await layoutFor(ctx.stdout)));
        return;
      }
      const ids = parseIdMode(flags.id, flags.sameId === true);
      const fixtures = await fixturesFrom(flags, ctx);
      const { planSend, createInputReader } = await import("../delivery/send-plan.js");
      const items = await planSend(
        {
          types,
          all: flags.all === true,
          data: flags.data,
          scenario: flags.scenario,
          from: flags.from,
          typeFilter: flags.type ?? [],
          eventIds: (flags.eventId ?? []).map((text) => parseWholeNumber(text, "--event-id")),
          recordedHeaders: flags.recordedHeaders === true,
          set: flags.set ?? [],
          unset: flags.unset ?? [],
          ids,
          fixtures,
        },
        createInputReader(ctx.cwd, ctx.stdin),
      );
      if (fixtures) {
        const fromFixtures = items.flatMap((item) =>
          item.fixture ? [{ source: item.source, type: item.type, fixture: item.fixture }] : [],
        );
        ctx.stderr.write(layout.wrap(pretty.formatFixtureSources(fromFixtures, fixtures.name, style)));
      }
      const targetSource = ctx.sourceOf("to");
      const targetText = flags.to;
      const placeholder = flags.dryRun === true && (targetText === undefined || targetText.trim() === "");
      const target = placeholder ? new URL(PLACEHOLDER_TARGET) : parseTarget(targetText, targetSource);
      const authorization = takeUrlCredentials(target, targetSource);
      const headers = buildHeaders(ctx.version, flags.header ?? [], { authorization });
      if (flags.recordedHeaders) {
        for (const item of items) {
          const recorded = item.recordedHeaders && { headers: item.recordedHeaders, source: item.source };
          if (recorded) item.headers = buildHeaders(ctx.version, flags.header ?? [], { authorization, recorded });
        }
      }
      const timeoutMs = parseDuration(flags.timeout, "--timeout");
      const repeat = parseWholeNumber(flags.repeat, "--repeat", { min: 1 });
      const concurrency = parseWholeNumber(flags.concurrency, "--concurrency", { min: 1 });
      const retry = parseRetry(flags);
      for (const item of items) ctx.stderr.write(layout.wrap(pretty.formatOverrides(item.source, item.applied, style)));
      if (flags.validate) {
        const checks = (await import("../delivery/check.js")).checkPlan(items, ids);
        const view = (f: (typeof checks)[number]): ProblemView => ({ source: f.item.source, type: f.type, problems: f.problems });
        const invalid = checks.filter((check) => !check.valid);
        if (invalid.length > 0) {
          ctx.stderr.write(layout.wrap(pretty.formatProblems(invalid.map(view), style)));
          return ctx.setExitCode(ExitCode.failed);
        }
        ctx.stderr.write(layout.wrap(pretty.formatWarnings(checks.map(view), style)));
      }
      if (flags.dryRun) {
        const { formatRequestJson } = await import("../format/send-json.js");
        // The same bodies, ids included, that a run would send first.
        const bodyFor = (await import("../delivery/bodies.js")).createBodyFor(ids);
        for (const item of items) {
          const request = { method: "POST", url: target, headers: item.headers ?? headers, body: bodyFor(item).body };
          ctx.stdout.write(flags.json ? formatRequestJson(request) : `${pretty.formatRequest(request, ctx.stdout.isTTY === true)}\n`);
        }
        if (placeholder)
          ctx.stderr.write(`${style.dim(layout.wrap(`(dry run without --to or WTBHOOK_TO: ${PLACEHOLDER_TARGET} is a placeholder)`))}\n`);
        if (repeat > 1)
          ctx.stderr.write(`${style.dim(layout.wrap(`(dry run: each request would be sent ${repeat} times, each with its own id)`))}\n`);
        return;
      }
      const { proxyFromEnv } = await import("../http/transport.js");
      const { runDeliveries } = await import("../delivery/run.js");
      const { createSendReporter } = await import("./send-reporter.js");
      const reporter = createSendReporter({
        stdout: ctx.stdout,
        stderr: ctx.stderr,
        style,
        json: flags.json === true,
        total: items.length * repeat,
        verbose: flags.verbose === true,
        layout,
      });
      const summary = await runDeliveries({
        target,
        headers,
        items,
        repeat,
        concurrency,
        retry,
        timeoutMs,
        insecure: flags.insecure === true,
        ids,
        proxy: proxyFromEnv(ctx.env),
        signal: ctx.signal,
        onAttempt: (report) => reporter.attempt(report),
        onRetryWait: (report, waitMs) => reporter.retryWait(report, waitMs),
        onDelivery: (done, total) => reporter.delivered(done, total),
      });
      reporter.finish();
      if (summary.deliveries > 1 || summary.attempts > 1 || summary.interrupted)
        ctx.stderr.write(layout.wrap(pretty.formatSummary(summary, style)));
      ctx.setExitCode(summary.failed === 0 && summary.notFinished === 0 ? ExitCode.ok : ExitCode.failed);
    });
}

/**
 * The user's fixture folder: --fixtures, else WTBHOOK_FIXTURES. The flag makes no sense with --data
 * or --from (their events are the user's own already); the variable is simply not used there.
 */
async function fixturesFrom(flags: SendFlags, ctx: CliContext): Promise<FixtureDir | undefined> {
  if (flags.fixtures !== undefined && (flags.data !== undefined || flags.from !== undefined)) {
    throw new WtbhookError(
      `--fixtures applies to event types, --all and --scenario, not to ${flags.data !== undefined ? "--data" : "--from"}`,
      {
        code: "bad-flag",
      },
    );
  }
  if (flags.data !== undefined || flags.from !== undefined || flags.scenario === "list") return undefined;
  return fixtureDirFrom(flags.fixtures, ctx);
}
