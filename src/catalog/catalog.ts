// The event catalogue: which event types exist, their schemas and their fixtures, all read from disk.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { WtbhookError } from "../errors.js";
import { EVENT_DIR, EVENT_SUFFIX, eventTypeNames } from "./event-type-names.js";

/** A JSON Schema as stored in src/catalog/schemas (annotations included). */
export type JsonSchema = Record<string, unknown>;

const SCHEMA_DIR = join(import.meta.dirname, "schemas");
const FIXTURE_DIR = join(import.meta.dirname, "..", "..", "fixtures");

export interface EventTypeInfo {
  type: string;
  /** One line saying when Website Toolbox sends it. */
  description: string;
  /** How sure we are of the payload: documented, documented-2017, seen-in-code, inferred, speculative. */
  confidence: string;
}

let catalogue: readonly EventTypeInfo[] | undefined;

function readJson(file: string): JsonSchema {
  return JSON.parse(readFileSync(file, "utf8")) as JsonSchema;
}

/** Every event type with its description, in catalogue order (the schemas' `x-order`). */
export function eventCatalogue(): readonly EventTypeInfo[] {
  if (catalogue) return catalogue;
  const entries = eventTypeNames()
    .map((type) => {
      const schema = readJson(join(EVENT_DIR, `${type}${EVENT_SUFFIX}`));
      return {
        type,
        description: typeof schema["description"] === "string" ? schema["description"] : "",
        confidence: typeof schema["x-confidence"] === "string" ? schema["x-confidence"] : "inferred",
        order: typeof schema["x-order"] === "number" ? schema["x-order"] : Number.MAX_SAFE_INTEGER,
      };
    })
    .sort((a, b) => a.order - b.order || a.type.localeCompare(b.type));
  catalogue = entries.map(({ type, description, confidence }) => ({ type, description, confidence }));
  return catalogue;
}

/** The event types in catalogue order. */
let typeList: readonly string[] | undefined;
let typeSet: ReadonlySet<string> | undefined;

export function eventTypes(): readonly string[] {
  typeList ??= Object.freeze(eventCatalogue().map((entry) => entry.type));
  return typeList;
}

export function isEventType(name: string): boolean {
  // The folder's listing: whether a name is a type needs no schema read.
  typeSet ??= new Set(eventTypeNames());
  return typeSet.has(name);
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment), so
 * that "craeted" is one edit from "created", as a person sees it.
 */
function typoDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known event type that `name` is a typo of: the same but for case, or one edit away (a
 * letter added, dropped or changed, or two neighbours swapped: "user.craeted", "user.update").
 * Undefined for a known type, and for names further away: those may be types Website Toolbox
 * added ("post.rejected" is two edits from post.deleted, and may well be real).
 */
export function typoOfEventType(name: string): string | undefined {
  if (isEventType(name)) return undefined;
  const lower = name.toLowerCase();
  for (const type of eventTypes()) {
    // Far apart in length cannot be one edit apart: most names are ruled out without the table.
    if (Math.abs(type.length - lower.length) > 1) continue;
    if (typoDistance(lower, type) <= 1) return type;
  }
  return undefined;
}

/** The known event types closest to a mistyped name, best first (at most `limit`). */
export function closestEventTypes(name: string, limit = 3): string[] {
  const lower = name.toLowerCase();
  return eventTypes()
    .map((type) => {
      const prefix = type.startsWith(lower) || lower.startsWith(type) ? -2 : 0;
      const family = type.split(".")[0] === lower.split(".")[0] ? -1 : 0;
      return { type, score: editDistance(lower, type) + prefix + family };
    })
    .sort((a, b) => a.score - b.score)
    .slice(0, limit)
    .map((entry) => entry.type);
}

/** Throws a usage error naming the closest known types unless `name` is a known event type. */
export function assertEventType(name: string): void {
  if (isEventType(name)) return;
  throw new WtbhookError(`unknown event type "${name}"; did you mean ${closestEventTypes(name).join(", ")}?`, {
    code: "unknown-type",
    hint: "Run `wtbhook fixtures` to list every event type.",
  });
}

/** Every schema file (envelope, objects, events), keyed by its path under schemas/. */
export function loadSchemaFiles(): Map<string, JsonSchema> {
  const files = new Map<string, JsonSchema>();
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith(EVENT_SUFFIX)) files.set(`${prefix}${entry.name}`, readJson(join(dir, entry.name)));
    }
  };
  walk(SCHEMA_DIR, "");
  return files;
}

/** The schema of one event type, as stored (with `$ref`s to the envelope and objects). */
export function eventSchema(type: string): JsonSchema {
  assertEventType(type);
  return readJson(join(EVENT_DIR, `${type}${EVENT_SUFFIX}`));
}

/** The exact bytes of an event type's fixture: what `send` puts on the wire. */
export function loadFixture(type: string): Buffer {
  assertEventType(type);
  return readFileSync(join(FIXTURE_DIR, `${type}.json`));
}
