// An entry's request (exact bytes and headers): from memory, or read back from its recording line
// when the history does not hold it (large bodies, bodies let go, the headers of recorded requests).

import { readLineAt } from "../record/read-back.js";
import { recordedBody } from "../record/record.js";
import type { HistoryEntry } from "./history.js";

/** Longest line read back: a body at the largest --max-body people use, base64-encoded, with its headers. */
export const MAX_LINE_BYTES = 512 * 1024 * 1024;

/** The bytes and headers, or why the bytes are not to be had. */
export type RequestLookup =
  | { body: Buffer; headers: HistoryEntry["headers"]; missing: null }
  | { body: undefined; headers: HistoryEntry["headers"]; missing: string };

/** True when a recording line is the request the entry describes (the file may have been replaced since). */
function sameRequest(entry: HistoryEntry, line: { time?: unknown; id?: unknown }): boolean {
  if (entry.id !== undefined && line.id !== undefined && line.id !== entry.id) return false;
  return entry.time === undefined || typeof line.time !== "string" || Date.parse(line.time) === entry.time;
}

export async function requestOf(entry: HistoryEntry): Promise<RequestLookup> {
  if (entry.body !== undefined && entry.headers !== undefined) return { body: entry.body, headers: entry.headers, missing: null };
  const headers = entry.headers;
  if (entry.outcome === "too-large") return { body: undefined, headers, missing: "not read: the body was over --max-body (answered 413)" };
  if (entry.outcome === "busy") return { body: undefined, headers, missing: "not read: refused while busy (answered 503)" };
  if (entry.file === undefined || entry.offset === undefined) {
    if (entry.body !== undefined) return { body: entry.body, headers, missing: null };
    return { body: undefined, headers, missing: "let go to keep memory bounded (with --record, bodies are read back from the recording)" };
  }
  const text = await readLineAt(entry.file, entry.offset, MAX_LINE_BYTES);
  const gone = (): RequestLookup =>
    entry.body !== undefined
      ? { body: entry.body, headers, missing: null }
      : { body: undefined, headers, missing: `no longer in ${entry.file} (the file was changed or deleted)` };
  if (text === undefined) return gone();
  if (entry.plainLine) return { body: entry.body ?? Buffer.from(text.trim()), headers: {}, missing: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const recorded = recordedBody(value);
  if (recorded === undefined || "error" in recorded || !sameRequest(entry, recorded.entry)) return gone();
  return { body: entry.body ?? recorded.bytes, headers: recorded.entry.headers, missing: null };
}
