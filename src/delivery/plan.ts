// What `send` will deliver, in order: events built from fixtures, the user's own file, a scenario
// or a recording, each with the overrides it received.

import { closestEventTypes, eventTypes, isEventType } from "../catalog/catalog.js";
import { resolveFixture, type FixtureDir } from "../catalog/fixtures.js";
import { endToEndHeaders } from "../http/headers.js";
import { LineSplitter } from "../json/lines.js";
import { parseRecordLine, type ReplayItem } from "../record/record.js";
import { WtbhookError } from "../errors.js";
import { createTemplate, type BodyTemplate } from "./event-body.js";
import { applyOverrides, describeOverride, type Override } from "./overrides.js";

export interface PlanItem {
  /** Where the event came from: `fixture`, a file name, `file:line`, `scenario step`. */
  source: string;
  /** Event type as known before sending (from the fixture, or read from the body). */
  type: string | undefined;
  template: BodyTemplate;
  /** True when each delivery gets a fresh envelope id; false to send the bytes as they are. */
  freshId: boolean;
  /** The overrides applied, as listed in the output. */
  applied: string[];
  /**
   * The end-to-end headers recorded with the event (`--from` a recording), as raw name/value
   * pairs: hop-by-hop headers, Host and Content-Length left out.
   */
  recordedHeaders?: readonly string[] | undefined;
  /** Request headers for this item instead of the run's (`--recorded-headers`). */
  headers?: Readonly<Record<string, string>> | undefined;
  /** For an event made from a fixture: where it was read, and whether it is the user's own (`--fixtures DIR`). */
  fixture?: { source: string; own: boolean } | undefined;
}

/** True when an override sets or removes the envelope id itself, which then stays as the user left it. */
export function overridesId(overrides: readonly Override[]): boolean {
  return overrides.some((override) => override.path.length === 1 && override.path[0] === "id");
}

function itemFrom(bytes: Buffer, source: string, overrides: readonly Override[], freshId: boolean): PlanItem {
  const changed = overrides.length > 0 ? applyOverrides(bytes, overrides, source) : bytes;
  const template = createTemplate(changed);
  return { source, type: template.type, template, freshId: freshId && !overridesId(overrides), applied: overrides.map(describeOverride) };
}

/**
 * One item per event type (or every catalogue type with `all`), from the fixtures: the user's own
 * in `fixtures` where it has one (a type the catalogue does not know only from there), else the built-in one.
 */
export function planFromTypes(types: readonly string[], all: boolean, overrides: readonly Override[], fixtures?: FixtureDir): PlanItem[] {
  const chosen = all ? eventTypes() : types;
  if (chosen.length === 0) {
    throw new WtbhookError("name at least one event type, or use --all, --data, --scenario or --from", {
      code: "bad-flag",
      hint: "Example: wtbhook send user.created --to http://localhost:3000/webhooks",
    });
  }
  // Every type resolved before any is planned: a typo is exit 2 before anything else is said.
  const resolved = chosen.map((type) => ({ type, fixture: resolveFixture(type, fixtures) }));
  return resolved.map(({ type, fixture }) => {
    const item = itemFrom(fixture.bytes, fixture.source, overrides, true);
    return { ...item, type: item.template.type ?? type, fixture: { source: fixture.source, own: fixture.own } };
  });
}

/** The user's own event, sent with its own bytes and id (overrides and --id still apply). */
export function planFromData(bytes: Buffer, source: string, overrides: readonly Override[]): PlanItem[] {
  // A byte order mark (an editor's, on Windows) is not part of the JSON text, and RFC 8259 forbids
  // sending one: drop it rather than report the event as invalid JSON or put it on the wire.
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (body.length === 0) throw new WtbhookError(`${source} is empty`, { code: "no-input" });
  return [itemFrom(body, source, overrides, false)];
}

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
