// Forwards a received request to the developer's app (`--forward-to`) with its exact bytes and headers.

import { randomBytes } from "node:crypto";

import { Agent, request } from "undici";

import { describeCause } from "../errors.js";
import type { ForwardOutcome } from "./types.js";

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus those undici sets itself. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "expect",
  "host",
]);

/**
 * Added to every forwarded request: the marks of each listen it went through. A request that
 * comes back with this listen's own mark went round in a loop (say, --forward-to the public
 * tunnel URL of the same listen) and is answered 508 instead of being forwarded again.
 */
export const VIA_HEADER = "Wtbhook-Via";
const VIA_NAME = VIA_HEADER.toLowerCase();

/** How much of the app's answer is kept for display. */
const BODY_START = 200;

/**
 * How much of the app's answer body is read and passed on to the sender. Senders only look at the
 * status; the cap keeps an app that streams without end (an SSE route, a file) from filling memory.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** Reads at most `max` bytes of a body, then stops reading (the rest is dropped with the connection). */
async function readCapped(body: AsyncIterable<Buffer>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys the stream, and with it the connection to the app.
  for await (const chunk of body) {
    const room = max - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      size = max;
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks, size);
}

export interface ForwardAnswer {
  outcome: ForwardOutcome;
  /** What the sender gets: the app's status and body, or 502/504 with a short text. */
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

export interface Forwarder {
  forward(rawHeaders: readonly string[], method: string, body: Buffer): Promise<ForwardAnswer>;
  close(): Promise<void>;
}

/**
 * The request headers to send on: raw names and order kept, repeated headers kept, hop-by-hop
 * headers (and any named in `Connection`) dropped, `Host` left for undici to set from the target.
 */
export function forwardHeaders(rawHeaders: readonly string[]): string[] {
  const drop = new Set(HOP_BY_HOP);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === "connection") {
      for (const token of rawHeaders[i + 1]!.split(",")) drop.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!drop.has(rawHeaders[i]!.toLowerCase())) out.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return out;
}

/**
 * OpenSSL's messages ("80EC…:error:0A00010B:SSL routines:ssl3_get_record:wrong version
 * number:../deps/openssl/…:350:\n") as a sentence: the reason, the code, and a hint for the
 * usual mistake (https:// to an app that speaks plain http).
 */
function tlsFailure(code: string, message: string): string {
  const reason = /:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/.exec(message)?.[1]?.trim() ?? message.trim();
  const hint = code === "ERR_SSL_WRONG_VERSION_NUMBER" ? "; does the app speak plain http? Then use http://" : "";
  return `TLS handshake failed: ${reason} (${code})${hint}`;
}

function failureOf(error: unknown, timedOut: boolean, timeoutMs: number): NonNullable<ForwardOutcome["failure"]> {
  if (timedOut) return { kind: "timeout", message: `no answer within ${timeoutMs}ms` };
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && code.startsWith("ERR_SSL_")) {
    return { kind: "unreachable", message: tlsFailure(code, error instanceof Error ? error.message : String(error)) };
  }
  const unreachable = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "EHOSTUNREACH", "UND_ERR_SOCKET", "UND_ERR_CLOSED"];
  if (typeof code === "string" && unreachable.includes(code)) return { kind: "unreachable", message: describeCause(error) };
  const cause = (error as { cause?: unknown })?.cause;
  if (cause && typeof (cause as { code?: unknown }).code === "string") return failureOf(cause, false, timeoutMs);
  return { kind: "error", message: describeCause(error) };
}

/**
 * @param url the app's URL
 * @param timeoutMs the whole exchange must finish within this; 0 waits forever (for breakpoints)
 */
export function createForwarder(url: string, timeoutMs: number): Forwarder {
  const target = new URL(url);
  const mark = randomBytes(6).toString("hex");
  const loopText = Buffer.from("wtbhook: forwarding loop (this request already passed through this listen)\n");
  const agent = new Agent({ headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 4_000 });
  let closed = false;
  return {
    async forward(rawHeaders, method, body) {
      const started = performance.now();
      const headers = forwardHeaders(rawHeaders);
      const via = headers.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === VIA_NAME);
      const marks = via < 0 ? [] : headers[via + 1]!.split(",").map((token) => token.trim());
      if (marks.includes(mark)) {
        return {
          status: 508,
          contentType: "text/plain; charset=utf-8",
          body: loopText,
          outcome: {
            url,
            status: undefined,
            ms: performance.now() - started,
            bodyStart: "",
            failure: {
              kind: "loop",
              message:
                "this request already passed through this listen: --forward-to leads back to it (508 Loop Detected, not forwarded again)",
            },
          },
        };
      }
      if (via < 0) headers.push(VIA_HEADER, mark);
      else headers[via + 1] = [...marks, mark].join(", ");
      const controller = new AbortController();
      let timedOut = false;
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true;
              controller.abort();
            }, timeoutMs)
          : undefined;
      try {
        const response = await request(target, {
          method: method as "POST",
          headers,
          body,
          dispatcher: agent,
          signal: controller.signal,
        });
        const answer = await readCapped(response.body, MAX_ANSWER_BYTES);
        const type = response.headers["content-type"];
        return {
          status: response.statusCode,
          contentType: Array.isArray(type) ? type[0] : type,
          body: answer,
          outcome: {
            url,
            status: response.statusCode,
            ms: performance.now() - started,
            bodyStart: answer
              .subarray(0, BODY_START * 4)
              .toString("utf8")
              .slice(0, BODY_START),
          },
        };
      } catch (error) {
        const failure = closed
          ? { kind: "error" as const, message: "wtbhook was stopped before the app answered" }
          : failureOf(error, timedOut, timeoutMs);
        const status = failure.kind === "timeout" ? 504 : 502;
        const text = failure.kind === "timeout" ? "wtbhook: the app did not answer in time\n" : "wtbhook: the app could not be reached\n";
        return {
          status,
          contentType: "text/plain; charset=utf-8",
          body: Buffer.from(text),
          outcome: { url, status: undefined, ms: performance.now() - started, bodyStart: "", failure },
        };
      } finally {
        if (timer) clearTimeout(timer);
      }
    },
    async close() {
      // Called once requests in flight were given their time: whatever is still waiting is cut.
      closed = true;
      await agent.destroy().catch(() => undefined);
    },
  };
}
