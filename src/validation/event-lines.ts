// NDJSON: each line (from json/lines.ts) parsed and checked as one event, or as the request of a
// listen --record file; what fails is queued for the explainer with a copy of its line.

import { isUtf8 } from "node:buffer";

import type { LinePlace, LineSink } from "../json/lines.js";
import { MAX_TEXT_BYTES, type FileRun } from "./file-run.js";
import type { Text } from "./pending.js";
import { validateEvent, type ValidateEventOptions } from "./validate-event.js";

/**
 * A line that may be a request recorded by `listen --record`. Only routes it: record.ts, loaded
 * with the explainer (not at start-up), decides, and checks anything else as an event.
 */
function maybeRecorded(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "request";
}

/** The line as a text to explain, copied: the chunk's memory is reused by the next read. */
function copyOf(chunk: Buffer, start: number, end: number, place: Readonly<LinePlace>): Text {
  return { bytes: Buffer.from(chunk.subarray(start, end)), line: place.number, fileOffset: place.offset };
}

function isBlank(chunk: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = chunk[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  }
  return true;
}

export class EventLines implements LineSink {
  private readonly run: FileRun;
  private readonly check: ValidateEventOptions;

  constructor(run: FileRun) {
    this.run = run;
    this.check = run.options.check;
  }

  line(chunk: Buffer, start: number, end: number, place: Readonly<LinePlace>): void {
    if (start === end) return;
    const run = this.run;
    const decoded = chunk.toString("utf8", start, end);
    let value: unknown;
    try {
      value = JSON.parse(decoded);
    } catch {
      if (isBlank(chunk, start, end)) return;
      const index = run.nextIndex();
      if (!this.encodingOk(decoded, chunk, start, end))
        run.explainLater({ kind: "encoding", index, text: copyOf(chunk, start, end, place) });
      else run.explainLater({ kind: "syntax", index, text: copyOf(chunk, start, end, place), lastLine: !place.terminated });
      return;
    }
    const index = run.nextIndex();
    if (!this.encodingOk(decoded, chunk, start, end)) {
      run.explainLater({ kind: "encoding", index, text: copyOf(chunk, start, end, place) });
      return;
    }
    if (maybeRecorded(value)) {
      run.explainLater({ kind: "recorded", index, entry: value, place: { text: copyOf(chunk, start, end, place), start: 0 } });
      return;
    }
    const check = validateEvent(value, this.check);
    if (check.valid) run.valid(index, check, place.number, () => ({ text: copyOf(chunk, start, end, place), start: 0 }));
    else run.explainLater({ kind: "checked", index, check, place: { text: copyOf(chunk, start, end, place), start: 0 } });
  }

  tooLong(place: LinePlace): void {
    const problem = {
      pointer: "",
      severity: "error" as const,
      keyword: "size",
      message: `line longer than ${MAX_TEXT_BYTES / 1024 / 1024} MB; not read`,
    };
    this.run.unreadable(this.run.nextIndex(), place.number, problem);
  }

  /** False when the line's bytes are not valid UTF-8. */
  private encodingOk(decoded: string, chunk: Buffer, start: number, end: number): boolean {
    // Invalid bytes decode to U+FFFD; only then is the byte check worth its cost.
    return !decoded.includes("\uFFFD") || isUtf8(chunk.subarray(start, end));
  }
}
