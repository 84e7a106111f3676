// Reading a request body within the limits: --max-body per request, and a budget for all the bodies held at once.

import type { IncomingMessage } from "node:http";

import type { BurstRelease } from "./release-memory.js";

/** @see ReceiverOptions.maxBody */
export const DEFAULT_MAX_BODY = 1024 * 1024;

/** @see ReceiverOptions.maxBytesInFlight */
export const DEFAULT_MAX_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

/** Bodies declared larger than this are read into one buffer of their size, instead of chunks joined at the end (half the peak). */
const PREALLOCATE_FROM = 64 * 1024;

/**
 * The bytes of request bodies held at once: being read, checked, forwarded and recorded. Past the
 * budget, a request is answered 503 without being read, so that a burst of large bodies (400
 * senders × 1 MiB) cannot take memory without bound.
 */
export class BodyBudget {
  held = 0;
  readonly max: number;
  /** Told of what is taken and given, to give memory back once a burst is over. */
  private readonly watch: BurstRelease | undefined;

  constructor(max: number, watch?: BurstRelease) {
    this.max = max;
    this.watch = watch;
  }

  /** Takes `bytes` from the budget; false (and nothing taken) when they do not fit. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.max) return false;
    this.held += bytes;
    this.watch?.took(bytes);
    return true;
  }

  give(bytes: number): void {
    if (bytes === 0) return;
    this.held -= bytes;
    this.watch?.held(this.held);
  }
}

/**
 * How reading a body ended: the whole body (with the budget it holds, to give back once the
 * request is answered), or over the per-request limit (413), or over the budget (503). Neither of
 * the last two holds anything; the rest of their body is left to the caller to drain.
 */
export type BodyResult = { kind: "body"; body: Buffer; held: number } | { kind: "too-large" } | { kind: "busy" };

/**
 * Reads the body of `req`, then calls `done` once (not at all when the sender disconnects
 * mid-body; what it held is given back then). A declared Content-Length over a limit is refused
 * before anything is read.
 */
export function readBody(req: IncomingMessage, maxBody: number, budget: BodyBudget, done: (result: BodyResult) => void): void {
  const header = req.headers["content-length"];
  const declared = header === undefined ? undefined : Number(header);
  if (declared !== undefined && declared > maxBody) {
    done({ kind: "too-large" });
    return;
  }
  // A declared length is taken from the budget at once; a chunked body as its chunks come.
  let held = declared ?? 0;
  if (held > 0 && !budget.take(held)) {
    done({ kind: "busy" });
    return;
  }
  let whole: Buffer | undefined = declared !== undefined && declared >= PREALLOCATE_FROM ? Buffer.allocUnsafeSlow(declared) : undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const stop = (result: BodyResult): void => {
    finished = true;
    budget.give(held);
    held = 0;
    whole = undefined;
    chunks.length = 0;
    done(result);
  };
  req.on("data", (chunk: Buffer) => {
    if (finished) return;
    if (declared === undefined) {
      if (size + chunk.length > maxBody) return stop({ kind: "too-large" });
      if (!budget.take(chunk.length)) return stop({ kind: "busy" });
      held += chunk.length;
    }
    if (whole !== undefined) chunk.copy(whole, size);
    else chunks.push(chunk);
    size += chunk.length;
  });
  req.on("end", () => {
    if (finished) return;
    finished = true;
    const body = whole ?? (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    done({ kind: "body", body, held });
  });
  // A sender that disconnects mid-body: nothing to answer; what was held goes back.
  req.on("close", () => {
    if (finished) return;
    finished = true;
    budget.give(held);
  });
}
