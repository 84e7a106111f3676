// Validates files of events as streams: NDJSON line by line from Buffer chunks, or whole documents
// (one event or an array of events). Positions are computed only for events that fail.

import { isUtf8 } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { extname } from "node:path";

import { assertEventType } from "../catalog/catalog.js";
import { getValidator, type CompiledValidator } from "../catalog/validators.js";
import { describeCause, WtbhookError } from "../errors.js";
import type { TextPlace } from "./explain.js";
import { expandInputs, type InputFile } from "./input-files.js";
import type { Problem } from "./problems.js";

type SlowPath = typeof import("./explain.js");
let slowPath: Promise<SlowPath> | undefined;
/** The explaining half, loaded the first time an event fails (never in a run where all is valid). */
function loadSlowPath(): Promise<SlowPath> {
  slowPath ??= import("./explain.js");
  return slowPath;
}

/** A problem with the place in the file where it is. */
export interface LocatedProblem extends Problem {
  /** Line in the file, from 1. */
  line: number;
  /** Column in that line, from 1. */
  column: number;
}

/** The outcome for one event of a file. */
export interface EventReport {
  file: string;
  /** Position of the event in its file, from 0 (lines that are blank do not count). */
  index: number;
  /** Where the event starts in the file. */
  line: number;
  column: number;
  /** The type the event was checked as, when known. */
  type: string | undefined;
  valid: boolean;
  /** At most `maxErrors` problems, in document order. */
  problems: LocatedProblem[];
  /** How many more problems there were beyond `maxErrors`. */
  omitted: number;
}

export interface FileReport {
  file: string;
  events: number;
  valid: number;
  invalid: number;
  durationMs: number;
}

export interface ValidationSummary {
  files: number;
  events: number;
  valid: number;
  invalid: number;
  durationMs: number;
  /** True when the signal stopped the run before every input was read. */
  aborted: boolean;
}

export interface ValidationProgress {
  file: string;
  /** Bytes of this file read so far. */
  bytes: number;
  /** Size of the file, when known (not for stdin). */
  totalBytes: number | undefined;
  /** Events checked so far over all files. */
  events: number;
}

/** Receives results as they are found, so that huge inputs are reported without being kept. */
export interface ValidationListener {
  /** Every invalid event, and valid ones too when `reportValid` is set. */
  onEvent?(event: EventReport): void;
  /** Each file once it has been read to the end. */
  onFile?(file: FileReport): void;
  /** After each chunk read. */
  onProgress?(progress: ValidationProgress): void;
}

/** A schema of the user's own (`--schema FILE`), compiled. */
export interface CustomSchema {
  validate: CompiledValidator;
  /** Undeclared fields, for --strict. */
  findUnknown(event: unknown): string[];
}

export interface ValidateFilesOptions {
  /** Where relative paths start. */
  cwd: string;
  /** Read for the path `-`. */
  stdin?: NodeJS.ReadableStream | undefined;
  /** Check every event as this type (a known event type). */
  type?: string | undefined;
  /** Check every event against this schema instead of the catalogue's. */
  schema?: CustomSchema | undefined;
  /** Report fields the schema does not declare. @default false */
  strict?: boolean | undefined;
  /** Problems kept per event; the rest are counted. @default 20 */
  maxErrors?: number | undefined;
  /** Also call onEvent for valid events (for reports that list every event). @default false */
  reportValid?: boolean | undefined;
  /** Stops reading; the summary then covers what was read. */
  signal?: AbortSignal | undefined;
}

/** Longest line or document read into memory; Node cannot hold a much longer string. */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const NDJSON_EXTENSIONS = new Set([".ndjson", ".jsonl"]);
const BOM = [0xef, 0xbb, 0xbf];

/** True when an event is valid for sure; false sends it to the slow path for the full check. */
type FastCheck = (value: unknown) => boolean;

function declaredType(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const type = Object.hasOwn(value, "type") ? (value as Record<string, unknown>)["type"] : undefined;
  return typeof type === "string" ? type : undefined;
}

/** JSON.parse plus the compiled validator, nothing else: the whole cost of a valid event. */
function createFastCheck(options: ValidateFilesOptions): FastCheck {
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
class FileRun {
  events = 0;
  valid = 0;
  invalid = 0;
  private jobs: Job[] = [];
  private readonly started = performance.now();
  private readonly file: string;
  private readonly fast: FastCheck;
  private readonly listener: ValidationListener;
  private readonly options: ValidateFilesOptions;
  private readonly maxErrors: number;
  private readonly reportValid: boolean;

  constructor(file: string, fast: FastCheck, listener: ValidationListener, options: ValidateFilesOptions) {
    this.file = file;
    this.fast = fast;
    this.listener = listener;
    this.options = options;
    this.maxErrors = Math.max(1, options.maxErrors ?? 20);
    this.reportValid = options.reportValid === true;
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
      const check = slow.checkEvent(value, { type: this.options.type, schema: this.options.schema, strict: this.options.strict === true });
      const offset = typeof where === "number" ? where : where(slow);
      const start = slow.positionIn(place, offset);
      if (check.valid) {
        this.valid++;
        if (this.reportValid) this.send(index, start, check.type, true, []);
        return;
      }
      this.invalid++;
      this.send(index, start, check.type, false, slow.locateProblems(check.problems, place, offset));
    });
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
      file: this.file, index, line: start.line, column: start.column, type, valid, problems: kept, omitted: problems.length - kept.length,
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

  finish(): FileReport {
    const report = { file: this.file, events: this.events, valid: this.valid, invalid: this.invalid, durationMs: performance.now() - this.started };
    this.listener.onFile?.(report);
    return report;
  }
}

/** Splits a byte stream into lines and checks each as one event (NDJSON). */
class LineReader {
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
    this.run.event(value, { text, line }, 0);
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
function checkDocument(run: FileRun, bytes: Buffer): void {
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

function isBlankByte(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * NDJSON or a whole document? By extension first; otherwise NDJSON when the first non-blank
 * line is a JSON object on its own (a pretty-printed event starts with a lone "{").
 */
function looksLikeLines(head: Buffer): boolean {
  let start = 0;
  if (head[0] === BOM[0] && head[1] === BOM[1] && head[2] === BOM[2]) start = 3;
  while (start < head.length && isBlankByte(head[start]!)) start++;
  const newline = head.indexOf(10, start);
  const text = head.toString("utf8", start, newline < 0 ? head.length : newline);
  // A single line holding the whole file reads the same either way; a lone array is a document.
  if (newline < 0) return false;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Watches chunks as they arrive until the first non-blank line is complete. */
class FirstLineWatch {
  private seenContent = false;

  /** True once the chunks seen so far hold a complete first non-blank line. */
  add(chunk: Buffer): boolean {
    let i = 0;
    if (!this.seenContent) {
      while (i < chunk.length && (isBlankByte(chunk[i]!) || (i < 3 && chunk[i] === BOM[i]))) i++;
      if (i === chunk.length) return false;
      this.seenContent = true;
    }
    return chunk.indexOf(10, i) >= 0;
  }
}

function readError(input: InputFile, error: unknown): WtbhookError {
  return new WtbhookError(`cannot read ${input.name}: ${describeCause(error)}`, { code: "unreadable-input", cause: error });
}

/** Chunks of one input. */
interface Source {
  size: number | undefined;
  /** From now on, each read may overwrite the buffer the previous read returned (line mode keeps no chunk). */
  reuseBuffers(): void;
  read(): Promise<Buffer | undefined>;
  close(aborted: boolean): void;
}

/**
 * Files are read with plain synchronous reads: a fresh process pays several milliseconds to set up
 * streams or the thread pool, which is most of what validating one small event costs. The event
 * loop still gets a turn every few chunks, so Ctrl+C is seen.
 */
function openSource(input: InputFile, stdin: NodeJS.ReadableStream | undefined): Source {
  if (input.path === undefined) {
    if (!stdin) throw new WtbhookError("no standard input to read", { code: "unreadable-input" });
    const iterator = (stdin as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
    return {
      size: undefined,
      reuseBuffers: () => {},
      read: async () => {
        const next = await iterator.next();
        if (next.done) return undefined;
        return typeof next.value === "string" ? Buffer.from(next.value) : next.value;
      },
      close: (aborted) => {
        if (aborted) void iterator.return?.();
      },
    };
  }
  let fd: number;
  let size: number;
  try {
    fd = openSync(input.path, "r");
    const info = fstatSync(fd);
    // Pipes and devices report size 0; only a regular file's size is worth trusting.
    size = info.isFile() ? info.size : CHUNK_BYTES;
  } catch (error) {
    throw readError(input, error);
  }
  let chunks = 0;
  let closed = false;
  let reusable: Buffer | undefined;
  let reuse = false;
  return {
    size,
    reuseBuffers: () => {
      reuse = true;
    },
    read: async () => {
      if (++chunks % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
      // A new buffer each time until line mode says none is kept (a document holds all its chunks).
      // The first read is sized to the file, so a small event costs a small buffer.
      const length = chunks === 1 ? Math.min(CHUNK_BYTES, size + 1) : CHUNK_BYTES;
      // Reusing one buffer keeps a 1 GB NDJSON file from leaving a trail of 1 MB buffers for the GC.
      const buffer = reuse && reusable ? reusable : Buffer.allocUnsafe(length);
      if (reuse && length === CHUNK_BYTES) reusable = buffer;
      const n = readSync(fd, buffer, 0, length, null);
      return n === 0 ? undefined : buffer.subarray(0, n);
    },
    close: () => {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}

async function checkFile(
  input: InputFile,
  fast: FastCheck,
  listener: ValidationListener,
  options: ValidateFilesOptions,
  progress: { events: number },
): Promise<{ report: FileReport; aborted: boolean }> {
  const run = new FileRun(input.name, fast, listener, options);
  const source = openSource(input, options.stdin);
  const read = async (): Promise<Buffer | undefined> => {
    try {
      return await source.read();
    } catch (error) {
      throw readError(input, error);
    }
  };
  const totalBytes = source.size;
  let bytes = 0;
  let lines: LineReader | undefined;
  const byExtension = input.path !== undefined && NDJSON_EXTENSIONS.has(extname(input.path).toLowerCase());
  if (byExtension) {
    lines = new LineReader(run);
    source.reuseBuffers();
  }
  let decided = byExtension;
  const watch = new FirstLineWatch();
  const held: Buffer[] = [];
  let heldBytes = 0;
  let tooLarge = false;
  let aborted = false;
  try {
    for (;;) {
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      const chunk = await read();
      if (!chunk) break;
      bytes += chunk.length;
      if (lines) lines.push(chunk);
      else if (!tooLarge) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (!decided && watch.add(chunk)) {
          decided = true;
          const head = Buffer.concat(held, heldBytes);
          if (looksLikeLines(head)) {
            lines = new LineReader(run);
            lines.push(head);
            source.reuseBuffers();
            held.length = 0;
            heldBytes = 0;
          }
        }
        if (heldBytes > MAX_TEXT_BYTES) {
          tooLarge = true;
          held.length = 0;
        }
      }
      await run.drain();
      listener.onProgress?.({ file: input.name, bytes, totalBytes, events: progress.events + run.events });
    }
  } finally {
    source.close(aborted);
  }
  if (aborted) {
    // What was read is reported; the line or document cut short is not.
  } else if (lines) lines.end();
  else if (tooLarge) {
    const problem: Problem = {
      pointer: "",
      keyword: "size",
      message: `a single JSON document larger than ${MAX_TEXT_BYTES / 1024 / 1024} MB; not read (write one event per line, NDJSON, to validate any size)`,
    };
    run.unreadable(() => ({ problem, at: { line: 1, column: 1 }, start: { line: 1, column: 1 } }));
  } else checkDocument(run, Buffer.concat(held, heldBytes));
  await run.drain();
  progress.events += run.events;
  return { report: run.finish(), aborted };
}

/**
 * Validates every event of the given paths (files, directories walked recursively, `-` for
 * stdin), reporting each invalid event and each file to `listener` as it goes.
 * @throws WtbhookError (exit 2) for an unknown forced type or an input that cannot be read.
 */
export async function validateFiles(
  paths: readonly string[],
  options: ValidateFilesOptions,
  listener: ValidationListener = {},
): Promise<ValidationSummary> {
  const started = performance.now();
  if (options.type !== undefined && options.schema === undefined) assertEventType(options.type);
  const inputs = expandInputs(paths, options.cwd);
  const fast = createFastCheck(options);
  const summary: ValidationSummary = { files: 0, events: 0, valid: 0, invalid: 0, durationMs: 0, aborted: false };
  const progress = { events: 0 };
  for (const input of inputs) {
    const { report, aborted } = await checkFile(input, fast, listener, options, progress);
    summary.files++;
    summary.events += report.events;
    summary.valid += report.valid;
    summary.invalid += report.invalid;
    if (aborted) {
      summary.aborted = true;
      break;
    }
  }
  summary.durationMs = performance.now() - started;
  return summary;
}
