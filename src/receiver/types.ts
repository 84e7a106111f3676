// What the receiver hands out for every request it answered on the receiving path.

import type { IncomingHttpHeaders } from "node:http";

import type { LocatedSyntaxError } from "../json/syntax.js";
import type { EventCheck } from "../validation/types.js";

/**
 * Why a body is not JSON and where: the character offset in the decoded text (not a byte offset)
 * and its line and column (1-based; columns count UTF-16 code units).
 */
export type JsonErrorLocation = LocatedSyntaxError;

/** What the app said when the request was forwarded (`--forward-to`). */
export interface ForwardOutcome {
  url: string;
  /** The app's status; undefined when it could not be reached or timed out. */
  status: number | undefined;
  ms: number;
  /** The first bytes of the app's answer, as text. */
  bodyStart: string;
  /** The app's answer as `-v` shows it: status line, headers (raw name/value pairs) and the first KB of the body. */
  answer?: { statusText: string; headers: readonly string[]; body: Buffer; bodyBytes: number; truncated: boolean } | undefined;
  /**
   * Why there is no status: the app is down (502 to the sender), its certificate was refused
   * (502), it gave no usable answer (502), it was too slow (504), or the request had already
   * passed through this listen, so --forward-to leads back to it (508).
   */
  failure?: { kind: "unreachable" | "tls" | "timeout" | "error" | "loop"; message: string } | undefined;
}

/**
 * A request on the receiving path that wtbhook answered.
 * `outcome` says what it was: an event (JSON body), a body that is not JSON (400), a body over the
 * limit (413, not read to the end), or one that arrived while the bodies in flight already filled
 * their budget (503, not read).
 */
export interface ReceivedEvent {
  /** 1-based order of arrival. */
  seq: number;
  time: Date;
  method: string;
  /** Path and query as received. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The exact bytes received (empty for a 413 or 503). */
  body: Buffer;
  /**
   * The body decoded once as UTF-8 (invalid bytes shown as U+FFFD), for display; `body` stays the
   * truth. Optional for events made elsewhere: then decode `body`.
   */
  text?: string | undefined;
  outcome: "event" | "not-json" | "too-large" | "busy";
  /** The parsed body, for display and validation only. */
  payload: unknown;
  jsonError: JsonErrorLocation | undefined;
  type: string | undefined;
  id: number | undefined;
  /** True when `type` is one of the catalogue's event types. */
  knownType: boolean;
  /**
   * The one graded schema check (validate's and send's), at most MAX_PROBLEMS_KEPT problems, errors
   * first; undefined when the body was not JSON. An unknown type is a warning (its envelope checked).
   */
  check: EventCheck | undefined;
  /** How many times this event id has arrived so far (1 = first delivery). */
  delivery: number;
  /**
   * What the sender got, and from whom: the status is undefined when it got no answer (it hung up
   * before the app answered). With --fail-first and --forward-to, `forward` holds the app's status.
   */
  answer: { status: number | undefined; ms: number; by: "wtbhook" | "app" | "fail-first" };
  forward: ForwardOutcome | undefined;
  /** Why the request could not be recorded (--record): it was then answered 500, whatever the app said. */
  recordError?: string | undefined;
  /** Where the request's line starts in the --record file (a byte offset), to read it back later. */
  recordOffset?: number | undefined;
}

/** A request outside the receiving path or with another method: answered 404/405 and only counted. */
export interface StrayRequest {
  time: Date;
  method: string;
  path: string;
  status: 404 | 405;
}
