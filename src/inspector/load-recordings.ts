// Earlier requests for the history, read back from recordings (newest lines first, without reading
// a whole large file) and checked as listen checks what it receives.

import { readNewestLines } from "../record/read-back.js";
import { checkInto, locateJsonError } from "../receiver/inspect.js";
import { parseLine } from "./bodies.js";
import type { History, HistoryEntry } from "./history.js";

/** How much of the end of the recordings is read at most for the history. */
const MAX_BYTES_READ = 512 * 1024 * 1024;

/** The request a recording line holds (or the event a plain NDJSON line is), as a history entry without its seq. */
export function entryFromLine(text: string, file: string, offset: number): HistoryEntry | undefined {
  const line = parseLine(text);
  // A line cut short by a killed run, or not JSON at all: not a request to show.
  if (line === undefined) return undefined;
  const recorded = "entry" in line ? line : undefined;
  const body = recorded ? recorded.bytes : Buffer.from(text.trim());
  const entry: HistoryEntry = {
    seq: 0,
    source: "recording",
    time: undefined,
    method: "POST",
    path: "",
    headers: {},
    body,
    bodyBytes: body.length,
    outcome: "event",
    jsonError: undefined,
    type: undefined,
    id: undefined,
    knownType: false,
    check: undefined,
    delivery: 1,
    status: undefined,
    ms: 0,
    by: undefined,
    forward: undefined,
    recordError: undefined,
    file,
    offset,
    plainLine: recorded === undefined,
  };
  let payload: unknown = "event" in line ? line.event : undefined;
  if (recorded) {
    const { entry: line } = recorded;
    const time = Date.parse(line.time);
    entry.time = Number.isNaN(time) ? undefined : time;
    entry.method = typeof line.method === "string" ? line.method : "POST";
    entry.path = typeof line.path === "string" ? line.path : "";
    // Read back from the line when asked for, like the body of a large event.
    entry.headers = undefined;
    const answer = line.answer as { status?: unknown; ms?: unknown } | undefined;
    entry.status = typeof answer?.status === "number" ? answer.status : undefined;
    entry.ms = typeof answer?.ms === "number" ? answer.ms : 0;
    const decoded = body.toString("utf8");
    try {
      payload = JSON.parse(decoded);
    } catch (error) {
      entry.outcome = "not-json";
      entry.jsonError = locateJsonError(body, decoded, (error as Error).message);
      return entry;
    }
  }
  checkInto(entry, payload);
  return entry;
}

export interface LoadOptions {
  /**
   * How the entries are numbered: `before-run` gives 0, −1, −2… from the newest (this run's
   * requests keep listen's seq 1, 2, 3…); `from-one` gives 1, 2, 3… from the oldest.
   */
  numbering: "before-run" | "from-one";
  /** Read the (single) recording as if it ended here: what listen appends from now on comes as this run's events. */
  end?: number | undefined;
}

export interface LoadResult {
  loaded: number;
  /** Lines that were not recorded requests or events (a line cut short by a killed run). */
  skipped: number;
  /** True when older lines were left unread (the history holds only the newest). */
  truncated: boolean;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads the newest requests of `files` (the last file's last line is the newest) into the history,
 * at most its capacity, yielding between chunks so that a running listen keeps answering.
 */
export async function loadRecordings(history: History, files: readonly string[], options: LoadOptions): Promise<LoadResult> {
  const newestFirst: HistoryEntry[] = [];
  let skipped = 0;
  let truncated = false;
  let budget = MAX_BYTES_READ;
  for (let f = files.length - 1; f >= 0 && newestFirst.length < history.capacity; f--) {
    const file = files[f]!;
    const result = await readNewestLines(file, {
      maxLines: history.capacity - newestFirst.length,
      maxBytes: budget,
      end: options.end,
      onLines: async (lines) => {
        for (const line of lines) {
          if (line.text.trim() === "") continue;
          const entry = entryFromLine(line.text, file, line.offset);
          if (entry) newestFirst.push(entry);
          else skipped++;
        }
        budget -= lines.reduce((sum, line) => sum + line.text.length, 0);
        await turn();
      },
    });
    truncated ||= result.truncated || (f > 0 && newestFirst.length >= history.capacity);
  }
  const entries = newestFirst.reverse();
  const deliveries = new Map<number, number>();
  for (const [i, entry] of entries.entries()) {
    entry.seq = options.numbering === "from-one" ? i + 1 : i - (entries.length - 1);
    if (entry.id !== undefined) {
      entry.delivery = (deliveries.get(entry.id) ?? 0) + 1;
      deliveries.set(entry.id, entry.delivery);
    }
  }
  history.addEarlier(entries);
  return { loaded: entries.length, skipped, truncated };
}
