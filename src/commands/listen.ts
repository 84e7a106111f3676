// `wtbhook listen`: receive events, show and check them, forward and record them, optionally through a tunnel.
import { resolve } from "node:path";

import type { Command } from "commander";

import type { CliContext } from "../context.js";
import { ExitCode } from "../errors.js";
import { terminalSafe } from "../terminal/safe-text.js";
import type { ListenFlags } from "./listen-options.js";

const EXAMPLES = `
Examples:
  $ wtbhook listen                                   # http://127.0.0.1:4010/
  $ wtbhook listen --forward-to http://localhost:3000/webhooks
  $ wtbhook listen --tunnel                          # public URL via ngrok (NGROK_AUTHTOKEN)
  $ wtbhook listen --json --record events.ndjson | jq -c 'select(.kind == "event") | {type, id, valid}'
  $ wtbhook listen --fail-first 2 --events 'user.*,post.created'

Replay a recording with: wtbhook send --from events.ndjson`;

export function registerListen(command: Command, ctx: CliContext): void {
  command
    .option("--host <host>", "address to listen on (0.0.0.0 or :: for every interface)", "127.0.0.1")
    .option("-p, --port <port>", "port to listen on (0 picks a free one)", "4010")
    .option("--path <path>", 'receiving path; other paths get 404 (default "/", random under --tunnel)')
    .option("--status <code>", "status to answer when not forwarding (default: 200)")
    .option("--fail-first <n>", "answer 500 to the first N deliveries of each event id (still forwarded with --forward-to)")
    .option("--max-body <size>", "largest body accepted (413 above)", "1mb")
    .option("-f, --forward-to <url>", "forward each event to your app; the sender gets the app's status")
    .option("--forward-timeout <duration>", "how long the app may take (0 = no limit)", "30s")
    .option("--insecure", "with --forward-to https://: accept the app's self-signed certificate")
    .option("--record <file>", "append every request read on the receiving path to FILE (NDJSON, created 0600) before answering it")
    .option("--events <globs>", "show only these types, e.g. 'user.*,post.created'")
    .option("--json", "one JSON object per event on stdout")
    .option(
      "-v, --verbose",
      "also show headers, the payload pretty-printed (up to 32 KiB), the schema problems (up to 20) and the app's answer",
    )
    .option("--tunnel", "open a public HTTPS URL through ngrok")
    .option("--ngrok-authtoken <token>", "ngrok authtoken; prefer $NGROK_AUTHTOKEN (argv is visible in ps)")
    .option("--ngrok-domain <domain>", "a reserved ngrok domain for a stable URL")
    .option("--tunnel-timeout <duration>", "give up if the tunnel is not up by then", "20s")
    .option("--ui-port <port>", "the inspector's port on 127.0.0.1 (default 4011, or a free one if taken; 0 = a free one)")
    .option("--no-ui", "no inspector (web page and API)")
    .option("--fixtures <dir>", "where the inspector's Save as fixture writes <type>.json (default: $WTBHOOK_FIXTURES; else it downloads)")
    .addHelpText("after", EXAMPLES)
    .action(async (flags: ListenFlags) => {
      const { resolveListenOptions } = await import("./listen-options.js");
      const { compileEventFilter, unmatchedGlobs } = await import("../receiver/event-filter.js");
      const { startListenSession } = await import("../receiver/session.js");
      const { createBatchedWriter } = await import("../terminal/batched-writer.js");
      const { layoutFor } = await import("../terminal/line.js");
      const pretty = await import("../format/listen-pretty.js");
      const json = await import("../format/listen-json.js");
      const { session: options, view, inspector: uiPort } = resolveListenOptions(flags, ctx.env);
      // The inspector is loaded only when it serves; it starts first, so a taken --ui-port stops listen before anything else is opened.
      const setup = uiPort ? await import("./inspector-setup.js") : undefined;
      const ui =
        setup && uiPort ? await setup.startListenInspector(ctx, options, uiPort, setup.fixturesFolder(ctx, flags.fixtures)) : undefined;
      const shown = compileEventFilter(view.events);
      const out = ctx.style.out;
      const err = ctx.style.err;
      const [outLayout, errLayout] = await Promise.all([layoutFor(ctx.stdout), layoutFor(ctx.stderr)]);
      const status = (text: string): void => void ctx.stderr.write(errLayout.wrap(text));
      const warn = (message: string): void => status(`${err.yellow("⚠")} ${message}\n`);
      // Held back until the ready line is out (a tunnel can take seconds while the port already
      // answers): with --json the ready line must be the first line on stdout.
      const lines = createBatchedWriter(ctx.stdout, { held: true });
      // Under --tunnel the native SDK may keep the process alive (or be stuck): end it once done.
      if (options.tunnel) ctx.exitWhenDone();
      // Whether the app is up, checked while listen starts (bounded): a warning, never a refusal.
      const appCheck = options.forwardTo
        ? import("../http/probe.js").then(({ probeConnect }) => probeConnect(new URL(options.forwardTo!), 1_500))
        : undefined;
      // A relative --record is relative to the folder wtbhook runs in (ctx.cwd, not this process's).
      const sessionOptions = { ...options, record: options.record ? resolve(ctx.cwd, options.record) : options.record };
      let session;
      try {
        session = await startListenSession(sessionOptions, {
          env: ctx.env,
          signal: ctx.signal,
          onEvent: (event) => {
            ui?.history.add(event);
            if (event.outcome === "event" && !shown(event.type)) return;
            // Whatever a payload does to a formatter, the receiver goes on: the event was answered already.
            try {
              lines.write(
                view.json
                  ? json.formatEventJson(event)
                  : pretty.formatEventPretty(event, out, { verbose: view.verbose, layout: outLayout }),
              );
            } catch (error) {
              warn(`could not show request ${event.seq}: ${(error as Error).message}`);
            }
          },
          onStray: (request) => {
            if (!view.json && !options.tunnel) ctx.stderr.write(pretty.formatStrayPretty(request, options.path, err, errLayout));
          },
          onTunnelStatus: (tunnel) => status(`${err.yellow("tunnel")} ${tunnel === "online" ? "back online" : "lost, reconnecting…"}\n`),
          onWarning: warn,
        });
      } catch (error) {
        await ui?.inspector.close();
        if ((error as { kind?: string }).kind !== "aborted") throw error;
        lines.release();
        status("Stopped before the tunnel was up.\n");
        return;
      }
      const url = session.publicUrl ?? session.localUrl;
      if (ui) ui.started(session);
      if (view.json) ctx.stdout.write(json.formatReadyJson(url, session.localUrl, ui?.inspector.url));
      status(
        pretty.formatReady(
          {
            ...options,
            events: view.events,
            localUrl: session.localUrl,
            localUrls: session.localUrls,
            publicUrl: session.publicUrl,
            tunnelName: session.tunnelName,
            inspector: ui && { url: ui.inspector.url, takenPort: ui.inspector.fellBack ? uiPort?.port : undefined },
          },
          err,
        ),
      );
      if (view.events !== undefined) {
        const { eventTypes } = await import("../catalog/catalog.js");
        for (const glob of unmatchedGlobs(view.events, eventTypes())) {
          warn(`--events ${glob} matches no known event type (see wtbhook fixtures); only new, unknown types could match it.`);
        }
      }
      const appProblem = await appCheck;
      if (appProblem !== undefined) {
        warn(`The app at ${options.forwardTo} does not accept connections (${terminalSafe(appProblem)}): events get 502 until it does.`);
      }
      lines.release();
      if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
      // Requests in flight may take seconds (a slow app): say why nothing happens yet.
      const slow = setTimeout(() => status("Stopping: finishing the requests in flight (Ctrl+C again to quit at once)…\n"), 300);
      const { tunnelClosed } = await session.close();
      await ui?.inspector.close();
      clearTimeout(slow);
      lines.flush();
      const note = tunnelClosed ? undefined : "The tunnel did not close in time; wtbhook exits anyway.";
      status(pretty.formatSummary(session.stats, err, note));
      ctx.setExitCode(ExitCode.ok);
    });
}
