// What `send` will deliver, in order: events built from fixtures, the user's own file, a scenario
// or a recording, each with the overrides it received.

import { assertEventType, eventTypes, loadFixture } from "../catalog/catalog.js";
import { parseRecordLine } from "../record/record.js";
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
  /** The headers recorded with the event (`--from` a recording), lower-case names. */
  recordedHeaders?: Readonly<Record<string, string>> | undefined;
  /** Request headers for this item instead of the run's (`--recorded-headers`). */
  headers?: Readonly<Record<string, string>> | undefined;
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

/** One item per event type (or every type with `all`), from the fixtures. */
export function planFromTypes(types: readonly string[], all: boolean, overrides: readonly Override[]): PlanItem[] {
  const chosen = all ? eventTypes() : types;
  if (chosen.length === 0) {
    throw new WtbhookError("name at least one event type, or use --all, --data, --scenario or --from", {
      code: "no-events",
      hint: "Example: wtbhook send user.created --to http://localhost:3000/webhooks",
    });
  }
  for (const type of chosen) assertEventType(type);
  return chosen.map((type) => {
    const item = itemFrom(loadFixture(type), `fixtures/${type}.json`, overrides, true);
    return { ...item, type: item.template.type ?? type };
  });
}

/** The user's own event, sent with its own bytes and id (overrides and --id still apply). */
export function planFromData(bytes: Buffer, source: string, overrides: readonly Override[]): PlanItem[] {
  // A byte order mark (an editor's, on Windows) is not part of the JSON text, and RFC 8259 forbids
  // sending one: drop it rather than report the event as invalid JSON or put it on the wire.
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (body.length === 0) throw new WtbhookError(`${source} is empty`, { code: "empty-data" });
  return [itemFrom(body, source, overrides, false)];
}

/**
 * Every event of a recording (or NDJSON file of events), in order, with the recorded bytes.
 * @throws WtbhookError (exit 2) naming the first corrupt line.
 */
export function planFromRecording(text: string, source: string, typeFilter: readonly string[]): PlanItem[] {
  const items: PlanItem[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const entry = parseRecordLine(lines[index]!, index + 1, source);
    if (!entry) continue;
    if (typeFilter.length > 0 && (entry.type === undefined || !typeFilter.includes(entry.type))) continue;
    const template = createTemplate(entry.body);
    items.push({ source: `${source}:${entry.line}`, type: entry.type ?? template.type, template, freshId: false, applied: [] });
  }
  if (items.length === 0) {
    const filtered = typeFilter.length > 0 ? ` of type ${typeFilter.join(", ")}` : "";
    throw new WtbhookError(`${source} holds no events${filtered} to replay`, { code: "no-events" });
  }
  return items;
}
