// What a received body is: an event (its type, id and schema check) or not JSON (and where it stops being JSON).

import { isUtf8 } from "node:buffer";
import type { IncomingMessage } from "node:http";

import { locateSyntaxError } from "../json/syntax.js";
import { validateEvent, type ValidateEventOptions } from "../validation/validate-event.js";
import type { JsonErrorLocation, ReceivedEvent } from "./types.js";

/** How many problems listen keeps, shows with -v and puts in a --json line per event. */
export const MAX_PROBLEMS_KEPT = 20;

/**
 * Past this many validator errors only the first ones are explained: an event with 200,000 wrong
 * array items would otherwise hold the event loop for seconds, for a list nobody reads.
 */
export const MAX_ERRORS_EXPLAINED = 1_000;

/** Listen's limits on the one event check (validate's and send's too): made once, read only. */
const LISTEN_CHECK: ValidateEventOptions = Object.freeze({ maxProblems: MAX_PROBLEMS_KEPT, explainAtMost: MAX_ERRORS_EXPLAINED });

/**
 * Where and why a body that JSON.parse refused stops being JSON, for the "not JSON" warning
 * (V8's own messages often leave out the position).
 */
export function locateJsonError(body: Buffer, text: string, parserMessage: string): JsonErrorLocation {
  if (text.trim() === "") return { message: "empty body", offset: 0, line: 1, column: 1 };
  // The scanner and JSON.parse agree on what is JSON; should they ever not, the parser has the last word.
  return locateSyntaxError(body) ?? { message: parserMessage, offset: 0, line: 1, column: 1 };
}

/** A new event with every field, in one object literal so that all events share one shape. */
export function newEvent(
  seq: number,
  req: IncomingMessage,
  time: Date,
  body: Buffer,
  text: string,
  outcome: ReceivedEvent["outcome"],
  status: number,
): ReceivedEvent {
  return {
    seq,
    time,
    method: req.method ?? "POST",
    path: req.url ?? "/",
    headers: req.headers,
    body,
    text,
    outcome,
    payload: undefined,
    jsonError: undefined,
    type: undefined,
    id: undefined,
    knownType: false,
    check: undefined,
    delivery: 1,
    answer: { status, ms: 0, by: "wtbhook" },
    forward: undefined,
    recordError: undefined,
    recordOffset: undefined,
  };
}

/** Parses and checks a body read to the end. The delivery count is the caller's to set. */
export function inspectBody(seq: number, req: IncomingMessage, time: Date, body: Buffer): ReceivedEvent {
  // Decoded once, for JSON.parse, the recording and the output alike.
  const text = body.toString("utf8");
  const event = newEvent(seq, req, time, body, text, "event", 0);
  try {
    event.payload = JSON.parse(text);
  } catch (error) {
    event.outcome = "not-json";
    event.jsonError = locateJsonError(body, text, (error as Error).message);
    // The decoder turned bytes that are not UTF-8 into U+FFFD: name the bytes, not the stand-in.
    if (text[event.jsonError.offset] === "\uFFFD" && !isUtf8(body)) {
      event.jsonError.message = "bytes that are not UTF-8 (shown as U+FFFD)";
    }
    return event;
  }
  checkInto(event, event.payload);
  return event;
}

/**
 * Checks a parsed body as listen does and sets what it found on `target` (a received event, or
 * the inspector's entry for a recorded one). Hot path: a valid event costs one compiled-validator
 * call. An unknown type is a warning (the consumer must tolerate new types): its envelope is
 * checked; a typo of a known type is an error.
 */
export function checkInto(target: Pick<ReceivedEvent, "type" | "id" | "knownType" | "check">, payload: unknown): void {
  const check = validateEvent(payload, LISTEN_CHECK);
  target.type = check.type;
  target.id = check.id;
  target.knownType = check.knownType;
  target.check = check;
}

/** The body as text when it is exactly its bytes (valid UTF-8), so the recording need not decode or check it again. */
export function exactText(event: ReceivedEvent): string | undefined {
  // The decoder turns every invalid sequence into U+FFFD: text without one came from valid UTF-8.
  return event.text !== undefined && (!event.text.includes("\uFFFD") || isUtf8(event.body)) ? event.text : undefined;
}
