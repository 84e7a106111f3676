// `wtbhook send` once its flags are parsed: flags → a delivery plan → pre-send check → deliveries
// (or a dry run) → reporter. What every send needs is imported here; the deliveries' code (HTTP,
// the runner, the reporter) only when something is sent.
import type { FixtureDir } from "../catalog/fixtures.js";
import type { CliContext } from "../context.js";
import { checkPlan } from "../delivery/check.js";
import { createBodyFor } from "../delivery/bodies.js";
import { createInputReader, planSend } from "../delivery/send-plan.js";
import { parseDuration } from "../duration.js";
import { ExitCode, WtbhookError } from "../errors.js";
import { formatRequestJson } from "../format/send-json.js";
import * as pretty from "../format/send-pretty.js";
import type { ProblemView } from "../format/send-pretty.js";
import { layoutFor } from "../terminal/line.js";
import { fixtureDirFrom, parseWholeNumber } from "./flag-values.js";
import type { SendFlags } from "./send.js";
import { buildHeaders, parseIdMode, parseRetry, parseTarget, takeUrlCredentials } from "./send-flags.js";

/** The URL a dry run shows when no target was given. */
const PLACEHOLDER_TARGET = "http://your-endpoint.example/webhooks";

export async function sendAction(types: string[], flags: SendFlags, ctx: CliContext): Promise<void> {
  const style = ctx.style.err;
  const layout = await layoutFor(ctx.stderr);
  if (flags.scenario === "list") {
    const { listScenarios } = await import("../delivery/scenarios.js");
    ctx.stdout.write(pretty.formatScenarioList(listScenarios(), ctx.style.out, await layoutFor(ctx.stdout)));
    return;
  }
  const ids = parseIdMode(flags.id, flags.sameId === true);
  const fixtures = await fixturesFrom(flags, ctx);
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
    createInputReader(ctx.cwd, () => ctx.stdin),
  );
  if (fixtures) {
    const fromFixtures = items.flatMap((item) => (item.fixture ? [{ source: item.source, type: item.type, fixture: item.fixture }] : []));
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
    const checks = checkPlan(items, ids);
    const view = (f: (typeof checks)[number]): ProblemView => ({ source: f.item.source, type: f.type, problems: f.problems });
    const invalid = checks.filter((check) => !check.valid);
    if (invalid.length > 0) {
      ctx.stderr.write(layout.wrap(pretty.formatProblems(invalid.map(view), style)));
      return ctx.setExitCode(ExitCode.failed);
    }
    ctx.stderr.write(layout.wrap(pretty.formatWarnings(checks.map(view), style)));
  }
  if (flags.dryRun) {
    // The same bodies, ids included, that a run would send first.
    const bodyFor = createBodyFor(ids);
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
