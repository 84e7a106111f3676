// `wtbhook check`: flags → the chosen checks → runChecks against the consumer → the report;
// exit 0 no failure (warnings allowed), 1 a check failed, 2 cannot run.
import { Option, type Command } from "commander";

import type { CliContext } from "../context.js";
import { ExitCode, WtbhookError } from "../errors.js";
import type { CheckFlags } from "./check-flags.js";
import { collect, fixtureDirFrom } from "./flag-values.js";

const EXAMPLES = `
Examples:
  $ wtbhook check --to http://localhost:3000/webhooks
  $ wtbhook check --list
  $ wtbhook check --only all-types,duplicate --to http://localhost:3000/webhooks
  $ WTBHOOK_TO=http://localhost:3000/webhooks wtbhook check --skip burst --format github

Each check sends what Website Toolbox really sends and judges the answers by its rules: only a
2xx is received; a 3xx is a failure and is never followed. Each failure comes with the
"wtbhook send" command that reproduces it. Ids are fresh on every run.
Exit codes: 0 no check failed (warnings allowed), 1 a check failed, 2 the checks could not run
(bad flag, nothing accepts connections at the target), 70 a bug in wtbhook.`;

export function registerCheck(command: Command, ctx: CliContext): void {
  command
    .option("--to <url>", "the endpoint to check (default: $WTBHOOK_TO)")
    .option("--only <ids>", "run only these checks, comma-separated (--list shows them)", collect)
    .option("--skip <ids>", "run all checks but these, comma-separated", collect)
    .option("--list", "list the checks with what each sends and when it passes")
    .option(
      "--timeout <duration>",
      "no answer within this is a failure (Website Toolbox's own limit is not documented); 0 = no limit",
      "10s",
    )
    .option("--slow <duration>", "warn about answers slower than this", "2s")
    .option("--burst <n>", "events the burst check sends at once", "20")
    .option("-H, --header <header>", 'extra request header "Name: value" (repeatable)', collect)
    .option("--insecure", "accept a self-signed certificate on an https target")
    .option(
      "--fixtures <dir>",
      "your own fixtures: DIR/<type>.json instead of the built-in one where it exists (default: $WTBHOOK_FIXTURES)",
    )
    .addOption(new Option("-f, --format <format>", "report format").choices(["text", "json", "github", "junit"]).default("text"))
    .addHelpText("after", EXAMPLES)
    .action(async (flags: CheckFlags) => {
      const { CHECKS, selectChecks } = await import("../check/checks.js");
      const { layoutFor } = await import("../terminal/line.js");
      if (flags.list) {
        const { formatCheckList } = await import("../format/check-pretty.js");
        ctx.stdout.write(formatCheckList(CHECKS, ctx.style.out, await layoutFor(ctx.stdout)));
        return;
      }
      const checks = selectChecks(flags.only ?? [], flags.skip ?? []);
      const { parseCheckTarget, parseThresholds } = await import("./check-flags.js");
      const thresholds = parseThresholds(flags);
      const { target, text, headers } = parseCheckTarget(flags, ctx.version, ctx.sourceOf("to"));
      const dir = await fixtureDirFrom(flags.fixtures, ctx);
      if (dir) {
        const [{ ownFixtureTypes }, { eventTypes }, { formatOwnFixtures }] = await Promise.all([
          import("../catalog/fixtures.js"),
          import("../catalog/catalog.js"),
          import("../format/catalog-text.js"),
        ]);
        ctx.stderr.write(formatOwnFixtures(dir.name, eventTypes(), ownFixtureTypes(dir), ctx.style.err));
      }
      const { createFixtureSource } = await import("../check/event-source.js");
      const [{ runChecks }, { proxyFromEnv }, { createCheckReporter }] = await Promise.all([
        import("../check/runner.js"),
        import("../http/transport.js"),
        import("./check-reporter.js"),
      ]);
      const reporter = await createCheckReporter({
        format: flags.format,
        out: (chunk) => ctx.stdout.write(chunk),
        style: ctx.style.out,
        target: target.href,
        ids: checks.map((check) => check.id),
        layout: flags.format === "text" ? await layoutFor(ctx.stdout) : undefined,
      });
      const report = await runChecks({
        ...thresholds,
        target,
        headers,
        command: { target: text, headers: flags.header ?? [], insecure: flags.insecure === true, fixtures: dir?.name },
        checks,
        source: createFixtureSource(dir),
        insecure: flags.insecure === true,
        proxy: proxyFromEnv(ctx.env),
        signal: ctx.signal,
        onResult: (result) => reporter.result(result),
      });
      reporter.finish(report);
      if (report.summary.interrupted) throw new WtbhookError("interrupted before every check was done", { code: "interrupted" });
      ctx.setExitCode(report.summary.failed > 0 ? ExitCode.failed : ExitCode.ok);
    });
}
