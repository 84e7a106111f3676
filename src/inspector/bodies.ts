// An entry's request (exact bytes and headers): from memory, or read back from its recording line
// when the history does not hold it (the requests a recording holds, and bodies let go). Many at
// once come from a few large reads.

import { readLineAt, readLinesAt } from "../record/read-back.js";
import { recordedBody, type RecordEntry } from "../record/record.js";
import type { HistoryEntry } from "./history.js";
import type { FactsOf } from "./views.js";

/** Longest line read back: a body at the largest --max-body people use, base64-encoded, with its headers. */
export const MAX_LINE_BYTES = 512 * 1024 * 1024;
/** Entries read back together (bounds the memory of a search over the whole history). */
const BATCH = 500;
/** Bodies larger than this are not read to work out the facts of a list (their details still show them). */
const MAX_FACTS_BODY = 1024 * 1024;

/** The bytes and headers, or why the bytes are not to be had. */
export type RequestLookup =
  | { body: Buffer; headers: HistoryEntry["headers"]; missing: null }
  | { body: undefined; headers: HistoryEntry["headers"]; missing: string };

/** True when a recording line is the request the entry describes (the file may have been replaced since). */
function sameRequest(entry: HistoryEntry, line: { time?: unknown; id?: unknown }): boolean {
  if (entry.id !== undefined && line.id !== undefined && line.id !== entry.id) return false;
  return entry.time === undefined || typeof line.time !== "string" || Date.parse(line.time) === entry.time;
}

/**
 * What a line of a recording holds: a recorded request (its entry and exact bytes), or an event
 * (a line of plain NDJSON events); undefined for a line that is neither (cut short, not JSON).
 */
export function parseLine(text: string): { entry: RecordEntry; bytes: Buffer } | { event: object } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const recorded = recordedBody(value);
  if (recorded !== undefined) return "error" in recorded ? undefined : recorded;
  return typeof value === "object" && value !== null && !Array.isArray(value) ? { event: value } : undefined;
}

/** The request a line read back at an entry's offset holds; undefined when the line is not that request. */
function requestFromLine(entry: HistoryEntry, text: string): { body: Buffer; headers: Record<string, string> } | undefined {
  if (entry.plainLine) return { body: Buffer.from(text.trim()), headers: {} };
  const line = parseLine(text);
  if (line === undefined || "event" in line || !sameRequest(entry, line.entry)) return undefined;
  return { body: line.bytes, headers: line.entry.headers };
}

export async function requestOf(entry: HistoryEntry): Promise<RequestLookup> {
  const headers = entry.headers;
  if (entry.body !== undefined && headers !== undefined) return { body: entry.body, headers, missing: null };
  if (entry.outcome === "too-large") return { body: undefined, headers, missing: "not read: the body was over --max-body (answered 413)" };
  if (entry.outcome === "busy") return { body: undefined, headers, missing: "not read: refused while busy (answered 503)" };
  if (entry.file === undefined || entry.offset === undefined) {
    if (entry.body !== undefined) return { body: entry.body, headers, missing: null };
    return { body: undefined, headers, missing: "let go to keep memory bounded (with --record, bodies are read back from the recording)" };
  }
  const text = await readLineAt(entry.file, entry.offset, MAX_LINE_BYTES);
  const found = text === undefined ? undefined : requestFromLine(entry, text);
  if (found) return { body: found.body, headers: found.headers, missing: null };
  return { body: undefined, headers, missing: `no longer in ${entry.file} (the file was changed or deleted)` };
}

/** The bodies of `entries` that can be had, from memory or read back (skipping those over `maxBytes`). */
export async function bodiesOf(entries: readonly HistoryEntry[], maxBytes = MAX_LINE_BYTES): Promise<Map<HistoryEntry, Buffer>> {
  const bodies = new Map<HistoryEntry, Buffer>();
  const byFile = new Map<string, Map<number, HistoryEntry>>();
  for (const entry of entries) {
    if (entry.body !== undefined) bodies.set(entry, entry.body);
    else if (entry.file !== undefined && entry.offset !== undefined && entry.bodyBytes <= maxBytes) {
      let wanted = byFile.get(entry.file);
      if (!wanted) byFile.set(entry.file, (wanted = new Map<number, HistoryEntry>()));
      wanted.set(entry.offset, entry);
    }
  }
  for (const [file, wanted] of byFile) {
    await readLinesAt(file, [...wanted.keys()], MAX_LINE_BYTES, (offset, text) => {
      const entry = wanted.get(offset)!;
      const found = requestFromLine(entry, text);
      if (found) bodies.set(entry, found.body);
    });
  }
  return bodies;
}

function parsed(body: Buffer | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Works out (once) the facts of the entries that have none yet, reading their bodies back in batches. */
export async function ensureFacts(entries: readonly HistoryEntry[], factsOf: FactsOf): Promise<void> {
  const missing = entries.filter((entry) => entry.facts === undefined);
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH);
    const bodies = await bodiesOf(
      batch.filter((entry) => entry.outcome === "event"),
      MAX_FACTS_BODY,
    );
    for (const entry of batch) entry.facts = entry.outcome === "event" ? factsOf(entry.type, parsed(bodies.get(entry))) : [];
  }
}

/** Runs `each` over the entries in batches with their bodies (when they can be had), holding one batch of bodies at a time. */
export async function withBodies(
  entries: readonly HistoryEntry[],
  each: (entry: HistoryEntry, body: Buffer | undefined) => void,
): Promise<void> {
  for (let i = 0; i < entries.length; i += BATCH) {
    const batch = entries.slice(i, i + BATCH);
    const bodies = await bodiesOf(batch);
    for (const entry of batch) each(entry, bodies.get(entry));
  }
}
