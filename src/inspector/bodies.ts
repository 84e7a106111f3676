// An entry's exact bytes: from memory, or read back from its recording line when the history let them go.

import { readLineAt } from "../record/read-back.js";
import { recordedBody } from "../record/record.js";
import type { HistoryEntry } from "./history.js";

/** Longest line read back: a body at the largest --max-body people use, base64-encoded, with its headers. */
const MAX_LINE_BYTES = 512 * 1024 * 1024;

/** The bytes, or why there are none to show. */
export type BodyLookup = { body: Buffer; missing: null } | { body: undefined; missing: string };

/** True when a recording line is the request the entry describes (the file may have been replaced since). */
function sameRequest(entry: HistoryEntry, line: { time?: unknown; id?: unknown }): boolean {
  if (entry.id !== undefined && line.id !== undefined && line.id !== entry.id) return false;
  return entry.time === undefined || typeof line.time !== "string" || new Date(line.time).getTime() === entry.time.getTime();
}

export async function bodyOf(entry: HistoryEntry): Promise<BodyLookup> {
  if (entry.body !== undefined) return { body: entry.body, missing: null };
  if (entry.outcome === "too-large") return { body: undefined, missing: "not read: the body was over --max-body (answered 413)" };
  if (entry.outcome === "busy") return { body: undefined, missing: "not read: refused while busy (answered 503)" };
  if (entry.file === undefined || entry.offset === undefined) {
    return { body: undefined, missing: "let go to keep memory bounded (with --record, bodies are read back from the recording)" };
  }
  const text = await readLineAt(entry.file, entry.offset, MAX_LINE_BYTES);
  const gone = { body: undefined, missing: `no longer in ${entry.file} (the file was changed or deleted)` } as const;
  if (text === undefined) return gone;
  if (entry.plainLine) return { body: Buffer.from(text.trim()), missing: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return gone;
  }
  const recorded = recordedBody(value);
  if (recorded === undefined || "error" in recorded || !sameRequest(entry, recorded.entry)) return gone;
  return { body: recorded.bytes, missing: null };
}
