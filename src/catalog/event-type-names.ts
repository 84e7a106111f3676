// The names of the event types, read from the schema files' names alone (no schema is opened):
// the one list, cheap enough for shell completion. catalog.ts adds descriptions and order.
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** The folder of the event schemas. */
export const EVENT_DIR = join(import.meta.dirname, "schemas", "events");
export const EVENT_SUFFIX = ".schema.json";

/** Every event type, in file-name order (catalog.ts's eventTypes() has the catalogue's order). */
export function eventTypeNames(): string[] {
  return readdirSync(EVENT_DIR)
    .filter((name) => name.endsWith(EVENT_SUFFIX))
    .map((name) => name.slice(0, -EVENT_SUFFIX.length))
    .sort();
}
