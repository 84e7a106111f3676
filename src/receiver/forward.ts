// Forwards a received request to the developer's app (`--forward-to`) with its exact bytes and
// headers, through the same outbound HTTP module as `send` (transport, attempt, failure classes).

import { randomBytes } from "node:crypto";

import { createAttempter, type AttemptOutcome } from "../http/attempt.js";
import { endToEndHeaders } from "../http/headers.js";
import { createTransport } from "../http/transport.js";
import type { ForwardOutcome } from "./types.js";
import { now } from "../clock.js";

/**
 * Added to every forwarded request: the marks of each listen it went through. A request that
 * comes back with this listen's own mark went round in a loop (say, --forward-to the public
 * tunnel URL of the same listen) and is answered 508 instead of being forwarded again.
 */
export const VIA_HEADER = "Wtbhook-Via";
const VIA_NAME = VIA_HEADER.toLowerCase();

/** How much of the app's answer is kept as text for the event line. */
const BODY_START = 200;

/** How much of the app's answer body the outcome keeps for `listen -v`. */
export const SHOWN_ANSWER_BYTES = 4096;

/**
 * How much of the app's answer body is read and passed on to the sender. Senders only look at the
 * status; the cap keeps an app that streams without end (an SSE route, a file) from filling memory.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

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

export interface ForwarderOptions {
  /** The whole exchange (connect, headers, body) must finish within this; 0 waits forever (for breakpoints). @default 30000 */
  timeoutMs?: number;
  /** Accept any certificate on an https app (`listen --insecure`). @default false */
  insecure?: boolean;
}

type Failure = NonNullable<ForwardOutcome["failure"]>;

/** Why the app's answer could not be had, in the kinds listen shows, from the one failure classifier. */
function failureOf(outcome: AttemptOutcome): Failure {
  const message = outcome.error ?? "no answer";
  switch (outcome.fault) {
    case "interrupted":
      return { kind: "error", message: "wtbhook was stopped before the app answered" };
    case "timeout":
      return { kind: "timeout", message };
    case "tls":
      return { kind: "tls", message };
    case "refused":
    case "dns":
    case "proxy":
      return { kind: "unreachable", message };
    default:
      return { kind: "error", message };
  }
}

/** The text the sender gets with a 502 or 504, after the cause. */
function failureText(failure: Failure): string {
  switch (failure.kind) {
    case "timeout":
      return `wtbhook: the app did not answer in time (${failure.message})\n`;
    case "tls":
      return `wtbhook: the app was reached, but the TLS check failed (${failure.message})\n`;
    case "unreachable":
      return `wtbhook: the app could not be reached (${failure.message})\n`;
    default:
      return `wtbhook: the app gave no usable answer (${failure.message})\n`;
  }
}

function headerValue(headers: readonly string[] | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (let i = 0; i + 1 < headers.length; i += 2) if (headers[i]!.toLowerCase() === name) return headers[i + 1];
  return undefined;
}

/** Creates the forwarder for `url`, the app's URL. Nothing is connected until the first forward. */
export function createForwarder(url: string, options: ForwarderOptions = {}): Forwarder {
  const target = new URL(url);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const mark = randomBytes(6).toString("hex");
  const loopText = Buffer.from("wtbhook: forwarding loop (this request already passed through this listen)\n");
  // No proxy: the app is the developer's own, usually on this machine.
  const transport = createTransport(target, { connections: 0, insecure: options.insecure ?? false, connectTimeoutMs: timeoutMs });
  const stop = new AbortController();
  const attempt = createAttempter(transport, target, {
    timeoutMs,
    signal: stop.signal,
    maxBodyBytes: MAX_ANSWER_BYTES,
    keepBytes: MAX_ANSWER_BYTES,
    keepHeaders: true,
  });
  return {
    async forward(rawHeaders, method, body) {
      const started = now();
      const headers = endToEndHeaders(rawHeaders);
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
            ms: now() - started,
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
      const outcome = await attempt(headers, body, method);
      if (outcome.status === undefined || outcome.fault !== undefined) {
        // No answer, or one cut short: the sender must not take a partial answer for the app's.
        const failure = failureOf(outcome);
        return {
          status: failure.kind === "timeout" ? 504 : 502,
          contentType: "text/plain; charset=utf-8",
          body: Buffer.from(failureText(failure)),
          outcome: { url, status: undefined, ms: outcome.ms, bodyStart: "", failure },
        };
      }
      const answer = outcome.body;
      // A copy when the answer is large, so that the event does not hold on to a megabyte.
      const shown = answer.length > SHOWN_ANSWER_BYTES ? Buffer.from(answer.subarray(0, SHOWN_ANSWER_BYTES)) : answer;
      return {
        status: outcome.status,
        contentType: headerValue(outcome.headers, "content-type"),
        body: answer,
        outcome: {
          url,
          status: outcome.status,
          ms: outcome.ms,
          bodyStart: answer
            .subarray(0, BODY_START * 4)
            .toString("utf8")
            .slice(0, BODY_START),
          answer: {
            statusText: outcome.statusText ?? "",
            headers: outcome.headers ?? [],
            body: shown,
            bodyBytes: outcome.bodyBytes,
            truncated: outcome.truncated,
          },
        },
      };
    },
    async close() {
      // Called once requests in flight were given their time: whatever is still waiting is cut.
      stop.abort();
      await transport.close();
    },
  };
}
