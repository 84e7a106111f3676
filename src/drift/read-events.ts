// Reads real events for drift and fixtures import: listen recordings (the event inside each
// recorded request), NDJSON of events, and JSON files of one event or an array of events, with
// each event's exact bytes. Files are found and opened as validate does.

import { isUtf8 } from "node:buffer";
import { extname } from "node:path";

import { WtbhookError } from "../errors.js";
import { scanDocument } from "../json/edit.js";
import { LineSplitter } from "../json/lines.js";
import { startsWithBom } from "../json/utf8.js";
import { recordedBody } from "../record/record.js";
import { expandInputs, type InputFile } from "../validation/input-files.js";
import { FirstLineWatch, looksLikeLines, openSource, readError } from "../validation/read-source.js";

/** One event as read. */
export interface ReadEvent {
  /** The file, as named. */
  file: string;
  /** Line of the file where the event (or its recorded request) is. */
  line: number;
  /** The event's exact bytes: the recorded body, or its line or document text. */
  bytes: Buffer;
  /** The parsed event. */
  value: unknown;
  /** When listen received it (a recording's `time`), if known. */
  time: string | undefined;
}

/** Something in the input that is not an event that can be read. */
export interface UnreadableEntry {
  file: string;
  line: number;
  reason: string;
}

export interface ReadEventsOptions {
  cwd: string;
  /** Standard input, asked for only for the path `-` (asking opens the process's own). */
  stdin?: (() => NodeJS.ReadableStream) | undefined;
  signal?: AbortSignal | undefined;
}

export interface ReadEventsSummary {
  files: number;
  events: number;
  unreadable: number;
}

/** Longest line or document read (as validate): Node cannot hold a much longer string. */
const MAX_TEXT_BYTES = 256 * 1024 * 1024;
const NDJSON_EXTENSIONS = new Set([".ndjson", ".jsonl"]);

/** A value from a line or document: the event in a recorded request, or the value itself. */
function eventOf(value: unknown, bytes: Buffer): { value: unknown; bytes: Buffer; time: string | undefined } | { reason: string } {
  const recorded = recordedBody(value);
  if (recorded === undefined) return { value, bytes, time: undefined };
  if ("error" in recorded) return { reason: recorded.error };
  if (!isUtf8(recorded.bytes)) return { reason: "the recorded body is not UTF-8" };
  try {
    const time = typeof recorded.entry.time === "string" ? recorded.entry.time : undefined;
    return { value: JSON.parse(recorded.bytes.toString("utf8")), bytes: recorded.bytes, time };
  } catch {
    return { reason: "the recorded body is not JSON (the sender did not send an event)" };
  }
}

/** Turns texts into events (or reasons they are none), counting both. */
class Reader {
  events = 0;
  unreadable = 0;
  private readonly onEvent: (event: ReadEvent) => void;
  private readonly onUnreadable: (entry: UnreadableEntry) => void;

  constructor(onEvent: (event: ReadEvent) => void, onUnreadable: (entry: UnreadableEntry) => void) {
    this.onEvent = onEvent;
    this.onUnreadable = onUnreadable;
  }

  take(file: string, line: number, text: Buffer): void {
    let value: unknown;
    try {
      value = JSON.parse(text.toString("utf8"));
    } catch {
      this.skip(file, line, "not JSON");
      return;
    }
    if (Array.isArray(value)) {
      this.takeArray(file, line, text, value);
      return;
    }
    this.takeValue(file, line, value, text);
  }

  private takeArray(file: string, line: number, text: Buffer, values: unknown[]): void {
    const slots = scanDocument(text).slots;
    values.forEach((value, i) => {
      const slot = slots[i]!;
      this.takeValue(file, line, value, text.subarray(slot.valueStart, slot.valueEnd));
    });
  }

  private takeValue(file: string, line: number, value: unknown, bytes: Buffer): void {
    const found = eventOf(value, bytes);
    if ("reason" in found) return this.skip(file, line, found.reason);
    if (found.value === null || typeof found.value !== "object" || Array.isArray(found.value))
      return this.skip(file, line, "not an event object");
    this.events++;
    this.onEvent({ file, line, bytes: Buffer.from(found.bytes), value: found.value, time: found.time });
  }

  skip(file: string, line: number, reason: string): void {
    this.unreadable++;
    this.onUnreadable({ file, line, reason });
  }
}

async function readFile(input: InputFile, reader: Reader, options: ReadEventsOptions): Promise<void> {
  const source = openSource(input, options.stdin, options.signal);
  const byExtension = input.path !== undefined && NDJSON_EXTENSIONS.has(extname(input.path).toLowerCase());
  const lineSplitter = (): LineSplitter =>
    new LineSplitter(
      {
        line: (chunk, start, end, place) => {
          const text = chunk.subarray(start, end);
          if (text.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0d)) return;
          reader.take(input.name, place.number, text);
        },
        tooLong: (place) => reader.skip(input.name, place.number, `longer than ${MAX_TEXT_BYTES / 1024 / 1024} MB`),
      },
      MAX_TEXT_BYTES,
    );
  let lines = byExtension ? lineSplitter() : undefined;
  const held: Buffer[] = [];
  const watch = new FirstLineWatch();
  try {
    for (;;) {
      if (options.signal?.aborted) return;
      let chunk: Buffer | undefined;
      try {
        chunk = await source.read();
      } catch (error) {
        throw error instanceof WtbhookError ? error : readError(input, error);
      }
      if (!chunk) break;
      if (lines) {
        lines.push(chunk);
        continue;
      }
      held.push(chunk);
      if (watch.add(chunk)) {
        const head = Buffer.concat(held);
        held.length = 0;
        if (looksLikeLines(head)) {
          lines = lineSplitter();
          lines.push(head);
        } else held.push(head);
      }
    }
  } finally {
    source.close();
  }
  if (lines) {
    lines.end();
    return;
  }
  const whole = Buffer.concat(held);
  const body = whole.subarray(startsWithBom(whole) ? 3 : 0);
  if (body.every((byte) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09)) return;
  if (body.length > MAX_TEXT_BYTES)
    return reader.skip(input.name, 1, `a single JSON document larger than ${MAX_TEXT_BYTES / 1024 / 1024} MB`);
  reader.take(input.name, 1, body);
}

/**
 * Reads every event of the given paths (files, folders walked as validate walks them, `-` for
 * stdin), in order, handing each to `onEvent` and each line or document that holds no readable
 * event to `onUnreadable`.
 * @throws WtbhookError (exit 2) for a path that cannot be read.
 */
export async function readEvents(
  paths: readonly string[],
  options: ReadEventsOptions,
  onEvent: (event: ReadEvent) => void,
  onUnreadable: (entry: UnreadableEntry) => void = () => {},
): Promise<ReadEventsSummary> {
  const inputs = expandInputs(paths, options.cwd);
  const reader = new Reader(onEvent, onUnreadable);
  let files = 0;
  for (const input of inputs) {
    if (options.signal?.aborted) break;
    await readFile(input, reader, options);
    files++;
  }
  return { files, events: reader.events, unreadable: reader.unreadable };
}
