// `wtbhook inspect`: the inspector's page and API over recordings, without listening.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";

import type { Command } from "commander";

import type { CliContext } from "../context.js";
import { parseDuration } from "../duration.js";
import { ExitCode, WtbhookError } from "../errors.js";
import { terminalSafe } from "../terminal/safe-text.js";

const EXAMPLES = `
Examples:
  $ wtbhook inspect events.ndjson                     (a listen --record file)
  $ wtbhook inspect monday.ndjson tuesday.ndjson --to http://localhost:3000/webhooks
  $ wtbhook inspect events.ndjson --ui-port 0 --json | jq -r .inspector

Open the URL it prints: the page lists the recorded requests, shows each one's headers, body and
schema problems, and replays them (to --to, or any URL typed in). Nothing new arrives. The newest
10,000 requests are kept.`;

interface InspectFlags {
  to?: string;
  uiPort?: string;
  timeout: string;
  insecure?: boolean;
  json?: boolean;
  fixtures?: string;
}

export function registerInspect(command: Command, ctx: CliContext): void {
  command
    .option("--to <url>", "where Replay sends by default (default: $WTBHOOK_TO)")
    .option("--ui-port <port>", "the inspector's port on 127.0.0.1 (default 4011, or a free one if taken; 0 = a free one)")
    .option("--timeout <duration>", "per replay, connect, headers and body; 0 = no limit", "30s")
    .option("--insecure", "accept a self-signed certificate when replaying to https")
    .option("--fixtures <dir>", "where Save as fixture writes <type>.json (default: $WTBHOOK_FIXTURES; else it downloads)")
    .option("--json", 'print the ready line as JSON: {"kind":"ready","inspector":…,"events":…}')
    .addHelpText("after", EXAMPLES)
    .action(async (recordings: string[], flags: InspectFlags) => {
      const { resolveUiPort } = await import("./listen-options.js");
      const { parseHttpUrl } = await import("./flag-values.js");
      const port = resolveUiPort(flags.uiPort);
      const toText = flags.to ?? (ctx.env["WTBHOOK_TO"] || undefined);
      const replayTo = toText === undefined ? null : parseHttpUrl(toText, flags.to !== undefined ? "--to" : "WTBHOOK_TO").href;
      const timeoutMs = parseDuration(flags.timeout, "--timeout");
      const files = recordings.map((file) => resolve(ctx.cwd, file));
      for (const [i, file] of files.entries()) {
        if (!existsSync(file)) throw new WtbhookError(`${recordings[i]}: no such file`, { code: "unreadable-input" });
        if (!statSync(file).isFile()) throw new WtbhookError(`${recordings[i]} is not a file`, { code: "unreadable-input" });
      }
      const { History } = await import("../inspector/history.js");
      const { loadRecordings } = await import("../inspector/load-recordings.js");
      const { fixturesFolder, serveInspector } = await import("./inspector-setup.js");
      const fixtures = fixturesFolder(ctx, flags.fixtures);
      const history = new History();
      const loaded = await loadRecordings(history, files, { numbering: "from-one" });
      const info = {
        mode: "inspect" as const,
        version: ctx.version,
        receiving: null,
        publicUrl: null,
        replayTo,
        recordings,
        fixtures,
      };
      const inspector = await serveInspector(ctx, { history, port, info, timeoutMs, insecure: flags.insecure === true });
      if (flags.json) ctx.stdout.write(`${JSON.stringify({ kind: "ready", inspector: inspector.url, events: loaded.loaded })}\n`);
      const err = ctx.style.err;
      const held = loaded.truncated ? ` (the newest ${history.capacity.toLocaleString("en-US")}; older ones are not shown)` : "";
      const skipped =
        loaded.skipped > 0 ? `; ${loaded.skipped} line${loaded.skipped === 1 ? "" : "s"} skipped (not a recorded request)` : "";
      ctx.stderr.write(
        `${err.green("Ready!")} Inspecting ${recordings.map(terminalSafe).join(", ")}: ${loaded.loaded} request${loaded.loaded === 1 ? "" : "s"}${held}${skipped}\n` +
          `  Inspector: ${err.bold(inspector.url)}${inspector.fellBack ? ` ${err.dim(`(port ${port.port} was taken)`)}` : ""}\n` +
          `  ${err.dim("Press Ctrl+C to stop.")}\n`,
      );
      if (!ctx.signal.aborted) await new Promise((done) => ctx.signal.addEventListener("abort", done, { once: true }));
      await inspector.close();
      ctx.stderr.write("Stopped.\n");
      ctx.setExitCode(ExitCode.ok);
    });
}
