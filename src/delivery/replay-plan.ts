// Replaying a recording (or an NDJSON file of events): `send --from`. A module of its own so that
// the other ways of sending do not load the recording reader.

import { closestEventTypes, isEventType } from "../catalog/catalog.js";
import { WtbhookError } from "../errors.js";
import { endToEndHeaders } from "../http/headers.js";
import { LineSplitter } from "../json/lines.js";
import { parseRecordLine, type ReplayItem } from "../record/record.js";
import { createTemplate } from "./event-body.js";
import type { PlanItem } from "./plan.js";

/** Which events of a recording to replay: all, or those of these types and/or envelope ids. */
export interface ReplayFilter {
  types: readonly string[];
  ids: readonly number[];
}

/**
 * A --type that matches nothing: a known type the file just does not hold is fine (the replay may
 * still have other events), a name that is neither known nor in the file is a typo.
 */
function checkTypeFilter(types: readonly string[], found: ReadonlySet<string>, source: string): void {
  for (const type of types) {
    if (found.has(type) || isEventType(type)) continue;
    const held = [...found].sort();
    throw new WtbhookError(
      `--type ${type}: ${source} holds no event of that type, and it is not a known event type; did you mean ${closestEventTypes(type).join(", ")}?`,
      {
        code: "unknown-type",
        hint: held.length > 0 ? `${source} holds ${held.slice(0, 10).join(", ")}${held.length > 10 ? ", …" : ""}.` : undefined,
      },
    );
  }
}

/** Longest line of a recording read (as validate reads NDJSON): Node cannot hold a much longer string. */
const MAX_LINE_BYTES = 256 * 1024 * 1024;

/**
 * The entries of a recording (or NDJSON file of events), split by the NDJSON line splitter that
 * validate uses (a byte order mark skipped, CRLF left for the line reader to trim) and read by the
 * recording format's reader.
 * @throws WtbhookError (exit 2) naming the first corrupt or overlong line.
 */
function recordingEntries(bytes: Buffer, source: string): ReplayItem[] {
  const entries: ReplayItem[] = [];
  const splitter = new LineSplitter(
    {
      line: (chunk, start, end, place) => {
        const entry = parseRecordLine(chunk.toString("utf8", start, end), place.number, source);
        if (entry) entries.push(entry);
      },
      tooLong: (place) => {
        throw new WtbhookError(`${source}:${place.number}: line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB; not read`, {
          code: "bad-recording",
        });
      },
    },
    MAX_LINE_BYTES,
  );
  splitter.push(bytes);
  splitter.end();
  return entries;
}

/**
 * Every event of a recording (or NDJSON file of events), in order, with the recorded bytes and
 * headers; only those that pass `filter` when it names types or ids.
 * @throws WtbhookError (exit 2) naming the first corrupt line, a mistyped --type, or an --event-id
 * the file does not hold.
 */
export function planFromRecording(bytes: Buffer, source: string, filter: ReplayFilter = { types: [], ids: [] }): PlanItem[] {
  const items: PlanItem[] = [];
  const typesFound = new Set<string>();
  const idsFound = new Set<number>();
  for (const entry of recordingEntries(bytes, source)) {
    const template = createTemplate(entry.body);
    const type = entry.type ?? template.type;
    const id = entry.id ?? template.id;
    if (type !== undefined) typesFound.add(type);
    if (id !== undefined) idsFound.add(id);
    if (filter.types.length > 0 && (type === undefined || !filter.types.includes(type))) continue;
    if (filter.ids.length > 0 && (id === undefined || !filter.ids.includes(id))) continue;
    items.push({
      source: `${source}:${entry.line}`,
      type,
      template,
      freshId: false,
      applied: [],
      recordedHeaders: entry.headers === undefined ? undefined : endToEndHeaders(Object.entries(entry.headers).flat(), ["content-length"]),
    });
  }
  checkTypeFilter(filter.types, typesFound, source);
  const missing = filter.ids.filter((id) => !idsFound.has(id));
  if (missing.length > 0) {
    throw new WtbhookError(`--event-id: ${source} holds no event with id ${missing.join(", ")}`, {
      code: "no-input",
      hint: 'listen shows each event\'s id on its line; the recording holds it as "id".',
    });
  }
  if (items.length === 0) {
    const what = [
      filter.types.length > 0 ? `of type ${filter.types.join(", ")}` : "",
      filter.ids.length > 0 ? `with id ${filter.ids.join(", ")}` : "",
    ].filter((part) => part !== "");
    throw new WtbhookError(`${source} holds no events${what.length > 0 ? ` ${what.join(" and ")}` : ""} to replay`, { code: "no-input" });
  }
  return items;
}
