// The HTTP receiver behind `wtbhook listen`: raw bytes in, an answer out, a ReceivedEvent per request.

import { isUtf8 } from "node:buffer";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

import { WtbhookError } from "../errors.js";
import { formatRecordLine, headersJson, type RecordWriter } from "../record/record.js";
import { checkEvent } from "./check-event.js";
import { findSyntaxError, LineIndex } from "../json/text.js";
import type { Forwarder } from "./forward.js";
import type { JsonErrorLocation, ReceivedEvent, StrayRequest } from "./types.js";

type Reply = { status: number; by: ReceivedEvent["answer"]["by"]; contentType?: string | undefined; body?: Buffer | string | undefined };

export interface ReceiverOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 4010 */
  port?: number;
  /** The receiving path; other paths get 404. @default "/" */
  path?: string;
  /** Largest body accepted, in bytes; a larger one gets 413 and is not read. @default 1 MiB */
  maxBody?: number;
  /** The status sent when not forwarding. @default 200 */
  status?: number;
  /** Answer 500 to the first N deliveries of each event id. @default 0 */
  failFirst?: number;
  /** Forward every event to this URL and answer with the app's status. */
  forwardTo?: string | undefined;
  /** 0 waits forever. @default 30000 */
  forwardTimeoutMs?: number;
  /** Accept any certificate on an https app. @default false */
  forwardInsecure?: boolean;
  /** Where each request is recorded before it is answered. */
  recorder?: RecordWriter | undefined;
  /** Time a sender has to send its headers. @default 10000 */
  headersTimeoutMs?: number;
  /** Time a sender has to send the whole request. @default 30000 */
  requestTimeoutMs?: number;
  /**
   * How many event ids are remembered to spot redeliveries (and for --fail-first); past that,
   * the ids first seen longest ago are forgotten. @default 100000
   */
  rememberIds?: number;
  /** How long close() waits for requests in flight before cutting them. @default 5000 */
  closeGraceMs?: number;
  onEvent?: (event: ReceivedEvent) => void;
  onStray?: (request: StrayRequest) => void;
  /** Malformed HTTP, timeouts, resets: the connection is answered or closed, and this is told why. */
  onClientError?: (code: string) => void;
}

export interface Receiver {
  /** The local URL of the receiving path. */
  readonly url: string;
  readonly port: number;
  /** Where to connect to reach the receiver ("127.0.0.1:4010", "[::1]:4010"), for the tunnel. */
  readonly address: string;
  /** Stops accepting, lets requests in flight finish (bounded), then closes; a second call returns the same promise. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4010;
export const DEFAULT_MAX_BODY = 1024 * 1024;

/**
 * Where and why a body that JSON.parse refused stops being JSON, for the "not JSON" warning
 * (V8's own messages often leave out the position).
 */
export function locateJsonError(text: string, parserMessage: string): JsonErrorLocation {
  if (text.trim() === "") return { message: "empty body", offset: 0, line: 1, column: 1 };
  // The scanner and JSON.parse agree on what is JSON; should they ever not, the parser has the last word.
  const syntax = findSyntaxError(text) ?? { offset: 0, message: parserMessage };
  const { line, column } = new LineIndex(text).position(syntax.offset);
  return { message: syntax.message, offset: syntax.offset, line, column };
}

function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const q = raw.indexOf("?");
  return q < 0 ? raw : raw.slice(0, q);
}

/**
 * Starts the receiver and resolves once it listens.
 * @throws WtbhookError (exit 2) when the port is taken or the address cannot be used.
 */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/";
  const maxBody = options.maxBody ?? DEFAULT_MAX_BODY;
  const status = options.status ?? 200;
  const failFirst = options.failFirst ?? 0;
  const recorder = options.recorder;
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 30_000, headersTimeout);
  // undici is loaded only when forwarding.
  const forwarder: Forwarder | undefined = options.forwardTo
    ? (await import("./forward.js")).createForwarder(options.forwardTo, {
        timeoutMs: options.forwardTimeoutMs ?? 30_000,
        insecure: options.forwardInsecure ?? false,
      })
    : undefined;
  const deliveries = new Map<number, number>();
  const rememberIds = Math.max(1, options.rememberIds ?? 100_000);
  /**
   * Forwards in flight. close() waits for them as for connections: a sender that hung up leaves
   * no connection behind, yet its event still gets the app's answer, a line and a recording.
   */
  const forwards = new Set<Promise<void>>();
  let seq = 0;
  let closing = false;

  const server: Server = createServer({
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(headersTimeout / 4))),
  });

  const answer = (res: ServerResponse, code: number, headers: Record<string, string | number>, body?: Buffer | string): void => {
    // While closing, each answer ends its connection, so that close() only waits for requests in flight.
    if (closing) headers["connection"] = "close";
    // A known length: no chunked framing, and the sender can tell the answer is complete.
    headers["content-length"] = body === undefined ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.length;
    res.writeHead(code, headers);
    res.end(body);
  };

  /** Records, answers and reports one request whose body was read to the end. */
  // Recording lines of the requests completed in one turn of the event loop go out in one
  // write(2); only then are those requests answered. So every answer still follows its line.
  let batchLines = "";
  let batch: { res: ServerResponse; event: ReceivedEvent; reply: Reply }[] = [];
  const flushBatch = (): void => {
    if (batch.length === 0) return;
    const lines = batchLines;
    const done = batch;
    batchLines = "";
    batch = [];
    try {
      recorder?.append(lines);
    } catch (error) {
      // Not in the file, so no 2xx: each request is answered 500, and still shown and counted.
      const why = (error as Error).message;
      for (const item of done) {
        item.event.answer.status = 500;
        item.event.answer.by = "wtbhook";
        item.event.recordError = why;
        send(item.res, item.event, {
          status: 500,
          by: "wtbhook",
          contentType: "text/plain; charset=utf-8",
          body: "wtbhook: could not record\n",
        });
      }
      return;
    }
    for (const item of done) send(item.res, item.event, item.reply);
  };

  const send = (res: ServerResponse, event: ReceivedEvent, reply: Reply): void => {
    const headers: Record<string, string | number> = {};
    if (reply.contentType) headers["content-type"] = reply.contentType;
    answer(res, reply.status, headers, reply.body);
    options.onEvent?.(event);
  };

  /** Records, answers and reports one request whose body was read to the end. */
  const complete = (req: IncomingMessage, res: ServerResponse, event: ReceivedEvent, started: number, reply: Reply): void => {
    const ms = performance.now() - started;
    event.answer.status = reply.status;
    event.answer.ms = ms;
    event.answer.by = reply.by;
    if (!recorder) {
      send(res, event, reply);
      return;
    }
    if (batch.length === 0) setImmediate(flushBatch);
    // The decoder turns every invalid sequence into U+FFFD: text without one came from valid UTF-8.
    const text = event.text !== undefined && (!event.text.includes("\uFFFD") || isUtf8(event.body)) ? event.text : undefined;
    event.headersJson = headersJson(req.headers);
    batchLines += formatRecordLine({
      time: event.time,
      method: event.method,
      path: event.path,
      headers: req.headers,
      headersJson: event.headersJson,
      body: event.body,
      answer: { status: reply.status, ms },
      type: event.type,
      id: event.id,
      text,
    });
    batch.push({ res, event, reply });
  };

  /** One object literal with every field, so that all events share one shape. */
  const newEvent = (
    req: IncomingMessage,
    time: Date,
    body: Buffer,
    text: string,
    payload: unknown,
    outcome: ReceivedEvent["outcome"],
    status: number,
    ms: number,
  ): ReceivedEvent => ({
    seq: ++seq,
    time,
    method: req.method ?? "POST",
    path: req.url ?? "/",
    headers: req.headers,
    body,
    text,
    headersJson: undefined,
    outcome,
    payload,
    jsonError: undefined,
    type: undefined,
    id: undefined,
    knownType: false,
    check: undefined,
    delivery: 1,
    answer: { status, ms, by: "wtbhook" },
    forward: undefined,
    recordError: undefined,
  });

  function handleBody(req: IncomingMessage, res: ServerResponse, time: Date, started: number, body: Buffer): void {
    // Decoded once, for JSON.parse, the recording and the output alike.
    const text = body.toString("utf8");
    let payload: unknown;
    let parseError: string | undefined;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      parseError = (error as Error).message;
    }
    const event = newEvent(req, time, body, text, payload, "event", 0, 0);
    if (parseError !== undefined) {
      event.outcome = "not-json";
      event.jsonError = locateJsonError(text, parseError);
      // The decoder turned bytes that are not UTF-8 into U+FFFD: name the bytes, not the stand-in.
      if (text[event.jsonError.offset] === "\uFFFD" && !isUtf8(body)) {
        event.jsonError.message = "bytes that are not UTF-8 (shown as U+FFFD)";
      }
      complete(req, res, event, started, {
        status: 400,
        by: "wtbhook",
        contentType: "text/plain; charset=utf-8",
        body: "wtbhook: the body is not JSON\n",
      });
      return;
    }
    const facts = checkEvent(payload);
    event.type = facts.type;
    event.id = facts.id;
    event.knownType = facts.knownType;
    event.check = facts.check;
    if (facts.id !== undefined) {
      event.delivery = (deliveries.get(facts.id) ?? 0) + 1;
      // A Map keeps insertion order: the first key is the id first seen longest ago.
      if (event.delivery === 1 && deliveries.size >= rememberIds) deliveries.delete(deliveries.keys().next().value!);
      deliveries.set(facts.id, event.delivery);
      if (event.delivery <= failFirst) {
        const text = `wtbhook: --fail-first ${failFirst} (delivery ${event.delivery} of event ${facts.id})\n`;
        complete(req, res, event, started, { status: 500, by: "fail-first", contentType: "text/plain; charset=utf-8", body: text });
        return;
      }
    }
    if (!forwarder) {
      complete(req, res, event, started, plainReply);
      return;
    }
    const forwarding: Promise<void> = forwarder
      .forward(req.rawHeaders, event.method, body)
      .then((forwarded) => {
        event.forward = forwarded.outcome;
        const by = forwarded.outcome.status === undefined ? "wtbhook" : "app";
        complete(req, res, event, started, { status: forwarded.status, by, contentType: forwarded.contentType, body: forwarded.body });
      })
      .catch((error: unknown) => failed(res, error))
      .finally(() => forwards.delete(forwarding));
    forwards.add(forwarding);
  }

  // The same answer for every event when not forwarding: made once, read only.
  const plainReply: Reply = { status, by: "wtbhook" };

  /** A body over the limit: answered 413 and reported, not recorded. */
  const tooLarge = (req: IncomingMessage, res: ServerResponse, time: Date, started: number): void => {
    const ms = performance.now() - started;
    // Not read to the end: the connection is closed after the answer instead of draining it.
    res.shouldKeepAlive = false;
    answer(res, 413, { "content-type": "text/plain; charset=utf-8", connection: "close" }, `wtbhook: body over ${maxBody} bytes\n`);
    options.onEvent?.(newEvent(req, time, Buffer.alloc(0), "", undefined, "too-large", 413, ms));
  };

  /** An internal error while handling a request: the sender must not see a 2xx for it. */
  const failed = (res: ServerResponse, error: unknown): void => {
    if (!res.headersSent) answer(res, 500, { "content-type": "text/plain; charset=utf-8" }, "wtbhook: could not record\n");
    options.onClientError?.(`internal: ${(error as Error).message}`);
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const time = new Date();
    if (pathOf(req.url) !== path) {
      answer(res, 404, {});
      req.resume();
      options.onStray?.({ time, method: req.method ?? "", path: req.url ?? "", status: 404 });
      return;
    }
    if (req.method !== "POST") {
      answer(res, 405, { allow: "POST" });
      req.resume();
      options.onStray?.({ time, method: req.method ?? "", path: req.url ?? "", status: 405 });
      return;
    }
    const declared = Number(req.headers["content-length"]);
    if (declared > maxBody) {
      tooLarge(req, res, time, started);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBody) {
        over = true;
        chunks.length = 0;
        req.pause();
        tooLarge(req, res, time, started);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (over) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      try {
        handleBody(req, res, time, started, body);
      } catch (error) {
        failed(res, error);
      }
    });
    // An abrupt disconnect mid-body ends in 'close' without 'end': nothing to answer, nothing
    // recorded. (A request without 'error' listeners is not sent its ECONNRESET: Node only emits
    // it to listeners, so none is added.)
  });

  // A sender that asks before sending its body (Expect: 100-continue) is told 413 at once when the
  // declared body is over the limit, instead of "100 Continue" and then 413.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    if (!(Number(req.headers["content-length"]) > maxBody)) res.writeContinue();
    server.emit("request", req, res);
  });

  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    const code = error.code ?? "unknown";
    options.onClientError?.(code);
    if (code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const line =
      code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? "408 Request Timeout"
        : code === "HPE_HEADER_OVERFLOW"
          ? "431 Request Header Fields Too Large"
          : "400 Bad Request";
    socket.end(`HTTP/1.1 ${line}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
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
          code: "listen-failed",
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
  // A wildcard address is not one to connect to: show (and let the tunnel use) loopback instead.
  const shownHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      // Stops accepting; the callback comes once every connection has ended. Idle keep-alive
      // connections end now, busy ones after their answer (sent with Connection: close).
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.closeGraceMs ?? 5_000);
      });
      const settled = async (): Promise<void> => {
        while (forwards.size > 0) await Promise.all(forwards);
      };
      await Promise.race([Promise.all([serverClosed, settled()]), grace]);
      clearTimeout(timer);
      server.closeAllConnections();
      // Cuts what is still forwarding: each of those ends at once with a 502 line.
      await forwarder?.close();
      await settled();
      await serverClosed;
      // Requests completed in this last turn: into the recording now, before the caller closes it.
      flushBatch();
    })();
    return closed;
  };

  return { url: `http://${shownHost}:${port}${path}`, port, address: `${shownHost}:${port}`, close };
}
