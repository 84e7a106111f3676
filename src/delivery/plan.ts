// What `send` will deliver, in order: events built from fixtures or the user's own file, each with
// the overrides it received (a scenario's plan is in scenarios.ts, a recording's in replay-plan.ts).

import { eventTypes } from "../catalog/catalog.js";
import { resolveFixture, type FixtureDir } from "../catalog/fixtures.js";
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
