// The HTTP receiver behind `wtbhook listen`: raw bytes in, an answer out, a ReceivedEvent per request.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import { WtbhookError } from "../errors.js";
import type { Recording } from "../record/recording.js";
import { receiverUrls, shownHost } from "./addresses.js";
import { sendReply, sendReplyUnread, type Reply } from "./answer.js";
import { BodyBudget, DEFAULT_MAX_BODY, DEFAULT_MAX_BYTES_IN_FLIGHT, readBody } from "./body.js";
import { answerClientError } from "./client-error.js";
import { DEFAULT_REMEMBER_IDS, DeliveryCounter, failFirstReply } from "./deliveries.js";
import type { Forwarder } from "./forward.js";
import { loadForwarder, replyFromForward } from "./forwarding.js";
import { exactText, inspectBody, newEvent } from "./inspect.js";
import { BurstRelease } from "./release-memory.js";
import type { ReceivedEvent, StrayRequest } from "./types.js";
import { now } from "../clock.js";

export interface ReceiverOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 4010 */
  port?: number;
  /** The receiving path; other paths get 404. @default "/" */
  path?: string;
  /** Largest body accepted, in bytes; a larger one gets 413 and is not read. @default 1 MiB */
  maxBody?: number;
  /** Most bytes of request bodies held at once; a request past it gets 503 and is not read. @default 64 MiB */
  maxBytesInFlight?: number;
  /** The status sent when not forwarding. @default 200 */
  status?: number;
  /** Answer 500 to the first N deliveries of each event id (forwarded all the same). @default 0 */
  failFirst?: number;
  /** Forward every event to this URL and answer with the app's status. */
  forwardTo?: string | undefined;
  /** 0 waits forever. @default 30000 */
  forwardTimeoutMs?: number;
  /** Accept any certificate on an https app. @default false */
  forwardInsecure?: boolean;
  /** Where each request is recorded before it is answered. */
  recording?: Recording | undefined;
  /** Time a sender has to send its headers. @default 10000 */
  headersTimeoutMs?: number;
  /** Time a sender has to send the whole request. @default 30000 */
  requestTimeoutMs?: number;
  /**
   * How many event ids are remembered to spot redeliveries (and for --fail-first); past that,
   * the ids first seen longest ago are forgotten. @default 100000
   */
  rememberIds?: number;
  /**
   * How long close() lets requests in flight finish by themselves. Then forwards still waiting
   * for the app are cut and their senders answered 502, and the remaining connections closed.
   * @default 5000
   */
  closeGraceMs?: number;
  onEvent?: (event: ReceivedEvent) => void;
  onStray?: (request: StrayRequest) => void;
  /** Malformed HTTP, timeouts, resets: the connection is answered or closed, and this is told why. */
  onClientError?: (code: string) => void;
}

export interface Receiver {
  /** The local URL of the receiving path. */
  readonly url: string;
  /** Every URL that reaches the receiving path: `url` alone, or on a wildcard host, one per interface (`url` first). */
  readonly urls: readonly string[];
  readonly port: number;
  /** Where to connect to reach the receiver ("127.0.0.1:4010", "[::1]:4010"), for the tunnel. */
  readonly address: string;
  /** Stops accepting, lets requests in flight finish (bounded), then closes; a second call returns the same promise. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4010;

/** How long close() gives the senders of cut forwards to get their 502 before the last connections are closed. */
const ANSWER_CUT_MS = 500;

const TEXT = "text/plain; charset=utf-8";
const NOT_JSON: Reply = { status: 400, by: "wtbhook", contentType: TEXT, body: "wtbhook: the body is not JSON\n" };
const NOT_RECORDED: Reply = { status: 500, by: "wtbhook", contentType: TEXT, body: "wtbhook: could not record\n" };

function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const q = raw.indexOf("?");
  return q < 0 ? raw : raw.slice(0, q);
}

function delay(ms: number): { done: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { done, cancel: () => clearTimeout(timer) };
}

/**
 * Starts the receiver and resolves once it listens.
 * @throws WtbhookError (exit 2) when the port is taken or the address cannot be used.
 */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/";
  const maxBody = options.maxBody ?? DEFAULT_MAX_BODY;
  const release = new BurstRelease();
  const budget = new BodyBudget(options.maxBytesInFlight ?? DEFAULT_MAX_BYTES_IN_FLIGHT, release);
  const failFirst = options.failFirst ?? 0;
  const recording = options.recording;
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 30_000, headersTimeout);
  const forwarder: Forwarder | undefined = options.forwardTo
    ? await loadForwarder(options.forwardTo, { timeoutMs: options.forwardTimeoutMs ?? 30_000, insecure: options.forwardInsecure ?? false })
    : undefined;
  const deliveries = new DeliveryCounter(options.rememberIds ?? DEFAULT_REMEMBER_IDS);
  // The same answer for every event when not forwarding: made once, read only.
  const plainReply: Reply = { status: options.status ?? 200, by: "wtbhook" };
  let seq = 0;
  let closing = false;
  /**
   * Requests read to the end and not yet answered and reported (checking, forwarding, recording).
   * close() waits for them: a sender that hung up leaves no connection behind, yet its event
   * still gets the app's answer, a line and a recording.
   */
  let active = 0;
  const whenIdle: (() => void)[] = [];
  const idle = (): Promise<void> => (active === 0 ? Promise.resolve() : new Promise((resolve) => whenIdle.push(resolve)));

  const server: Server = createServer({
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(headersTimeout / 4))),
  });

  /** Hands an event to the caller; a hook that throws must not take the receiver down with it. */
  const report = (event: ReceivedEvent): void => {
    try {
      options.onEvent?.(event);
    } catch (error) {
      options.onClientError?.(`internal: ${(error as Error).message}`);
    }
  };

  /** Answers (unless the sender has gone) and reports one request. */
  const answerAndReport = (res: ServerResponse, event: ReceivedEvent, reply: Reply): void => {
    if (!res.destroyed) sendReply(res, reply, closing);
    report(event);
  };

  /**
   * Records (when recording), answers and reports one request read to the end, then calls
   * `done`. The line is in the file before the answer is sent; a line that could not be written
   * completely is not in the file, and is answered 500.
   */
  const finish = (res: ServerResponse, event: ReceivedEvent, started: number, chosen: Reply, done: () => void): void => {
    event.answer.ms = now() - started;
    event.answer.by = chosen.by;
    // A sender that hung up (while the app took its time) gets nothing: say so, not what it would have got.
    event.answer.status = res.destroyed ? undefined : chosen.status;
    if (!recording) {
      answerAndReport(res, event, chosen);
      done();
      return;
    }
    const answered = (reply: Reply): void => {
      try {
        answerAndReport(res, event, reply);
      } catch (error) {
        failed(res, error);
      } finally {
        done();
      }
    };
    recording
      .add({
        time: event.time,
        method: event.method,
        path: event.path,
        headers: event.headers,
        body: event.body,
        answer: event.answer,
        type: event.type,
        id: event.id,
        text: exactText(event),
      })
      .then(
        (offset) => {
          event.recordOffset = offset;
          answered(chosen);
        },
        (error: unknown) => {
          // Not in the file, so no 2xx: answered 500, and still shown and counted.
          event.recordError = (error as Error).message;
          event.answer.by = "wtbhook";
          if (event.answer.status !== undefined) event.answer.status = 500;
          answered(NOT_RECORDED);
        },
      );
  };

  /** Checks, forwards, records and answers one request whose body was read to the end; `done` once it is answered. */
  const handle = (req: IncomingMessage, res: ServerResponse, time: Date, started: number, body: Buffer, done: () => void): void => {
    const event = inspectBody(++seq, req, time, body);
    if (event.outcome === "not-json") return finish(res, event, started, NOT_JSON, done);
    if (event.id !== undefined) event.delivery = deliveries.count(event.id);
    // --fail-first decides what the sender gets; with --forward-to the app still gets every delivery.
    const failing = event.id !== undefined && event.delivery <= failFirst ? failFirstReply(failFirst, event.delivery, event.id) : undefined;
    if (!forwarder) return finish(res, event, started, failing ?? plainReply, done);
    forwarder
      .forward(req.rawHeaders, event.method, body)
      .then((forwarded) => {
        event.forward = forwarded.outcome;
        finish(res, event, started, failing ?? replyFromForward(forwarded), done);
      })
      .catch((error: unknown) => {
        failed(res, error);
        done();
      });
  };

  /** A body that was not read (over --max-body, or over the budget for bodies in flight): answered and reported, not recorded. */
  const refuse = (req: IncomingMessage, res: ServerResponse, time: Date, started: number, why: "too-large" | "busy"): void => {
    const reply: Reply =
      why === "too-large"
        ? { status: 413, by: "wtbhook", contentType: TEXT, body: `wtbhook: body over ${maxBody} bytes\n` }
        : { status: 503, by: "wtbhook", contentType: TEXT, body: `wtbhook: busy, ${budget.max} bytes of bodies in flight; try again\n` };
    sendReplyUnread(req, res, reply);
    const event = newEvent(++seq, req, time, Buffer.alloc(0), "", why, reply.status);
    event.answer.ms = now() - started;
    report(event);
  };

  const failed = (res: ServerResponse, error: unknown): void => {
    // An internal error while handling a request: the sender must not see a 2xx for it.
    if (!res.headersSent && !res.destroyed) sendReply(res, NOT_RECORDED, closing);
    options.onClientError?.(`internal: ${(error as Error).message}`);
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const started = now();
    const time = new Date();
    if (pathOf(req.url) !== path || req.method !== "POST") {
      const status = pathOf(req.url) !== path ? 404 : 405;
      if (status === 405) res.setHeader("allow", "POST");
      sendReply(res, { status, by: "wtbhook" }, closing);
      req.resume();
      options.onStray?.({ time, method: req.method ?? "", path: req.url ?? "", status });
      return;
    }
    readBody(req, maxBody, budget, (result) => {
      if (result.kind !== "body") {
        refuse(req, res, time, started, result.kind);
        return;
      }
      active++;
      let finished = false;
      const done = (): void => {
        if (finished) return;
        finished = true;
        budget.give(result.held);
        if (--active === 0) for (const resolve of whenIdle.splice(0)) resolve();
      };
      try {
        handle(req, res, time, started, result.body, done);
      } catch (error) {
        failed(res, error);
        done();
      }
    });
  });

  // A sender that asks before sending its body (Expect: 100-continue) is told 413 at once when the
  // declared body is over the limit, instead of "100 Continue" and then 413.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    if (!(Number(req.headers["content-length"]) > maxBody)) res.writeContinue();
    server.emit("request", req, res);
  });

  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    options.onClientError?.(answerClientError(error, socket));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `${host}:${options.port ?? DEFAULT_PORT}`;
      const message =
        error.code === "EADDRINUSE"
          ? `port ${options.port ?? DEFAULT_PORT} is already in use on ${host}`
          : `cannot listen on ${where}: ${error.message}`;
      reject(
        new WtbhookError(message, {
          code: "cannot-listen",
          hint: error.code === "EADDRINUSE" ? "Pick another port with -p, or -p 0 for any free port." : undefined,
          cause: error,
        }),
      );
    };
    server.once("error", onError);
    server.listen({ host, port: options.port ?? DEFAULT_PORT, backlog: 2048 }, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const urls = receiverUrls(host, port, path);

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      release.stop();
      // Stops accepting; the callback comes once every connection has ended. Idle keep-alive
      // connections end now, busy ones after their answer (sent with Connection: close).
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = delay(options.closeGraceMs ?? 5_000);
      await Promise.race([Promise.all([serverClosed, idle()]), grace.done]);
      grace.cancel();
      if (forwarder) {
        // Forwards still waiting for the app are cut: each ends at once with a 502, which is
        // recorded and sent on the sender's connection, still open, before connections are closed.
        await forwarder.close();
        const answered = delay(ANSWER_CUT_MS);
        await Promise.race([idle(), answered.done]);
        answered.cancel();
      }
      server.closeAllConnections();
      await idle();
      await serverClosed;
    })();
    return closed;
  };

  return { url: urls[0]!, urls, port, address: `${shownHost(host)}:${port}`, close };
}
