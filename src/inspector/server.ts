// The inspector's HTTP server: loopback only, the page's files, and the API behind the token.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import { WtbhookError } from "../errors.js";
import { changesState, handleApi, type ApiContext } from "./api.js";
import type { InspectorInfoBase } from "./api-types.js";
import { loadAssets } from "./assets.js";
import { DEFAULT_UI_PORT } from "./port.js";
import type { History } from "./history.js";
import type { ReplaySettings } from "./replay.js";
import { bearerToken, createToken, hostAllowed, originAllowed, tokenMatches } from "./security.js";
import { StreamHub } from "./stream.js";
import type { FactsOf } from "./views.js";

export { DEFAULT_UI_PORT } from "./port.js";

/** The inspector's one address: never another interface, so never the tunnel's or the network's. */
const HOST = "127.0.0.1";

export interface InspectorOptions {
  history: History;
  /**
   * What the page says it is looking at (mode, receiving URL, replay target, recordings, fixtures).
   * Read on each request, so fields known only later (listen's URLs) can be filled in after start.
   */
  info: InspectorInfoBase;
  /** 0 picks a free port. @default 4011 */
  port?: number;
  /** When the port is taken, serve on a free one instead of failing (for the default port, which nobody asked for). @default false */
  fallback?: boolean;
  /** @default a fresh random token */
  token?: string;
  /** The facts listen shows per event. */
  factsOf: FactsOf;
  /** @see ApiContext.replayHeaders */
  replayHeaders: ApiContext["replayHeaders"];
  replay?: ReplaySettings;
}

export interface Inspector {
  /** The page's URL with the token in its fragment (which browsers never send to a server). */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** True when the port asked for was taken and a free one is used instead. */
  readonly fellBack: boolean;
  /** Ends the streams and closes the server; a second call returns the same promise. */
  close(): Promise<void>;
}

/** Headers on every answer: nothing cached, sniffed, framed or referred; no CORS header ever. */
const COMMON_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
};

/** The page runs its own script and style only, and talks to its own origin only. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function listenOn(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once("error", onError);
    server.listen({ host: HOST, port }, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/**
 * Starts the inspector on 127.0.0.1 and resolves once it listens.
 * @throws WtbhookError (exit 2) when the port is taken (and no fallback was allowed).
 */
export async function startInspector(options: InspectorOptions): Promise<Inspector> {
  const token = options.token ?? createToken();
  const assets = loadAssets();
  const history = options.history;
  const stream = new StreamHub(history, options.factsOf);
  const stop = new AbortController();
  const context: ApiContext = {
    history,
    info: options.info,
    factsOf: options.factsOf,
    stream,
    replayHeaders: options.replayHeaders,
    replay: { ...options.replay, signal: stop.signal },
  };
  let port = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(COMMON_HEADERS)) res.setHeader(name, value);
    // Before anything else: a page on another site that rebound its name to 127.0.0.1 gets nothing.
    if (!hostAllowed(req.headers, port))
      return plain(res, 403, "wtbhook inspector: only http://127.0.0.1 or http://localhost on its port\n");
    const url = new URL(req.url ?? "/", `http://${HOST}:${port}`);
    if (url.pathname.startsWith("/api/")) {
      const presented = bearerToken(req.headers);
      if (presented === undefined || !tokenMatches(presented, token)) {
        res.setHeader("www-authenticate", 'Bearer realm="wtbhook inspector"');
        return plain(res, 401, "wtbhook inspector: the token is missing or wrong (open the URL listen printed)\n");
      }
      if (changesState(req.method) && !originAllowed(req.headers, port)) {
        return plain(res, 403, "wtbhook inspector: only its own page may change things\n");
      }
      void handleApi(context, req, res, url);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") return plain(res, 405, "wtbhook inspector: GET only\n", { allow: "GET, HEAD" });
    const asset = assets.get(url.pathname);
    if (!asset) {
      if (assets.size === 0) return plain(res, 500, "wtbhook inspector: the page is not built (npm run build)\n");
      return plain(res, 404, "wtbhook inspector: not found\n");
    }
    const headers: Record<string, string | number> = { "content-type": asset.type, "content-length": asset.body.length };
    if (url.pathname === "/") headers["content-security-policy"] = PAGE_CSP;
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : asset.body);
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  const wanted = options.port ?? DEFAULT_UI_PORT;
  let fellBack = false;
  try {
    await listenOn(server, wanted);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" && options.fallback) {
      fellBack = true;
      await listenOn(server, 0);
    } else {
      throw new WtbhookError(
        code === "EADDRINUSE"
          ? `--ui-port ${wanted} is already in use on ${HOST}`
          : `the inspector cannot listen on ${HOST}:${wanted}: ${(error as Error).message}`,
        {
          code: "cannot-listen",
          hint: "Pick another port with --ui-port (0 for any free one), or turn the inspector off with --no-ui.",
          cause: error,
        },
      );
    }
  }
  const address = server.address();
  port = typeof address === "object" && address ? address.port : 0;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}/#token=${token}`,
    port,
    token,
    fellBack,
    close() {
      closing ??= new Promise<void>((resolve) => {
        stop.abort();
        stream.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
