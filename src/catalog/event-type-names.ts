// The names of the event types, read from the schema files' names alone (no schema is opened):
// the one list, cheap enough for shell completion. catalog.ts adds descriptions and order.
import { readdirSync } from "node:fs";

/**
 * The folder of the event schemas. Made when asked for, not when the module loads: building a URL
 * from the module's own path is start-up time that shell completion of a flag does not need.
 */
export const eventSchemaDir = (): URL => new URL("./schemas/events/", import.meta.url);
export const EVENT_SUFFIX = ".schema.json";

/** Every event type, in file-name order (catalog.ts's eventTypes() has the catalogue's order). */
export function eventTypeNames(): string[] {
  return readdirSync(eventSchemaDir())
    .filter((name) => name.endsWith(EVENT_SUFFIX))
    .map((name) => name.slice(0, -EVENT_SUFFIX.length))
    .sort();
}
