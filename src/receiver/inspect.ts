// What a received body is: an event (its type, id and schema check) or not JSON (and where it stops being JSON).

import { isUtf8 } from "node:buffer";
import type { IncomingMessage } from "node:http";

import { findSyntaxError, LineIndex } from "../json/text.js";
import { checkEvent } from "./check-event.js";
import type { JsonErrorLocation, ReceivedEvent } from "./types.js";

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
    event.jsonError = locateJsonError(text, (error as Error).message);
    // The decoder turned bytes that are not UTF-8 into U+FFFD: name the bytes, not the stand-in.
    if (text[event.jsonError.offset] === "\uFFFD" && !isUtf8(body)) {
      event.jsonError.message = "bytes that are not UTF-8 (shown as U+FFFD)";
    }
    return event;
  }
  const facts = checkEvent(event.payload);
  event.type = facts.type;
  event.id = facts.id;
  event.knownType = facts.knownType;
  event.check = facts.check;
  return event;
}

/** The body as text when it is exactly its bytes (valid UTF-8), so the recording need not decode or check it again. */
export function exactText(event: ReceivedEvent): string | undefined {
  // The decoder turns every invalid sequence into U+FFFD: text without one came from valid UTF-8.
  return event.text !== undefined && (!event.text.includes("\uFFFD") || isUtf8(event.body)) ? event.text : undefined;
}
