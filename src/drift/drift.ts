// Drift: real events compared with the catalogue, per event type. Fields the schemas do not declare,
// declared fields never seen, values of another type, expected fields missing, and fields whose
// confidence real traffic could raise. What it shows of real values is redacted unless asked.

import { eventCatalogue, isEventType } from "../catalog/catalog.js";
import { eventFields, type FieldInfo } from "../catalog/describe.js";
import type { Severity } from "../catalog/grade-schema.js";
import { appendPointer, parsePointer, valueAtPointer } from "../json/pointer.js";
import { previewValue } from "../validation/problems.js";
import { validateEvent } from "../validation/validate-event.js";
import type { ReadEvent, UnreadableEntry } from "./read-events.js";
import { redactKey, redactString, redactValue } from "./redact.js";

/** A JSON type as drift reports it: integer apart from number, as the schemas say them. */
export type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

export interface UndeclaredField {
  /** JSON pointer of the field; `*` stands for any array item. */
  pointer: string;
  /** How many times each JSON type was seen there. */
  types: Partial<Record<JsonType, number>>;
  /** In how many events of the type the field is present. */
  events: number;
  /** One value seen there, as brief JSON (redacted unless asked). */
  example: string;
}

export interface TypeMismatch {
  pointer: string;
  /** What the schema expects there, as validate says it ("integer", `"Topic"`). */
  expected: string;
  /** What was seen instead: JSON types with counts. */
  seen: Partial<Record<JsonType, number>>;
  /** In how many events. */
  events: number;
  /** What the graded check makes of it. */
  severity: Severity;
}

export interface MissingField {
  pointer: string;
  /** What the graded check makes of its absence. */
  severity: Severity;
  /** In how many events it was missing (of those whose parent was there). */
  events: number;
  /** Of how many events whose parent was there. */
  of: number;
}

export interface DeclaredField {
  pointer: string;
  confidence: string;
}

export interface ConfirmedField extends DeclaredField {
  /** In how many events it was present, always with a type the schema allows. */
  events: number;
}

/** What real events of one type say about the catalogue. */
export interface TypeDrift {
  type: string;
  /** Whether the catalogue knows the type (an unknown type's fields are all listed as undeclared). */
  known: boolean;
  events: number;
  /** The graded check's verdicts over these events. */
  invalid: number;
  warned: number;
  undeclared: UndeclaredField[];
  mismatches: TypeMismatch[];
  missing: MissingField[];
  /** Declared fields, expected by nothing, never seen (while their parent was). */
  neverSeen: DeclaredField[];
  /** Declared below "documented" and seen, always with an allowed type: their confidence could be raised. */
  confirmed: ConfirmedField[];
}

export interface DriftReport {
  files: number;
  events: number;
  /** Lines or documents that held no readable event. */
  unreadable: number;
  /** The first few of them, for the report. */
  unreadableExamples: UnreadableEntry[];
  /** Whether values shown were redacted. */
  redacted: boolean;
  types: TypeDrift[];
}

export interface DriftOptions {
  /** Redact the example values (emails, names, free text). @default true */
  redact?: boolean;
}

const UNREADABLE_KEPT = 10;

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "boolean" || typeof value === "string" || typeof value === "object") return typeof value as JsonType;
  return "null";
}

/** A field's dotted path (`data.object.attachments[].id`, as the catalogue describes it) as a drift pointer. */
function pointerOfPath(path: string): string {
  return `/${path.replace(/\[\]/g, ".*").split(".").join("/")}`;
}

/** A pointer with every array index as `*`: the field, whatever item it is in. */
function generalise(tokens: readonly string[], value: unknown): string {
  let pointer = "";
  let at = value;
  for (const token of tokens) {
    const isItem = Array.isArray(at);
    pointer = isItem ? `${pointer}/*` : appendPointer(pointer, token);
    at = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[token] : undefined;
  }
  return pointer;
}

function parentOf(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf("/"));
}

function bump<K extends string>(counts: Partial<Record<K, number>>, key: K, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

interface FieldStats {
  events: number;
  types: Partial<Record<JsonType, number>>;
  example: unknown;
  exampleKey: string | undefined;
}

interface TypeState {
  type: string;
  known: boolean;
  events: number;
  invalid: number;
  warned: number;
  /** Every field seen, by generalised pointer. */
  fields: Map<string, FieldStats>;
  mismatches: Map<string, { expected: string; seen: Partial<Record<JsonType, number>>; events: number; severity: Severity }>;
  /** Declared fields with a cost when missing: pointer → events missing it, events whose parent was there. */
  missing: Map<string, { severity: Severity; events: number; of: number }>;
}

/** Collects events one by one (memory grows with the number of distinct fields, not of events). */
export class DriftCollector {
  private readonly states = new Map<string, TypeState>();
  private readonly declared = new Map<string, FieldInfo[]>();
  private readonly unreadableExamples: UnreadableEntry[] = [];
  private unreadable = 0;
  private events = 0;
  private readonly redact: boolean;

  constructor(options: DriftOptions = {}) {
    this.redact = options.redact !== false;
  }

  private fieldsOf(type: string): FieldInfo[] {
    let fields = this.declared.get(type);
    if (!fields) {
      fields = isEventType(type)
        ? eventFields(type)
        : eventFields("user.created").filter((field) => !field.path.startsWith("data.object."));
      this.declared.set(type, fields);
    }
    return fields;
  }

  addUnreadable(entry: UnreadableEntry): void {
    this.unreadable++;
    if (this.unreadableExamples.length < UNREADABLE_KEPT) this.unreadableExamples.push(entry);
  }

  add(event: ReadEvent): void {
    const record = event.value as Record<string, unknown>;
    const type = typeof record["type"] === "string" ? record["type"] : "(no type)";
    let state = this.states.get(type);
    if (!state) {
      state = {
        type,
        known: isEventType(type),
        events: 0,
        invalid: 0,
        warned: 0,
        fields: new Map(),
        mismatches: new Map(),
        missing: new Map(),
      };
      this.states.set(type, state);
    }
    this.events++;
    state.events++;
    this.walk(state, event.value);
    this.grade(state, event.value);
    this.countMissing(state, event.value);
  }

  /** Every field present, once per event, with its JSON type and a first example. */
  private walk(state: TypeState, root: unknown): void {
    const seen = new Set<string>();
    const visit = (value: unknown, pointer: string, key: string | undefined, depth: number): void => {
      if (depth > 32) return;
      if (pointer !== "") {
        let stats = state.fields.get(pointer);
        if (!stats) {
          stats = { events: 0, types: {}, example: value, exampleKey: key };
          state.fields.set(pointer, stats);
        }
        if (!seen.has(pointer)) {
          seen.add(pointer);
          stats.events++;
        }
        bump(stats.types, jsonTypeOf(value));
      }
      if (Array.isArray(value)) for (const item of value) visit(item, `${pointer}/*`, key, depth + 1);
      else if (value !== null && typeof value === "object") {
        for (const [name, item] of Object.entries(value)) visit(item, appendPointer(pointer, name), name, depth + 1);
      }
    };
    visit(root, "", undefined, 0);
  }

  /** The graded check (infos included): its verdict, and the values of another type than the schema's. */
  private grade(state: TypeState, value: unknown): void {
    if (!state.known) return;
    const check = validateEvent(value, { info: true });
    if (!check.valid) state.invalid++;
    else if (check.severity === "warning") state.warned++;
    const counted = new Set<string>();
    for (const problem of check.problems) {
      if (problem.keyword !== "type" && problem.keyword !== "const" && problem.keyword !== "enum" && problem.keyword !== "not") continue;
      const tokens = parsePointer(problem.pointer);
      const pointer = generalise(tokens, value);
      let entry = state.mismatches.get(pointer);
      if (!entry) {
        entry = { expected: problem.expected ?? problem.message, seen: {}, events: 0, severity: problem.severity };
        state.mismatches.set(pointer, entry);
      }
      bump(entry.seen, jsonTypeOf(valueAtPointer(value, tokens)));
      if (!counted.has(pointer)) {
        counted.add(pointer);
        entry.events++;
      }
    }
  }

  /** Declared fields that cost something when missing: how often they were, where their parent was there. */
  private countMissing(state: TypeState, value: unknown): void {
    if (!state.known) return;
    const inner = valueAtPointer(value, ["data", "object"]);
    const objectName = inner !== null && typeof inner === "object" ? (inner as Record<string, unknown>)["object"] : undefined;
    for (const field of this.fieldsOf(state.type)) {
      if (field.ifMissing === undefined) continue;
      if (field.ifMissingWhen !== undefined && field.ifMissingWhen !== objectName) continue;
      const pointer = pointerOfPath(field.path);
      // Items of arrays are not counted one by one: the field's pointer has no index to look at.
      if (pointer.includes("/*")) continue;
      const parent = valueAtPointer(value, parsePointer(parentOf(pointer)));
      if (parent === null || typeof parent !== "object" || Array.isArray(parent)) continue;
      let entry = state.missing.get(pointer);
      if (!entry) {
        entry = { severity: field.ifMissing, events: 0, of: 0 };
        state.missing.set(pointer, entry);
      }
      entry.of++;
      if (!Object.hasOwn(parent, parsePointer(pointer).at(-1)!)) entry.events++;
    }
  }

  private example(stats: FieldStats): string {
    const value = this.redact ? redactValue(stats.example, stats.exampleKey) : stats.example;
    return previewValue(value, 60);
  }

  private report(state: TypeState): TypeDrift {
    const declared = this.fieldsOf(state.type);
    const declaredPointers = new Map(declared.map((field) => [pointerOfPath(field.path), field]));
    // A declared field with declared children is closed to the report; one without (customFields) is free-form.
    const hasChildren = new Set([...declaredPointers.keys()].map(parentOf));
    const undeclared: UndeclaredField[] = [];
    for (const [pointer, stats] of state.fields) {
      if (declaredPointers.has(pointer)) continue;
      const parent = parentOf(pointer);
      // The items of a declared array are declared with it (the catalogue lists `list[].field`, not `list[]`).
      const parentDeclared =
        parent === "" || declaredPointers.has(parent) || (parent.endsWith("/*") && declaredPointers.has(parentOf(parent)));
      // Only the top-most undeclared field is listed (its insides go with it), and nothing inside a free-form one;
      // of a type the catalogue does not know, every field inside data.object.
      const listed = state.known
        ? parentDeclared && (parent === "" || hasChildren.has(parent))
        : pointer.startsWith("/data/object/") || (parentDeclared && hasChildren.has(parent));
      if (!listed) continue;
      undeclared.push({ pointer: this.redactPointer(pointer), types: stats.types, events: stats.events, example: this.example(stats) });
    }
    const mismatches = [...state.mismatches].map(([pointer, entry]) => ({ pointer: this.redactPointer(pointer), ...entry }));
    const missing = [...state.missing].filter(([, entry]) => entry.events > 0).map(([pointer, entry]) => ({ pointer, ...entry }));
    const seenPointers = new Set(state.fields.keys());
    const neverSeen: DeclaredField[] = [];
    const confirmed: ConfirmedField[] = [];
    if (state.known) {
      for (const [pointer, field] of declaredPointers) {
        const stats = state.fields.get(pointer);
        if (!stats) {
          const parent = parentOf(pointer);
          if (field.ifMissing === undefined && (parent === "" || seenPointers.has(parent)))
            neverSeen.push({ pointer, confidence: field.confidence });
        } else if (field.confidence !== "documented" && !state.mismatches.has(pointer)) {
          confirmed.push({ pointer, confidence: field.confidence, events: stats.events });
        }
      }
    }
    return {
      // A type is kept as it is when it looks like one; anything else (an address sent as a type) is redacted.
      type: this.redact ? redactString(state.type, "type", true) : state.type,
      known: state.known,
      events: state.events,
      invalid: state.invalid,
      warned: state.warned,
      undeclared: undeclared.sort((a, b) => b.events - a.events || a.pointer.localeCompare(b.pointer)),
      mismatches: mismatches.sort((a, b) => b.events - a.events || a.pointer.localeCompare(b.pointer)),
      missing: missing.sort((a, b) => rank(a.severity) - rank(b.severity) || b.events - a.events || a.pointer.localeCompare(b.pointer)),
      neverSeen,
      confirmed: confirmed.sort((a, b) => b.events - a.events || a.pointer.localeCompare(b.pointer)),
    };
  }

  /** A pointer whose member names might be data (an email as a key): each name redacted as a key. */
  private redactPointer(pointer: string): string {
    if (!this.redact) return pointer;
    return parsePointer(pointer).reduce((out, token) => (token === "*" ? `${out}/*` : appendPointer(out, redactKey(token))), "");
  }

  /** The report so far: known types in catalogue order, then the others by name. */
  finish(files: number): DriftReport {
    const order = new Map(eventCatalogue().map((entry, i) => [entry.type, i]));
    const types = [...this.states.values()]
      .sort((a, b) => (order.get(a.type) ?? Infinity) - (order.get(b.type) ?? Infinity) || a.type.localeCompare(b.type))
      .map((state) => this.report(state));
    return {
      files,
      events: this.events,
      unreadable: this.unreadable,
      unreadableExamples: this.unreadableExamples,
      redacted: this.redact,
      types,
    };
  }
}

function rank(severity: Severity): number {
  return severity === "error" ? 0 : severity === "warning" ? 1 : 2;
}
