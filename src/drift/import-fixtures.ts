// `fixtures import`: real events (a listen recording, NDJSON, event files) saved as the user's own
// fixtures, DIR/<type>.json: the newest event of each type, or with `all` every distinct shape.
// Strings are redacted unless asked; every other byte of the event is kept as it was received.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

import type { Severity } from "../catalog/grade-schema.js";
import { describeFileError, WtbhookError } from "../errors.js";
import { appendPointer } from "../json/pointer.js";
import { validateEvent } from "../validation/validate-event.js";
import { jsonTypeOf } from "./drift.js";
import { readEvents, type ReadEvent, type UnreadableEntry } from "./read-events.js";
import { redactJsonBytes } from "./redact.js";

export interface ImportOptions {
  cwd: string;
  /** Standard input, asked for only for the path `-`. */
  stdin?: (() => NodeJS.ReadableStream) | undefined;
  signal?: AbortSignal | undefined;
  /** The folder to write to, as the user named it (created when missing). */
  dir: string;
  /** Every distinct shape of each type, not only the newest event. @default false */
  all?: boolean;
  /** Redact email addresses, names and free text. @default true */
  redact?: boolean;
  /** Replace files that exist. @default false */
  force?: boolean;
}

export interface ImportedFixture {
  type: string;
  /** The file written (or kept), as the user would name it: DIR/<type>.json, DIR/<type>.shape-2.json. */
  file: string;
  /** Where the event was read: file and line. */
  from: string;
  /** When listen received it, if the input says. */
  time: string | undefined;
  /** Strings redacted in it. */
  redacted: number;
  /** What the graded check makes of the fixture as written (worst severity, or none). */
  severity: Severity | undefined;
  /** "written", or "kept" when the file existed and `force` was not given. */
  outcome: "written" | "kept";
}

export interface ImportResult {
  events: number;
  unreadable: number;
  unreadableExamples: UnreadableEntry[];
  fixtures: ImportedFixture[];
  /** Events left out because their type cannot name a file (none, or characters such as `/`). */
  skipped: { from: string; reason: string }[];
}

/** A type that is safe as a file name in DIR: what `--fixtures DIR` can find again. */
const FILE_TYPE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The event's shape: every field's generalised pointer (array items as `*`) with its JSON type. */
export function shapeOf(value: unknown): string {
  const parts = new Set<string>();
  const visit = (at: unknown, pointer: string, depth: number): void => {
    if (depth > 32) return;
    if (pointer !== "") parts.add(`${pointer}:${jsonTypeOf(at)}`);
    if (Array.isArray(at)) for (const item of at) visit(item, `${pointer}/*`, depth + 1);
    else if (at !== null && typeof at === "object") {
      for (const [name, item] of Object.entries(at)) visit(item, appendPointer(pointer, name), depth + 1);
    }
  };
  visit(value, "", 0);
  return [...parts].sort().join("\n");
}

/** Later wins: by the recording's time when both have one, else by order of reading. */
function newer(a: { event: ReadEvent; order: number }, b: { event: ReadEvent; order: number }): boolean {
  if (a.event.time !== undefined && b.event.time !== undefined && a.event.time !== b.event.time) return a.event.time > b.event.time;
  return a.order > b.order;
}

function label(dir: string, file: string): string {
  return dir.endsWith("/") ? `${dir}${file}` : `${dir}/${file}`;
}

/**
 * Reads the events and writes the fixtures.
 * @throws WtbhookError (exit 2) when an input cannot be read or DIR cannot be written.
 */
export async function importFixtures(paths: readonly string[], options: ImportOptions): Promise<ImportResult> {
  const all = options.all === true;
  // type → shape (or "" when one per type) → newest event.
  const chosen = new Map<string, Map<string, { event: ReadEvent; order: number }>>();
  const skipped: ImportResult["skipped"] = [];
  const unreadableExamples: UnreadableEntry[] = [];
  let order = 0;
  const summary = await readEvents(
    paths,
    { cwd: options.cwd, stdin: options.stdin, signal: options.signal },
    (event) => {
      const type = (event.value as { type?: unknown }).type;
      const from = `${event.file}:${event.line}`;
      if (typeof type !== "string") return void skipped.push({ from, reason: "the event has no type" });
      if (!FILE_TYPE.test(type)) return void skipped.push({ from, reason: `its type ${JSON.stringify(type)} cannot name a file` });
      let shapes = chosen.get(type);
      if (!shapes) {
        shapes = new Map<string, { event: ReadEvent; order: number }>();
        chosen.set(type, shapes);
      }
      const key = all ? shapeOf(event.value) : "";
      const candidate = { event, order: order++ };
      const held = shapes.get(key);
      if (!held || newer(candidate, held)) shapes.set(key, candidate);
    },
    (entry) => {
      if (unreadableExamples.length < 10) unreadableExamples.push(entry);
    },
  );
  if (chosen.size === 0) {
    const why = [
      ...skipped.map((entry) => `${entry.from}: ${entry.reason}`),
      ...unreadableExamples.map((e) => `${e.file}:${e.line}: ${e.reason}`),
    ];
    throw new WtbhookError(`no event to import from ${paths.join(", ")}${why.length > 0 ? ` (${why.slice(0, 3).join("; ")})` : ""}`, {
      code: summary.unreadable > 0 ? "unreadable-input" : "no-input",
      hint: "fixtures import reads listen recordings, NDJSON of events, and JSON files of an event or an array of events.",
    });
  }
  const path = resolve(options.cwd, options.dir);
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    const notFolder = (error as NodeJS.ErrnoException).code === "EEXIST";
    const reason = notFolder ? `${options.dir} is not a folder` : describeFileError(error, options.dir, "folder");
    throw new WtbhookError(`--dir: ${reason}`, { code: "cannot-write", cause: error });
  }
  const fixtures: ImportedFixture[] = [];
  for (const [type, shapes] of chosen) {
    const newestFirst = [...shapes.values()].sort((a, b) => (newer(a, b) ? -1 : 1));
    newestFirst.forEach(({ event }, i) => {
      const file = i === 0 ? `${type}.json` : `${type}.shape-${i + 1}.json`;
      const { bytes, redacted } = options.redact === false ? { bytes: event.bytes, redacted: 0 } : redactJsonBytes(event.bytes);
      const check = validateEvent(JSON.parse(bytes.toString("utf8")));
      const fixture = {
        type,
        file: label(options.dir, file),
        from: `${event.file}:${event.line}`,
        time: event.time,
        redacted,
        severity: check.severity,
      };
      try {
        writeFileSync(join(path, file), bytes, { flag: options.force === true ? "w" : "wx" });
        fixtures.push({ ...fixture, outcome: "written" });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") fixtures.push({ ...fixture, outcome: "kept" });
        else throw new WtbhookError(describeFileError(error, fixture.file), { code: "cannot-write", cause: error });
      }
    });
  }
  return { events: summary.events, unreadable: summary.unreadable, unreadableExamples, fixtures, skipped };
}
