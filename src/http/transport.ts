// The outbound HTTP transport: a keep-alive pool to one origin, or a proxy-aware agent from
// HTTP_PROXY / HTTPS_PROXY / NO_PROXY, with optional acceptance of any certificate (--insecure).

import { createRequire } from "node:module";

import type { Dispatcher, EnvHttpProxyAgent, Pool } from "undici";

import { WtbhookError } from "../errors.js";

export interface ProxySettings {
  httpProxy?: string | undefined;
  httpsProxy?: string | undefined;
  noProxy?: string | undefined;
}

export interface TransportOptions {
  /** Connections kept open to the target (use the concurrency). @default 1 */
  connections?: number;
  /** Accept any certificate on an https target. @default false */
  insecure?: boolean;
  /** Route through a proxy when any setting is non-empty. */
  proxy?: ProxySettings | undefined;
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

const require = createRequire(import.meta.url);

/**
 * undici's Pool. The index also loads fetch, WebSocket, caches and mocks (about 150 ms of
 * start-up), so the pool module is required directly, falling back to the index if a later
 * undici moves it. The proxy agent needs the index (it calls the `connect` API the index adds).
 */
function loadPool(): typeof Pool {
  try {
    const direct = require("undici/lib/dispatcher/pool.js") as unknown;
    if (typeof direct === "function") return direct as typeof Pool;
  } catch {
    // Moved in this undici version: use the public entry.
  }
  return (require("undici") as { Pool: typeof Pool }).Pool;
}

/** A keep-alive connection pool to the target's origin, or a proxy-aware agent when a proxy is set. */
export function createTransport(target: URL, options: TransportOptions = {}): Transport {
  const connections = Math.max(1, options.connections ?? 1);
  const connect = options.insecure ? { rejectUnauthorized: false } : undefined;
  const proxy = options.proxy;
  let dispatcher: Dispatcher;
  let proxied = false;
  if (proxy && (proxy.httpProxy || proxy.httpsProxy)) {
    const { EnvHttpProxyAgent: ProxyAgent } = require("undici") as { EnvHttpProxyAgent: typeof EnvHttpProxyAgent };
    proxied = true;
    // Empty strings (not undefined) so that undici never falls back to process.env.
    dispatcher = new ProxyAgent({
      httpProxy: proxy.httpProxy ?? "",
      httpsProxy: proxy.httpsProxy ?? "",
      noProxy: proxy.noProxy ?? "",
      connections,
      ...(connect ? { connect, requestTls: connect } : {}),
    });
  } else {
    const PoolClass = loadPool();
    dispatcher = new PoolClass(target.origin, { connections, pipelining: 1, ...(connect ? { connect } : {}) });
  }
  let closing: Promise<void> | undefined;
  return {
    dispatcher,
    proxied,
    close: () => (closing ??= dispatcher.destroy().catch(() => undefined)),
  };
}
