// The outbound HTTP transport of `send` and `listen --forward-to`: a keep-alive pool to one origin,
// or a proxy-aware agent from HTTP_PROXY / HTTPS_PROXY / NO_PROXY, with optional acceptance of any
// certificate (--insecure). Connections still being set up are cut on close().

import type { Socket } from "node:net";

import type { buildConnector, Dispatcher, EnvHttpProxyAgent, Pool } from "undici";

import { WtbhookError } from "../errors.js";
import { requireCjs } from "../require-cjs.js";

export interface ProxySettings {
  httpProxy?: string | undefined;
  httpsProxy?: string | undefined;
  noProxy?: string | undefined;
}

export interface TransportOptions {
  /** Connections kept open to the target (use the concurrency); 0 = as many as requests in flight. @default 1 */
  connections?: number;
  /** Accept any certificate on an https target. @default false */
  insecure?: boolean;
  /** Route through a proxy when any setting is non-empty. */
  proxy?: ProxySettings | undefined;
  /** Give up on a connection (TCP and TLS handshake) not set up within this; 0 = undici's 10 s. @default 0 */
  connectTimeoutMs?: number;
}

export interface Transport {
  readonly dispatcher: Dispatcher;
  readonly proxied: boolean;
  /** Closes every connection; safe to call twice. */
  close(): Promise<void>;
}

/**
 * A proxy URL from the environment. Like curl, a value without a scheme (`proxy:3128`) means
 * http://; undici would otherwise throw "Invalid URL" from deep inside the first request.
 * @throws WtbhookError (exit 2) naming the variable when the value is not an http(s) URL.
 */
function proxyUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.includes("://") ? value.trim() : `http://${value.trim()}`;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new WtbhookError(`${name} "${value}" is not a proxy URL wtbhook can use`, {
      code: "bad-proxy",
      hint: `Set it to a URL such as http://proxy.example.com:3128, or unset ${name}.`,
    });
  }
  return text;
}

/** Proxy settings from an environment (lower-case names win, as curl does). */
export function proxyFromEnv(env: Readonly<Record<string, string | undefined>>): ProxySettings | undefined {
  const pick = (name: string): [string, string | undefined] => {
    const lower = name.toLowerCase();
    const upper = name.toUpperCase();
    return env[lower] ? [lower, env[lower]] : [upper, env[upper] || undefined];
  };
  const [httpName, http] = pick("http_proxy");
  const [httpsName, https] = pick("https_proxy");
  const settings = { httpProxy: proxyUrl(httpName, http), httpsProxy: proxyUrl(httpsName, https), noProxy: pick("no_proxy")[1] };
  return settings.httpProxy || settings.httpsProxy ? settings : undefined;
}

/**
 * A module of undici by its path. The index also loads fetch, WebSocket, caches and mocks (about
 * 150 ms of start-up), so the pieces are required directly, falling back to the index if a later
 * undici moves them.
 */
function loadUndici<T>(path: string, name: string): T {
  try {
    const direct = requireCjs(`undici/lib/${path}`);
    if (typeof direct === "function") return direct as T;
  } catch {
    // Moved in this undici version: use the public entry.
  }
  return (requireCjs("undici") as Record<string, T>)[name]!;
}

type Connector = ReturnType<typeof buildConnector>;
/** What undici's connector really is: it returns the socket it is setting up (its types say void). */
type SocketConnector = (options: Parameters<Connector>[0], callback: (error: Error | null, socket: Socket | null) => void) => Socket;

const CONTINUE = Buffer.from("HTTP/1.1 100");

/**
 * Drops an interim `100 Continue` head that a server sends unasked before its real answer. undici
 * never sends `Expect: 100-continue`, so it takes such a head for a broken response and closes the
 * connection, where curl and Website Toolbox read on to the final status. Only the first bytes
 * read after a request was written are looked at (pipelining is 1: the answer starts there).
 */
function skipUnaskedContinue(socket: Socket): void {
  const read = socket.read.bind(socket);
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let awaitingHead = false;
  let held: Buffer | undefined;
  const wrapped = (...args: unknown[]): boolean => {
    awaitingHead = true;
    return write(...args);
  };
  socket.write = wrapped;
  socket.read = ((size?: number) => {
    let chunk = read(size) as Buffer | null;
    if (!awaitingHead || chunk === null) return chunk;
    if (held) {
      chunk = Buffer.concat([held, chunk]);
      held = undefined;
    }
    for (;;) {
      // "HTTP/1.0 100" or "HTTP/1.1 100": compare all but the minor version digit.
      const head = Math.min(chunk.length, CONTINUE.length);
      let same = true;
      for (let i = 0; i < head && same; i++) same = i === 7 || chunk[i] === CONTINUE[i];
      if (!same) break;
      const end = chunk.indexOf("\r\n\r\n");
      if (chunk.length < CONTINUE.length || end < 0) {
        // The interim head is not complete yet: wait for the rest (reading resumes on new data).
        held = chunk;
        return null;
      }
      chunk = chunk.subarray(end + 4);
      if (chunk.length === 0) return null;
    }
    awaitingHead = false;
    return chunk;
  }) as typeof socket.read;
}

/**
 * undici's connector, wrapped: it skips unasked `100 Continue` heads, and it keeps the sockets that
 * are still connecting, so that close() can cut a TCP connect or TLS handshake that hangs (undici
 * itself leaves it running until its connect timeout, which kept the process alive for seconds).
 */
function trackedConnector(options: Parameters<typeof buildConnector>[0]): { connect: SocketConnector; cutPending: () => void } {
  const base = loadUndici<typeof buildConnector>("core/connect.js", "buildConnector")(options) as unknown as SocketConnector;
  const pending = new Set<Socket>();
  const connect: SocketConnector = (opts, callback) => {
    // `settled` rather than the socket itself: the callback must not depend on when base() returns.
    const state = { settled: false, socket: undefined as Socket | undefined };
    state.socket = base(opts, (error, connected) => {
      state.settled = true;
      if (state.socket) pending.delete(state.socket);
      if (connected) skipUnaskedContinue(connected);
      callback(error, connected);
    });
    if (!state.settled) pending.add(state.socket);
    return state.socket;
  };
  return {
    connect,
    cutPending: () => {
      for (const socket of pending) socket.destroy(new Error("the transport was closed while connecting"));
      pending.clear();
    },
  };
}

/** A keep-alive connection pool to the target's origin, or a proxy-aware agent when a proxy is set. */
export function createTransport(target: URL, options: TransportOptions = {}): Transport {
  const connections = options.connections === 0 ? null : Math.max(1, options.connections ?? 1);
  const tls = options.insecure ? { rejectUnauthorized: false } : undefined;
  const connectTimeout = options.connectTimeoutMs ? options.connectTimeoutMs : undefined;
  const proxy = options.proxy;
  let dispatcher: Dispatcher;
  let proxied = false;
  let cutPending = (): void => {};
  if (proxy && (proxy.httpProxy || proxy.httpsProxy)) {
    const { EnvHttpProxyAgent: ProxyAgent } = requireCjs("undici") as { EnvHttpProxyAgent: typeof EnvHttpProxyAgent };
    proxied = true;
    const connect = { ...tls, ...(connectTimeout ? { timeout: connectTimeout } : {}) };
    // Empty strings (not undefined) so that undici never falls back to process.env.
    dispatcher = new ProxyAgent({
      httpProxy: proxy.httpProxy ?? "",
      httpsProxy: proxy.httpsProxy ?? "",
      noProxy: proxy.noProxy ?? "",
      connections,
      connect,
      ...(tls ? { requestTls: connect } : {}),
    });
  } else {
    const PoolClass = loadUndici<typeof Pool>("dispatcher/pool.js", "Pool");
    const connector = trackedConnector({ ...tls, ...(connectTimeout ? { timeout: connectTimeout } : {}) });
    cutPending = connector.cutPending;
    dispatcher = new PoolClass(target.origin, { connections, pipelining: 1, connect: connector.connect as unknown as Connector });
  }
  let closing: Promise<void> | undefined;
  return {
    dispatcher,
    proxied,
    close: () => {
      closing ??= dispatcher.destroy().catch(() => undefined);
      cutPending();
      return closing;
    },
  };
}
