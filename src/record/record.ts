// The recording format shared by `listen --record` (writer) and `send --from` (reader): one JSON
// object per line. Keep every reader and writer of recordings on this module (the file itself:
// recording.ts).

import { isUtf8 } from "node:buffer";

import { WtbhookError } from "../errors.js";
import { isoTime } from "../iso-time.js";
import { utf16Length } from "../json/position.js";
import { findSyntaxError } from "../json/syntax.js";

/** Format version written into every line, so that later versions can still read old files. */
export const RECORD_VERSION = 1;

/** One received request, as `listen --record` writes it. */
export interface RecordEntry {
  kind: "request";
  v: typeof RECORD_VERSION;
  /** ISO 8601 time the request was received. */
  time: string;
  method: string;
  /** Path and query as received. */
  path: string;
  /** Request headers with lower-case names, as received (repeated headers joined by ", "). */
  headers: Record<string, string>;
  /** The exact body: UTF-8 text, or base64 when `encoding` says so (bodies that are not UTF-8). */
  body: string;
  encoding: "utf8" | "base64";
  /** The answer the sender got; status null when it got none (it hung up first, or listen was stopped). */
  answer: { status: number | null; ms: number };
  /** Event type and id when the body was an event, for filtering without parsing the body. */
  type?: string;
  id?: number;
}

export interface RecordRequest {
  time: Date;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The answer the sender got; status undefined when it got none. */
  answer: { status: number | undefined; ms: number };
  type?: string | undefined;
  id?: number | undefined;
  /**
   * The body decoded as UTF-8, when the caller has already decoded it and knows the bytes are
   * valid UTF-8; saves decoding and checking them again. Leave it out when in doubt.
   */
  text?: string | undefined;
}

/** Lower-case names, repeated headers joined by ", " (Node's req.headers already is, but for set-cookie). */
export function recordHeaders(headers: RecordRequest["headers"]): Record<string, string> {
  let plain = true;
  for (const name in headers) {
    if (typeof headers[name] !== "string" || name !== name.toLowerCase()) {
      plain = false;
      break;
    }
  }
  if (plain) return headers as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** The headers as a recording line holds them, serialised (lower-case names, repeats joined). */
export function headersJson(headers: RecordRequest["headers"]): string {
  return JSON.stringify(recordHeaders(headers));
}

/**
 * Serialises one request to a recording line (with its trailing newline). Written by hand in
 * RecordEntry's key order: this runs for every request `listen --record` answers.
 */
export function formatRecordLine(request: RecordRequest): string {
  const utf8 = request.text !== undefined || isUtf8(request.body);
  const body = request.text ?? request.body.toString(utf8 ? "utf8" : "base64");
  const ms = Math.round(request.answer.ms * 10) / 10;
  let line =
    `{"kind":"request","v":${RECORD_VERSION},"time":"${isoTime(request.time)}","method":${JSON.stringify(request.method)}` +
    `,"path":${JSON.stringify(request.path)},"headers":${headersJson(request.headers)}` +
    `,"body":${JSON.stringify(body)},"encoding":"${utf8 ? "utf8" : "base64"}","answer":{"status":${request.answer.status ?? "null"},"ms":${ms}}`;
  if (request.type !== undefined) line += `,"type":${JSON.stringify(request.type)}`;
  if (request.id !== undefined) line += `,"id":${request.id}`;
  return `${line}}\n`;
}

/** An event to replay: its exact bytes plus what is known of it. */
export interface ReplayItem {
  /** 1-based line number in the source file. */
  line: number;
  body: Buffer;
  type: string | undefined;
  id: number | undefined;
  /** Headers recorded with the request, when the line was a recording entry. */
  headers: Record<string, string> | undefined;
}

function isRecordEntry(value: unknown): value is RecordEntry {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "request" &&
    typeof (value as { body?: unknown }).body === "string"
  );
}

/**
 * The exact bytes a recorded request carried, or why they cannot be had; undefined when `value`
 * is not a recorded request (then it is an event in its own right).
 */
export function recordedBody(value: unknown): { entry: RecordEntry; bytes: Buffer } | { error: string } | undefined {
  if (!isRecordEntry(value)) return undefined;
  const encoding: unknown = value.encoding;
  if (encoding !== undefined && encoding !== "utf8" && encoding !== "base64") {
    return { error: `unknown body encoding ${JSON.stringify(encoding)} (expected "utf8" or "base64")` };
  }
  return { entry: value, bytes: encoding === "base64" ? Buffer.from(value.body, "base64") : Buffer.from(value.body, "utf8") };
}

function eventFacts(value: unknown): { type: string | undefined; id: number | undefined } {
  if (typeof value !== "object" || value === null) return { type: undefined, id: undefined };
  const { type, id } = value as { type?: unknown; id?: unknown };
  return {
    type: typeof type === "string" ? type : undefined,
    id: typeof id === "number" ? id : undefined,
  };
}

const RECORD_START = '{"kind":"request"';

/**
 * Why a line is not JSON, in words: cut short (a run killed while writing, a full disk), a cut
 * line with the next record written onto it (as listen did before it repaired recordings on
 * open), or where the syntax breaks. `lead` is the whitespace trimmed off the line's start, for columns.
 */
function brokenLine(text: string, lead: number, line: number, source: string, parserMessage: string): WtbhookError {
  const where = `${source}:${line}`;
  const glued = text.indexOf(RECORD_START, 1);
  if (glued > 0 && text.startsWith(RECORD_START) && isJson(text.slice(glued))) {
    return new WtbhookError(
      `${where}: incomplete record, with the next record written onto the same line at column ${lead + glued + 1} (a run stopped while writing, or a full disk, cut the first one short)`,
      {
        code: "bad-recording",
        hint: `Split the line at column ${lead + glued + 1} and delete its first part, or delete the whole line.`,
      },
    );
  }
  // The scanner works on bytes; columns count characters (UTF-16 units) of the line as read.
  const bytes = Buffer.from(text, "utf8");
  const found = findSyntaxError(bytes);
  const syntax = found ? { offset: utf16Length(bytes, 0, found.offset), message: found.message } : { offset: 0, message: parserMessage };
  if (syntax.offset >= text.length && syntax.message.startsWith("unexpected end of input")) {
    return new WtbhookError(
      `${where}: incomplete line: it ends in the middle of ${text.startsWith(RECORD_START) ? "a record" : "a JSON value"} (a run stopped while writing, or a full disk, cuts a line short)`,
      { code: "bad-recording", hint: "Delete that line to replay the others." },
    );
  }
  return new WtbhookError(`${where}: not valid JSON: ${syntax.message} at column ${lead + syntax.offset + 1}`, {
    code: "bad-recording",
    hint: "Each line must be one recorded request or one event.",
  });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads one line of a recording, or of any NDJSON file of events (the line itself is the body).
 * Returns undefined for a blank line.
 * @throws WtbhookError (exit 2) naming the line when it is not JSON or not a usable entry.
 */
export function parseRecordLine(text: string, line: number, source: string): ReplayItem | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    throw brokenLine(trimmed, text.length - text.trimStart().length, line, source, (error as Error).message);
  }
  const recorded = recordedBody(value);
  if (recorded !== undefined) {
    if ("error" in recorded) throw new WtbhookError(`${source}:${line}: ${recorded.error}`, { code: "bad-recording" });
    const { entry, bytes: body } = recorded;
    // A hand-edited line may carry anything: take type and id only when they have their types.
    let facts = eventFacts({ type: entry.type, id: entry.id });
    if (facts.type === undefined) {
      try {
        facts = eventFacts(JSON.parse(body.toString("utf8")));
      } catch {
        // A recorded body that is not JSON is replayed as it was; it just has no type.
      }
    }
    return { line, body, type: facts.type, id: facts.id, headers: entry.headers };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new WtbhookError(`${source}:${line}: expected a recorded request or an event object`, {
      code: "bad-recording",
    });
  }
  const facts = eventFacts(value);
  return { line, body: Buffer.from(trimmed, "utf8"), type: facts.type, id: facts.id, headers: undefined };
}
