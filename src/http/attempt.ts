// One HTTP attempt as Website Toolbox makes it: POST, no redirects followed, a bounded read of the
// answer, one timeout over headers and body, and every failure classified into one clear line.

import { STATUS_CODES } from "node:http";
import { createRequire } from "node:module";

import type { Dispatcher, EnvHttpProxyAgent, Pool } from "undici";

import { formatDuration } from "../duration.js";
import { WtbhookError } from "../errors.js";

/** Proxy settings read from HTTP_PROXY / HTTPS_PROXY / NO_PROXY by the caller. */
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

/** What went wrong with an attempt that got no usable answer. */
export type FaultKind = "refused" | "reset" | "timeout" | "dns" | "tls" | "closed" | "interrupted" | "proxy" | "protocol" | "other";

export interface AttemptOutcome {
  /** HTTP status when an answer's headers arrived. */
  status: number | undefined;
  /** True only for a 2xx answer whose body was read without error. */
  ok: boolean;
  /** From sending the request to the end of the (bounded) answer or the failure. */
  ms: number;
  /** One line saying why the attempt failed; undefined when ok. */
  error: string | undefined;
  fault: FaultKind | undefined;
  /** The Location header of a 3xx answer, which is never followed. */
  location: string | undefined;
  /** The first bytes of the answer's body (at most `keepBytes`). */
  body: Buffer;
  /** Bytes of the body read before stopping. */
  bodyBytes: number;
  /** True when the body was longer than `maxBodyBytes` and the connection was dropped. */
  truncated: boolean;
}

export interface AttemptOptions {
  /** Per attempt, covering headers and body; 0 = no limit. @default 30000 */
  timeoutMs?: number;
  /** Stops every attempt in flight (Ctrl+C). */
  signal?: AbortSignal | undefined;
  /** Read at most this much of the answer, then drop the connection. @default 65536 */
  maxBodyBytes?: number;
  /** Keep this much of the answer for display. @default 1024 */
  keepBytes?: number;
}

/** Sends one request to the target and resolves with how it ended; never rejects. */
export type Attempter = (headers: Record<string, string>, body: Buffer) => Promise<AttemptOutcome>;

const EMPTY = Buffer.alloc(0);

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|ERR_OSSL)/;

function errorCode(error: unknown): string | undefined {
  const value = error as { code?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof value?.code === "string" && value.code !== "ERR_AGGREGATE") return value.code;
  if (Array.isArray(value?.errors)) {
    for (const inner of value.errors) {
      const code = errorCode(inner);
      if (code) return code;
    }
  }
  return value?.cause !== undefined && value.cause !== error ? errorCode(value.cause) : undefined;
}

/** The peer a socket or DNS error names (`address`/`port`, or `hostname`), searched like errorCode. */
function errorPeer(error: unknown, depth = 0): { address?: string; port?: number; hostname?: string } | undefined {
  const value = error as { address?: unknown; port?: unknown; hostname?: unknown; errors?: unknown[]; cause?: unknown };
  if (value === null || typeof value !== "object" || depth > 5) return undefined;
  if (typeof value.address === "string" && typeof value.port === "number") return { address: value.address, port: value.port };
  if (typeof value.hostname === "string") return { hostname: value.hostname };
  for (const inner of Array.isArray(value.errors) ? value.errors : []) {
    const peer = errorPeer(inner, depth + 1);
    if (peer) return peer;
  }
  return value.cause !== undefined && value.cause !== error ? errorPeer(value.cause, depth + 1) : undefined;
}

/**
 * "proxy 127.0.0.1:1" when a proxy is in use and the error names another peer than the target
 * (the proxy refused or could not be resolved), else undefined: the target is to blame.
 */
function proxyPeer(error: unknown, target: URL): string | undefined {
  const peer = errorPeer(error);
  if (!peer) return undefined;
  if (peer.hostname !== undefined) return peer.hostname === target.hostname.replace(/^\[|\]$/g, "") ? undefined : `proxy ${peer.hostname}`;
  const targetPort = Number(target.port || (target.protocol === "https:" ? 443 : 80));
  if (peer.port === targetPort) return undefined;
  const address = peer.address!.includes(":") ? `[${peer.address}]` : peer.address;
  return `proxy ${address}:${peer.port}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface FailureContext {
  target: URL;
  phase: "connect" | "body";
  timedOut: boolean;
  interrupted: boolean;
  timeoutMs: number;
  bodyBytes: number;
  /** True when the request goes through HTTP_PROXY / HTTPS_PROXY. */
  proxied?: boolean;
}

/** Turns a transport error into one line a person can act on. */
export function classifyFailure(error: unknown, context: FailureContext): { fault: FaultKind; message: string } {
  const where = context.target.host;
  if (context.timedOut) {
    const limit = formatDuration(context.timeoutMs);
    return context.phase === "body"
      ? { fault: "timeout", message: `timed out after ${limit} while reading the response body` }
      : { fault: "timeout", message: `timed out after ${limit} waiting for a response from ${where}` };
  }
  if (context.interrupted) return { fault: "interrupted", message: "interrupted" };
  const code = errorCode(error) ?? "";
  const message = errorMessage(error);
  // Through a proxy, a refused connection or an unknown host may be the proxy's, not the target's.
  const proxy = context.proxied ? proxyPeer(error, context.target) : undefined;
  if (code === "ECONNREFUSED") {
    if (proxy) return { fault: "proxy", message: `connection refused by ${proxy} (from HTTP_PROXY / HTTPS_PROXY)` };
    return { fault: "refused", message: `connection refused by ${where}` };
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME" || code === "EAI_FAIL") {
    if (proxy) return { fault: "proxy", message: `cannot resolve ${proxy} (DNS ${code}; from HTTP_PROXY / HTTPS_PROXY)` };
    return { fault: "dns", message: `cannot resolve ${context.target.hostname} (DNS ${code})` };
  }
  if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT") {
    return { fault: "timeout", message: `timed out connecting to ${where}` };
  }
  if (code === "EMFILE" || code === "ENFILE") {
    // Not the target's fault: this process ran out of file descriptors (load mode, low ulimit -n).
    return { fault: "other", message: `too many open files on this machine (${code}): lower --concurrency or raise ulimit -n` };
  }
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "ERR_SSL_PACKET_LENGTH_TOO_LONG") {
    // OpenSSL's own text is a multi-line dump; the usual cause is an https:// URL for a plain HTTP server.
    return { fault: "tls", message: `TLS handshake with ${where} failed: it did not answer in TLS (is it an http:// server?)` };
  }
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(message)) {
    const hint = /self[- ]signed|unable to verify|UNABLE_TO_VERIFY/i.test(`${code} ${message}`) ? "; --insecure accepts it" : "";
    return {
      fault: "tls",
      message: `TLS handshake with ${where} failed: ${message}${code && !message.includes(code) ? ` (${code})` : ""}${hint}`,
    };
  }
  if (/proxy/i.test(message)) return { fault: "proxy", message: `proxy failed: ${message}` };
  if (context.phase === "body") {
    return { fault: "closed", message: `connection closed mid-response after ${context.bodyBytes} bytes of the body` };
  }
  if (code === "ECONNRESET" || code === "EPIPE") {
    return { fault: "reset", message: `connection reset by ${where} before it answered` };
  }
  if (code === "UND_ERR_SOCKET" || code === "UND_ERR_CLOSED") {
    return { fault: "closed", message: `connection closed by ${where} before it answered` };
  }
  if (code.startsWith("HPE_") || code === "UND_ERR_INFO") {
    return { fault: "protocol", message: `invalid HTTP response from ${where}: ${message}` };
  }
  return { fault: "other", message: `${message}${code ? ` (${code})` : ""}` };
}

/** Why a non-2xx status is a failure, in Website Toolbox's terms. */
export function statusFailure(status: number, location: string | undefined): string {
  const text = `${status} ${STATUS_CODES[status] ?? ""}`.trim();
  if (status >= 300 && status < 400) {
    return location === undefined
      ? `${text}: a 3xx is a failure (redirects are not followed)`
      : `${text}: redirect to ${location} not followed; a 3xx is a failure`;
  }
  return `${text}: only a 2xx counts as delivered`;
}

class StopAttempt extends Error {}

interface AttemptSettings {
  target: URL;
  timeoutMs: number;
  maxBodyBytes: number;
  keepBytes: number;
  inFlight: Set<OneAttempt>;
  proxied: boolean;
}

/**
 * One attempt, as an undici dispatch handler. A class rather than closures because load mode
 * makes tens of thousands of these and each closure is an allocation.
 */
class OneAttempt implements Dispatcher.DispatchHandler {
  private readonly started = performance.now();
  private controller: Dispatcher.DispatchController | undefined;
  private done = false;
  private phase: "connect" | "body" = "connect";
  private status: number | undefined;
  private location: string | undefined;
  private first: Buffer | undefined;
  private chunks: Buffer[] | undefined;
  private kept = 0;
  private total = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly settings: AttemptSettings;
  private readonly resolve: (outcome: AttemptOutcome) => void;

  constructor(settings: AttemptSettings, resolve: (outcome: AttemptOutcome) => void) {
    this.settings = settings;
    this.resolve = resolve;
    settings.inFlight.add(this);
    if (settings.timeoutMs > 0) this.timer = setTimeout(() => this.fail(new StopAttempt("timeout"), true, false), settings.timeoutMs);
  }

  /** Ctrl+C: ends the attempt as interrupted. */
  interrupt(): void {
    this.fail(new StopAttempt("interrupted"), false, true);
  }

  private settle(outcome: AttemptOutcome): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.settings.inFlight.delete(this);
    this.resolve(outcome);
  }

  private stop(): void {
    const controller = this.controller;
    if (controller && !controller.aborted) controller.abort(new StopAttempt("stopped"));
  }

  private fail(error: unknown, timedOut: boolean, interrupted: boolean): void {
    if (this.done) return;
    const { target, timeoutMs, proxied } = this.settings;
    const context = { target, phase: this.phase, timedOut, interrupted, timeoutMs, bodyBytes: this.total, proxied };
    const { fault, message } = classifyFailure(error, context);
    this.settle({
      status: this.status,
      ok: false,
      ms: performance.now() - this.started,
      error: message,
      fault,
      location: this.location,
      body: EMPTY,
      bodyBytes: this.total,
      truncated: false,
    });
    this.stop();
  }

  private answered(truncated: boolean): void {
    const status = this.status;
    const ok = status !== undefined && status >= 200 && status < 300;
    this.settle({
      status,
      ok,
      ms: performance.now() - this.started,
      error: ok ? undefined : statusFailure(status ?? 0, this.location),
      fault: undefined,
      location: this.location,
      body: this.chunks ? Buffer.concat(this.chunks) : (this.first ?? EMPTY),
      bodyBytes: this.total,
      truncated,
    });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Settled while queued (timeout, Ctrl+C): drop it as soon as it reaches a socket.
    if (this.done) this.stop();
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (statusCode < 200) return;
    this.status = statusCode;
    this.phase = "body";
    const raw = headers["location"];
    this.location = Array.isArray(raw) ? raw[0] : raw;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.done) return;
    this.total += chunk.length;
    const { keepBytes, maxBodyBytes } = this.settings;
    if (this.kept < keepBytes) {
      const slice = chunk.length > keepBytes - this.kept ? chunk.subarray(0, keepBytes - this.kept) : chunk;
      if (this.first === undefined) this.first = slice;
      else (this.chunks ??= [this.first]).push(slice);
      this.kept += slice.length;
    }
    if (this.total > maxBodyBytes) {
      // Enough: a consumer that answers with a gigabyte does not get it read.
      this.answered(true);
      this.stop();
    }
  }

  onResponseEnd(): void {
    this.answered(false);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error, false, false);
  }
}

/**
 * Makes the function that sends one POST and reports how it ended. Never rejects for network
 * trouble: every failure is an outcome with a one-line `error`. Built on undici's dispatch API
 * (no stream per response, one listener on `signal` for all attempts) because load mode sends
 * tens of thousands of these.
 */
export function createAttempter(transport: Transport, target: URL, options: AttemptOptions = {}): Attempter {
  const settings: AttemptSettings = {
    target,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxBodyBytes: options.maxBodyBytes ?? 65_536,
    keepBytes: options.keepBytes ?? 1024,
    inFlight: new Set(),
    proxied: transport.proxied,
  };
  const signal = options.signal;
  const origin = target.origin;
  const path = `${target.pathname}${target.search}`;
  signal?.addEventListener(
    "abort",
    () => {
      for (const attempt of [...settings.inFlight]) attempt.interrupt();
    },
    { once: true },
  );
  const dispatcher = transport.dispatcher;
  return (headers, body) =>
    new Promise<AttemptOutcome>((resolve) => {
      const attempt = new OneAttempt(settings, resolve);
      if (signal?.aborted) return attempt.interrupt();
      dispatcher.dispatch({ origin, path, method: "POST", headers, body, headersTimeout: 0, bodyTimeout: 0 }, attempt);
    });
}
