// Why an HTTP exchange failed, as one line a person can act on: transport errors (refused, DNS,
// TLS, resets, proxies, timeouts) and statuses that Website Toolbox counts as failures.

import { formatDuration } from "../duration.js";
import { statusText } from "./status-text.js";

/** What went wrong with an attempt that got no usable answer. */
export type FaultKind = "refused" | "reset" | "timeout" | "dns" | "tls" | "closed" | "interrupted" | "proxy" | "protocol" | "other";

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
  if (code === "ERR_ASSERTION") {
    // undici's parser asserting on what the server sent (a status line it let through): not a sentence for people.
    return { fault: "protocol", message: `invalid HTTP response from ${where}: invalid status line` };
  }
  return { fault: "other", message: `${message}${code ? ` (${code})` : ""}` };
}

/** Why a non-2xx status is a failure, in Website Toolbox's terms. */
export function statusFailure(status: number, location: string | undefined): string {
  const text = `${status} ${statusText(status)}`.trim();
  if (status >= 300 && status < 400) {
    return location === undefined
      ? `${text}: a 3xx is a failure (redirects are not followed)`
      : `${text}: redirect to ${location} not followed; a 3xx is a failure`;
  }
  return `${text}: only a 2xx counts as delivered`;
}
