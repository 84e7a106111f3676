// Which fields of an event its schema does not require, read through the catalogue (never a list
// kept by hand): minimal-payload removes them, null-fields sets them to null.

import { eventFields } from "../catalog/describe.js";

const requiredByType = new Map<string, { path: string; required: boolean }[]>();

function fieldsOf(type: string): { path: string; required: boolean }[] {
  let fields = requiredByType.get(type);
  if (fields === undefined) {
    // Elements of arrays (`attachments[].id`) are left alone: an array's items are all or nothing.
    fields = eventFields(type)
      .filter((field) => !field.path.includes("[]"))
      .map(({ path, required }) => ({ path, required }));
    requiredByType.set(type, fields);
  }
  return fields;
}

function has(value: unknown, path: readonly string[]): boolean {
  let current = value;
  for (const segment of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current) || !Object.hasOwn(current, segment)) return false;
    current = (current as Record<string, unknown>)[segment];
  }
  return true;
}

/**
 * The dotted paths of the optional fields present in `event` whose parents are all required: the
 * outermost optional ones (removing `data.object.author` takes its fields with it). In schema
 * order. `event` is the parsed body, only read.
 */
export function outermostOptionalFields(type: string, event: unknown): string[] {
  const found: string[] = [];
  for (const field of fieldsOf(type)) {
    if (field.required) continue;
    if (found.some((outer) => field.path.startsWith(`${outer}.`))) continue;
    if (has(event, field.path.split("."))) found.push(field.path);
  }
  return found;
}
