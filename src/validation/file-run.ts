// One file's events: the fast check of each (JSON.parse + compiled validator), counting, and a
// queue of failures explained later by the lazily loaded slow path. NDJSON lines and whole documents.

import { isUtf8 } from "node:buffer";

import { getValidator } from "../catalog/validators.js";
import type { TextPlace } from "./explain.js";
import type { Problem } from "./problems.js";
import type { LocatedProblem, ValidateFilesOptions, ValidationListener, FileReport } from "./validate-files.js";

export type SlowPath = typeof import("./explain.js");
let slowPath: Promise<SlowPath> | undefined;
/** The explaining half, loaded the first time an event fails (never in a run where all is valid). */
function loadSlowPath(): Promise<SlowPath> {
  slowPath ??= import("./explain.js");
  return slowPath;
}

/** Longest line or document read into memory; Node cannot hold a much longer string. */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;
export const BOM = [0xef, 0xbb, 0xbf];

/** True when an event is valid for sure; false sends it to the slow path for the full check. */
export type FastCheck = (value: unknown) => boolean;

/**
 * A line that may be a request recorded by `listen --record`. Only routes it: record.ts, loaded
 * with the slow path (not at start-up), decides, and checks anything else as an event.
 */
function maybeRecorded(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "request";
}

function declaredType(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const type = Object.hasOwn(value, "type") ? (value as Record<string, unknown>)["type"] : undefined;
  return typeof type === "string" ? type : undefined;
}

/** JSON.parse plus the compiled validator, nothing else: the whole cost of a valid event. */
export function createFastCheck(options: ValidateFilesOptions): FastCheck {
  // Undeclared fields are only found by the slow path's walk.
  if (options.strict === true) return () => false;
  const custom = options.schema;
  if (custom) return (value) => custom.validate(value);
  const forced = options.type === undefined ? undefined : getValidator(options.type);
  if (forced) return (value) => forced(value);
  return (value) => {
    const type = declaredType(value);
    const validator = type === undefined ? undefined : getValidator(type);
    return validator !== undefined && validator(value);
  };
}

type Job = (slow: SlowPath) => void;
interface Position {
  line: number;
  column: number;
}

/** Counts and reports the events of one file; failures wait in a queue for the slow path. */
export class FileRun {
  events = 0;
  valid = 0;
  invalid = 0;
  private jobs: Job[] = [];
  private readonly started = performance.now();
  private readonly file: string;
  private readonly fast: FastCheck;
  private readonly listener: ValidationListener;
  private readonly maxErrors: number;
  private readonly reportValid: boolean;
  private readonly checkOptions: { type: string | undefined; schema: ValidateFilesOptions["schema"]; strict: boolean };

  constructor(file: string, fast: FastCheck, listener: ValidationListener, options: ValidateFilesOptions) {
    this.file = file;
    this.fast = fast;
    this.listener = listener;
    this.maxErrors = Math.max(1, options.maxErrors ?? 20);
    this.reportValid = options.reportValid === true;
    this.checkOptions = { type: options.type, schema: options.schema, strict: options.strict === true };
  }

  /** Checks one parsed event whose text starts at `where` in `place` (an offset, computed only if needed). */
  event(value: unknown, place: TextPlace, where: number | ((slow: SlowPath) => number)): void {
    const index = this.events++;
    if (this.fast(value)) {
      this.valid++;
      if (this.reportValid) {
        this.jobs.push((slow) => {
          const at = slow.positionIn(place, typeof where === "number" ? where : where(slow));
          this.send(index, at, declaredType(value), true, []);
        });
      }
      return;
    }
    this.jobs.push((slow) => {
      const offset = typeof where === "number" ? where : where(slow);
      this.checkSlowly(slow, index, value, slow.positionIn(place, offset), (problems) => slow.locateProblems(problems, place, offset));
    });
  }

  /**
   * A request recorded by `listen --record` (one line of `lineText`): its body is checked as the
   * event, and every problem of the body is placed where the body starts in the line.
   */
  recorded(entry: unknown, lineText: string, line: number): void {
    const index = this.events++;
    this.jobs.push((slow) => {
      const unwrapped = slow.unwrapRecorded(entry);
      if ("problem" in unwrapped) {
        const start = { line, column: slow.recordedBodyColumn(lineText) };
        this.invalid++;
        this.send(index, start, undefined, false, [{ ...unwrapped.problem, ...start }]);
        return;
      }
      // Not a recorded request after all ("kind" is the only thing it shares with one): an event.
      if (unwrapped.value === entry) {
        const place = { text: lineText, line };
        this.checkSlowly(slow, index, entry, { line, column: 1 }, (problems) => slow.locateProblems(problems, place, 0));
        return;
      }
      const start = { line, column: slow.recordedBodyColumn(lineText) };
      this.checkSlowly(slow, index, unwrapped.value, start, (problems) => problems.map((problem) => ({ ...problem, ...start })));
    });
  }

  /** The full check of one event on the slow path, counted and reported; `locate` places its problems. */
  private checkSlowly(
    slow: SlowPath,
    index: number,
    value: unknown,
    start: Position,
    locate: (problems: readonly Problem[]) => LocatedProblem[],
  ): void {
    const check = slow.checkEvent(value, this.checkOptions);
    if (check.valid) {
      this.valid++;
      if (this.reportValid) this.send(index, start, check.type, true, []);
      return;
    }
    this.invalid++;
    this.send(index, start, check.type, false, locate(check.problems));
  }

  /** Something that could not be read as an event; `explain` says what and where. */
  unreadable(explain: (slow: SlowPath) => { problem: Problem; at: Position; start: Position }): void {
    const index = this.events++;
    this.jobs.push((slow) => {
      const { problem, at, start } = explain(slow);
      this.invalid++;
      this.send(index, start, undefined, false, [{ ...problem, ...at }]);
    });
  }

  private send(index: number, start: Position, type: string | undefined, valid: boolean, problems: LocatedProblem[]): void {
    const kept = problems.length > this.maxErrors ? problems.slice(0, this.maxErrors) : problems;
    this.listener.onEvent?.({
      file: this.file,
      index,
      line: start.line,
      column: start.column,
      type,
      valid,
      problems: kept,
      omitted: problems.length - kept.length,
    });
  }

  /** Runs the queued slow work, in order (loading the slow path the first time). */
  async drain(): Promise<void> {
    if (this.jobs.length === 0) return;
    const slow = await loadSlowPath();
    const jobs = this.jobs;
    this.jobs = [];
    for (const job of jobs) job(slow);
  }

  finish(stopped = false): FileReport {
    const report: FileReport = {
      file: this.file,
      events: this.events,
      valid: this.valid,
      invalid: this.invalid,
      durationMs: performance.now() - this.started,
    };
    if (stopped) report.stopped = true;
    this.listener.onFile?.(report);
    return report;
  }
}

/** Splits a byte stream into lines and checks each as one event (NDJSON). */
export class LineReader {
  private line = 0;
  /** File offset of the first byte of the next chunk. */
  private consumed = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while skipping the rest of a line that is too long to hold. */
  private skipping = false;
  private readonly run: FileRun;

  constructor(run: FileRun) {
    this.run = run;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(10);
    if (this.pending.length > 0 || this.skipping) {
      const end = newline < 0 ? chunk.length : newline;
      if (!this.skipping) {
        // Copied: the reader may reuse the chunk's memory for the next read.
        this.pending.push(Buffer.from(chunk.subarray(0, end)));
        this.pendingBytes += end;
        if (this.pendingBytes > MAX_TEXT_BYTES) this.tooLong();
      }
      if (newline < 0) {
        this.consumed += chunk.length;
        return;
      }
      if (this.skipping) {
        this.skipping = false;
      } else {
        const whole = Buffer.concat(this.pending, this.pendingBytes);
        this.lineDone(whole, 0, whole.length, this.consumed + newline - whole.length);
      }
      this.pending = [];
      this.pendingBytes = 0;
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    while (newline >= 0) {
      this.lineDone(chunk, start, newline, this.consumed + start);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      this.pending.push(Buffer.from(chunk.subarray(start)));
      this.pendingBytes = chunk.length - start;
      if (this.pendingBytes > MAX_TEXT_BYTES) this.tooLong();
    }
    this.consumed += chunk.length;
  }

  end(): void {
    if (this.skipping || this.pending.length === 0) return;
    const whole = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.lineDone(whole, 0, whole.length, this.consumed - whole.length);
  }

  /** Reports a line too long to hold, and skips the rest of it. */
  private tooLong(): void {
    const line = ++this.line;
    const problem: Problem = { pointer: "", keyword: "size", message: `line longer than ${MAX_TEXT_BYTES / 1024 / 1024} MB; not read` };
    this.run.unreadable(() => ({ problem, at: { line, column: 1 }, start: { line, column: 1 } }));
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = true;
  }

  /** One line: bytes [start, end) of `buffer`, starting at `fileOffset` in the file. */
  private lineDone(buffer: Buffer, start: number, end: number, fileOffset: number): void {
    const line = ++this.line;
    if (line === 1 && end - start >= 3 && buffer[start] === BOM[0] && buffer[start + 1] === BOM[1] && buffer[start + 2] === BOM[2]) {
      start += 3;
      fileOffset += 3;
    }
    if (start === end) return;
    const text = buffer.toString("utf8", start, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (text.trim() === "") return;
      if (!this.encodingOk(buffer, start, end, fileOffset, line, text)) return;
      this.run.unreadable((slow) => {
        const { offset, problem } = slow.explainSyntax(text);
        return { problem, at: { line, column: offset + 1 }, start: { line, column: 1 } };
      });
      return;
    }
    if (!this.encodingOk(buffer, start, end, fileOffset, line, text)) return;
    if (maybeRecorded(value)) this.run.recorded(value, text, line);
    else this.run.event(value, { text, line }, 0);
  }

  /** False (the line then reported) when the line's bytes are not valid UTF-8. */
  private encodingOk(buffer: Buffer, start: number, end: number, fileOffset: number, line: number, text: string): boolean {
    // Invalid bytes decode to U+FFFD; only then is the byte check worth its cost.
    if (!text.includes("\uFFFD")) return true;
    const bytes = buffer.subarray(start, end);
    if (isUtf8(bytes)) return true;
    const copy = Buffer.from(bytes);
    this.run.unreadable((slow) => {
      const found = slow.explainEncoding(copy, fileOffset)!;
      return { problem: found.problem, at: { line, column: found.at.column }, start: { line, column: 1 } };
    });
    return false;
  }
}

/** Checks a whole JSON document: one event, or an array of events. */
export function checkDocument(run: FileRun, bytes: Buffer): void {
  let start = 0;
  if (bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) start = 3;
  const body = bytes.subarray(start);
  if (!isUtf8(body)) {
    run.unreadable((slow) => {
      const found = slow.explainEncoding(body, start)!;
      return { problem: found.problem, at: found.at, start: { line: 1, column: 1 } };
    });
    return;
  }
  const text = body.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    run.unreadable((slow) => {
      const { offset, problem } = slow.explainSyntax(text);
      return { problem, at: new slow.LineIndex(text).position(offset), start: { line: 1, column: 1 } };
    });
    return;
  }
  // The line index and the element offsets are built once, and only if some event needs a position.
  const place: TextPlace = { text, line: 1, whole: true };
  if (!Array.isArray(value)) {
    run.event(value, place, 0);
    return;
  }
  let offsets: number[] | undefined;
  for (let i = 0; i < value.length; i++) {
    run.event(value[i], place, (slow) => {
      offsets ??= slow.arrayElementOffsets(text);
      return offsets[i] ?? 0;
    });
  }
}
