// One HTTP attempt as Website Toolbox makes it: no redirects followed, interim 1xx answers skipped,
// a bounded read of the answer, one timeout over connect, headers and body, and every failure
// classified into one clear line. `send` and `listen --forward-to` both send through it.

import type { Dispatcher } from "undici";

import { classifyFailure, statusFailure, type FaultKind } from "./failure.js";
import type { Transport } from "./transport.js";
import { now } from "../clock.js";

export interface AttemptOutcome {
  /** HTTP status when an answer's headers arrived. */
  status: number | undefined;
  /** The reason phrase of the status line ("OK", or whatever the server wrote). */
  statusText: string | undefined;
  /** True only for a 2xx answer whose body was read without error. */
  ok: boolean;
  /** From sending the request to the end of the (bounded) answer or the failure. */
  ms: number;
  /** One line saying why the attempt failed; undefined when ok. */
  error: string | undefined;
  fault: FaultKind | undefined;
  /** The Location header of a 3xx answer, which is never followed. */
  location: string | undefined;
  /** The answer's headers as raw name/value pairs, in order; only with `keepHeaders`. */
  headers: string[] | undefined;
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
  /** Stops every attempt in flight, and any later one at once (Ctrl+C, or the owner closing). */
  signal?: AbortSignal | undefined;
  /** Read at most this much of the answer, then drop the connection. @default 65536 */
  maxBodyBytes?: number;
  /** Keep this much of the answer (for display, or to pass on). @default 1024 */
  keepBytes?: number;
  /** Keep the answer's headers in the outcome. @default false */
  keepHeaders?: boolean;
}

/**
 * Sends one request to the target and resolves with how it ended; never rejects. Headers are an
 * object, or raw name/value pairs (kept in order, repeats kept). @param method default "POST"
 */
export type Attempter = (
  headers: Readonly<Record<string, string>> | readonly string[],
  body: Buffer,
  method?: string,
) => Promise<AttemptOutcome>;

const EMPTY = Buffer.alloc(0);

class StopAttempt extends Error {}

/** An answer undici let through that no HTTP client should accept; classified as a protocol fault. */
class InvalidAnswer extends Error {
  readonly code = "HPE_INVALID_STATUS";
}

interface AttemptSettings {
  target: URL;
  timeoutMs: number;
  maxBodyBytes: number;
  keepBytes: number;
  keepHeaders: boolean;
  inFlight: Set<OneAttempt>;
  proxied: boolean;
}

/** The raw response headers undici's controller carries, as strings (latin1, as they came). */
function rawHeaderStrings(controller: Dispatcher.DispatchController, parsed: Record<string, string | string[] | undefined>): string[] {
  const raw = (controller as { rawHeaders?: (Buffer | string)[] | null }).rawHeaders;
  if (Array.isArray(raw)) return raw.map((value) => (typeof value === "string" ? value : value.toString("latin1")));
  const out: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.push(name, one);
  }
  return out;
}

/**
 * One attempt, as an undici dispatch handler. A class rather than closures because load mode
 * makes tens of thousands of these and each closure is an allocation. Once settled it lets go of
 * undici's controller, the promise's resolve and the answer's bytes: an attempt that outlived a
 * garbage collection would otherwise hold, through the controller, the connection's later requests
 * and their attempts, which then outlived the next one too (in load mode that tripled the time
 * spent collecting garbage).
 */
class OneAttempt implements Dispatcher.DispatchHandler {
  private readonly started = now();
  private controller: Dispatcher.DispatchController | undefined;
  private done = false;
  private phase: "connect" | "body" = "connect";
  private status: number | undefined;
  private statusText: string | undefined;
  private location: string | undefined;
  private headers: string[] | undefined;
  private first: Buffer | undefined;
  private chunks: Buffer[] | undefined;
  private kept = 0;
  private total = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly settings: AttemptSettings;
  private resolve: ((outcome: AttemptOutcome) => void) | undefined;

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

  /** The request was refused before it was sent. */
  refused(error: unknown): void {
    this.fail(error, false, false);
  }

  private settle(outcome: AttemptOutcome): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.settings.inFlight.delete(this);
    const resolve = this.resolve!;
    this.resolve = undefined;
    this.first = undefined;
    this.chunks = undefined;
    resolve(outcome);
  }

  /** Ends undici's side of the exchange, if it is still going, and lets go of its controller. */
  private stop(): void {
    const controller = this.controller;
    this.controller = undefined;
    if (controller && !controller.aborted) controller.abort(new StopAttempt("stopped"));
  }

  private fail(error: unknown, timedOut: boolean, interrupted: boolean): void {
    if (this.done) return;
    const { target, timeoutMs, proxied } = this.settings;
    const context = { target, phase: this.phase, timedOut, interrupted, timeoutMs, bodyBytes: this.total, proxied };
    const { fault, message } = classifyFailure(error, context);
    this.settle({
      status: this.status,
      statusText: this.statusText,
      ok: false,
      ms: now() - this.started,
      error: message,
      fault,
      location: this.location,
      headers: this.headers,
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
      statusText: this.statusText,
      ok,
      ms: now() - this.started,
      error: ok ? undefined : statusFailure(status ?? 0, this.location),
      fault: undefined,
      location: this.location,
      headers: this.headers,
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
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    if (statusCode < 100) {
      // "HTTP/1.1 000": undici's parser takes it, then fails an internal assertion on it.
      this.fail(new InvalidAnswer(`invalid status line (status ${String(statusCode).padStart(3, "0")})`), false, false);
      return;
    }
    // An interim answer (102 Processing, 103 Early Hints): the final status follows.
    if (statusCode < 200) return;
    this.status = statusCode;
    this.statusText = statusMessage;
    this.phase = "body";
    const raw = headers["location"];
    this.location = Array.isArray(raw) ? raw[0] : raw;
    if (this.settings.keepHeaders) this.headers = rawHeaderStrings(controller, headers);
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
    // undici is done with the request.
    this.controller = undefined;
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error, false, false);
  }
}

/**
 * Makes the function that sends one request and reports how it ended. Never rejects for network
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
    keepHeaders: options.keepHeaders ?? false,
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
  return (headers, body, method = "POST") =>
    new Promise<AttemptOutcome>((resolve) => {
      const attempt = new OneAttempt(settings, resolve);
      if (signal?.aborted) return attempt.interrupt();
      try {
        dispatcher.dispatch(
          {
            origin,
            path,
            method,
            headers: headers as Dispatcher.DispatchOptions["headers"],
            body,
            headersTimeout: 0,
            bodyTimeout: 0,
          },
          attempt,
        );
      } catch (error) {
        // undici refuses some requests at once (a header value it will not write): still an outcome.
        attempt.refused(error);
      }
    });
}
