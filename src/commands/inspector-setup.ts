// The inspector's wiring shared by `listen` and `inspect`: the facts each event shows (as listen
// prints them), the headers a replay sends (as `send --recorded-headers` would), and proxies.

import { statSync } from "node:fs";
import { resolve } from "node:path";

import type { CliContext } from "../context.js";
import { WtbhookError } from "../errors.js";
import { eventFacts } from "../format/listen-facts.js";
import { proxyFromEnv } from "../http/transport.js";
import { History } from "../inspector/history.js";
import { startInspector, type Inspector, type InspectorOptions } from "../inspector/server.js";
import type { ListenSession, ListenSessionOptions } from "../receiver/session.js";
import { terminalSafe } from "../terminal/safe-text.js";
import type { InspectorPort } from "./listen-options.js";
import { buildHeaders } from "./send-flags.js";

export interface ServeOptions {
  history: History;
  port: InspectorPort;
  info: InspectorOptions["info"];
  /** Per replay; 0 = no limit. */
  timeoutMs: number;
  insecure: boolean;
}

/**
 * The folder Save as fixture writes `<type>.json` into: `--fixtures`, else `$WTBHOOK_FIXTURES`,
 * relative to the folder wtbhook runs in; null when neither is set (the page downloads instead).
 * @throws WtbhookError (exit 2) when it is not an existing folder.
 */
export function fixturesFolder(ctx: CliContext, flag: string | undefined): string | null {
  // WTBHOOK_FIXTURES and the config file fill --fixtures in (cli.ts); sourceOf says which gave it.
  const given = flag;
  if (given === undefined) return null;
  const name = ctx.sourceOf("fixtures");
  const dir = resolve(ctx.cwd, given);
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    // Missing or unreadable: said below.
  }
  if (!isFolder) {
    throw new WtbhookError(`${name} ${terminalSafe(given)}: no such folder`, {
      code: "unreadable-input",
      hint: "Create it first: Save as fixture writes <type>.json into an existing folder.",
    });
  }
  return dir;
}

/** Starts the inspector over `history` on 127.0.0.1. @throws WtbhookError (exit 2) when the port asked for is taken. */
export function serveInspector(ctx: CliContext, options: ServeOptions): Promise<Inspector> {
  return startInspector({
    history: options.history,
    info: options.info,
    port: options.port.port,
    fallback: options.port.fallback,
    factsOf: eventFacts,
    replayHeaders: (recorded) =>
      buildHeaders(ctx.version, [], recorded === undefined ? {} : { recorded: { headers: recorded, source: "the recorded request" } }),
    replay: { timeoutMs: options.timeoutMs, insecure: options.insecure, proxy: proxyFromEnv(ctx.env) },
  });
}

/**
 * The inspector of a listen run: its history (this run's requests, and with --record the
 * recording's earlier ones, read in the background once listen is up) and its server.
 */
export async function startListenInspector(
  ctx: CliContext,
  options: ListenSessionOptions,
  port: InspectorPort,
  fixtures: string | null,
): Promise<{ history: History; inspector: Inspector; started: (session: ListenSession) => void }> {
  const history = new History({ recording: options.record });
  // What the recording holds before this run; what listen appends from now on comes as this run's events.
  let end = 0;
  try {
    end = options.record === undefined ? 0 : statSync(options.record).size;
  } catch {
    // Not there yet: nothing earlier to show.
  }
  const info = {
    mode: "listen" as const,
    version: ctx.version,
    receiving: null as string | null,
    publicUrl: null as string | null,
    replayTo: options.forwardTo ?? null,
    recordings: options.record === undefined ? [] : [options.record],
    fixtures,
  };
  const inspector = await serveInspector(ctx, {
    history,
    port,
    info,
    timeoutMs: options.forwardTimeoutMs,
    insecure: options.forwardInsecure,
  });
  return {
    history,
    inspector,
    started: (session) => {
      info.receiving = session.localUrl;
      info.publicUrl = session.publicUrl ?? null;
      if (options.record !== undefined && end > 0) {
        const file = options.record;
        history.loadWith(
          import("../inspector/load-recordings.js")
            .then(({ loadRecordings }) => loadRecordings(history, [file], { numbering: "before-run", end }))
            .then(
              () => undefined,
              (error: unknown) =>
                void ctx.stderr.write(
                  `${ctx.style.err.yellow("⚠")} the inspector could not read the earlier events of ${terminalSafe(file)}: ${terminalSafe((error as Error).message)}\n`,
                ),
            ),
        );
      }
    },
  };
}
