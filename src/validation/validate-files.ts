// Validates files of events as streams: NDJSON line by line from Buffer chunks, or whole documents
// (one event or an array of events). Positions are computed only for events that fail.

import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";

import { assertEventType } from "../catalog/catalog.js";
import { getValidator, type CompiledValidator } from "../catalog/validators.js";
import { describeCause, WtbhookError } from "../errors.js";
import { expandInputs, type InputFile } from "./input-files.js";
import { arrayElementOffsets, findSyntaxError, LineIndex, locatePointer } from "./json-text.js";
import { parsePointer } from "./json-pointer.js";
import type { Problem } from "./problems.js";
import { firstInvalidUtf8Byte } from "./utf8.js";
import { checkWithValidator, validateEvent, type EventCheck } from "./validate-event.js";

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

type Checker = (value: unknown) => EventCheck | undefined;

function declaredType(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const type = Object.hasOwn(value, "type") ? (value as Record<string, unknown>)["type"] : undefined;
  return typeof type === "string" ? type : undefined;
}

/** The check for one parsed event: undefined when it is valid (the fast path allocates nothing). */
function createChecker(options: ValidateFilesOptions): Checker {
  const strict = options.strict === true;
  const custom = options.schema;
  if (custom) {
    return (value) => {
      if (!strict && custom.validate(value)) return undefined;
      const check = checkWithValidator(custom.validate, value, declaredType(value), strict ? custom.findUnknown : undefined);
      return check.valid ? undefined : check;
    };
  }
  const forced = options.type;
  const forcedValidator = forced === undefined ? undefined : getValidator(forced);
  const validateOptions = forced === undefined ? { strict } : { type: forced, strict };
  return (value) => {
    let validator = forcedValidator;
    if (!validator) {
      const type = declaredType(value);
      validator = type === undefined ? undefined : getValidator(type);
    }
    if (validator && !strict && validator(value)) return undefined;
    const check = validateEvent(value, validateOptions);
    return check.valid ? undefined : check;
  };
}

function syntaxProblem(message: string): Problem {
  return { pointer: "", keyword: "syntax", message: `malformed JSON: ${message}` };
}

/** Where a piece of JSON text sits in its file, to turn offsets in the text into lines and columns. */
interface TextPlace {
  text: string;
  /** Line of the file where `text` starts (for NDJSON), with columns counted from the text's start. */
  line: number;
  /** For a whole document: the line index of `text` (then `line` is ignored). */
  index?: LineIndex;
}

function positionIn(place: TextPlace, offset: number): { line: number; column: number } {
  if (place.index) return place.index.position(offset);
  return { line: place.line, column: offset + 1 };
}

/** Counts and reports the events of one file. */
class FileRun {
  events = 0;
  valid = 0;
  invalid = 0;
  private readonly started = performance.now();
  private readonly file: string;
  private readonly check: Checker;
  private readonly listener: ValidationListener;
  private readonly maxErrors: number;
  private readonly reportValid: boolean;

  constructor(file: string, check: Checker, listener: ValidationListener, options: ValidateFilesOptions) {
    this.file = file;
    this.check = check;
    this.listener = listener;
    this.maxErrors = Math.max(1, options.maxErrors ?? 20);
    this.reportValid = options.reportValid === true;
  }

  /** Checks one parsed event whose text starts at `offset` of `place` (computed only if needed). */
  event(value: unknown, place: TextPlace, where: number | (() => number)): void {
    const index = this.events++;
    const result = this.check(value);
    if (result === undefined) {
      this.valid++;
      if (this.reportValid) {
        const at = positionIn(place, typeof where === "number" ? where : where());
        this.listener.onEvent?.({
          file: this.file, index, line: at.line, column: at.column, type: declaredType(value), valid: true, problems: [], omitted: 0,
        });
      }
      return;
    }
    this.invalid++;
    const offset = typeof where === "number" ? where : where();
    const located = result.problems.map((problem) => {
      const at = positionIn(place, locatePointer(place.text, parsePointer(problem.pointer), offset));
      return { ...problem, line: at.line, column: at.column };
    });
    located.sort((a, b) => a.line - b.line || a.column - b.column);
    const start = positionIn(place, offset);
    this.report(index, start, result.type ?? declaredType(value), located);
  }

  /** An event that could not be read: malformed JSON, invalid UTF-8, too long. */
  unreadable(problem: Problem, at: { line: number; column: number }, start = at): void {
    const index = this.events++;
    this.invalid++;
    this.report(index, start, undefined, [{ ...problem, line: at.line, column: at.column }]);
  }

  private report(index: number, start: { line: number; column: number }, type: string | undefined, problems: LocatedProblem[]): void {
    const kept = problems.slice(0, this.maxErrors);
    this.listener.onEvent?.({
      file: this.file, index, line: start.line, column: start.column, type, valid: false, problems: kept, omitted: problems.length - kept.length,
    });
  }

  finish(): FileReport {
    const report = { file: this.file, events: this.events, valid: this.valid, invalid: this.invalid, durationMs: performance.now() - this.started };
    this.listener.onFile?.(report);
    return report;
  }
}

function encodingProblem(byte: number): Problem {
  return { pointer: "", keyword: "encoding", message: `invalid UTF-8 at byte ${byte}` };
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
        this.pending.push(chunk.subarray(0, end));
        this.pendingBytes += end;
      }
      if (this.pendingBytes > MAX_TEXT_BYTES && !this.skipping) this.tooLong();
      if (newline < 0) {
        this.consumed += chunk.length;
        return;
      }
      if (this.skipping) {
        this.skipping = false;
        this.line++;
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
      this.pending.push(chunk.subarray(start));
      this.pendingBytes = chunk.length - start;
      if (this.pendingBytes > MAX_TEXT_BYTES) this.tooLong();
    }
    this.consumed += chunk.length;
  }

  end(): void {
    if (this.skipping) return;
    if (this.pending.length > 0) {
      const whole = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.lineDone(whole, 0, whole.length, this.consumed - whole.length);
    }
  }

  private tooLong(): void {
    this.run.unreadable(
      { pointer: "", keyword: "size", message: `line longer than ${MAX_TEXT_BYTES / 1024 / 1024} MB; not read` },
      { line: this.line + 1, column: 1 },
    );
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
      if (!this.checkEncoding(buffer, start, end, fileOffset, text)) return;
      const syntax = findSyntaxError(text) ?? { offset: 0, message: "not valid JSON" };
      this.run.unreadable(syntaxProblem(syntax.message), { line, column: syntax.offset + 1 }, { line, column: 1 });
      return;
    }
    // U+FFFD is what invalid bytes decode to; only then is the (cheap) byte check worth it.
    if (text.includes("\uFFFD") && !this.checkEncoding(buffer, start, end, fileOffset, text)) return;
    this.run.event(value, { text, line }, 0);
  }

  /** False (and reported) when the line's bytes are not valid UTF-8. */
  private checkEncoding(buffer: Buffer, start: number, end: number, fileOffset: number, text: string): boolean {
    if (!text.includes("\uFFFD")) return true;
    const bytes = buffer.subarray(start, end);
    if (isUtf8(bytes)) return true;
    const bad = firstInvalidUtf8Byte(bytes);
    const column = bytes.toString("utf8", 0, bad).length + 1;
    this.run.unreadable(encodingProblem(fileOffset + bad), { line: this.line, column }, { line: this.line, column: 1 });
    return false;
  }
}

/** Checks a whole JSON document: one event, or an array of events. */
function checkDocument(run: FileRun, bytes: Buffer): void {
  let start = 0;
  if (bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) start = 3;
  const body = bytes.subarray(start);
  if (!isUtf8(body)) {
    const bad = firstInvalidUtf8Byte(body);
    const before = body.toString("utf8", 0, bad);
    const at = new LineIndex(before).position(before.length);
    run.unreadable(encodingProblem(start + bad), at, { line: 1, column: 1 });
    return;
  }
  const text = body.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const syntax = findSyntaxError(text) ?? { offset: 0, message: "not valid JSON" };
    run.unreadable(syntaxProblem(syntax.message), new LineIndex(text).position(syntax.offset), { line: 1, column: 1 });
    return;
  }
  const place: TextPlace = { text, line: 1, index: new LineIndex(text) };
  if (!Array.isArray(value)) {
    run.event(value, place, 0);
    return;
  }
  // Offsets of the elements are found once, and only if some element needs a position.
  let offsets: number[] | undefined;
  for (let i = 0; i < value.length; i++) {
    run.event(value[i], place, () => {
      offsets ??= arrayElementOffsets(text);
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

async function checkFile(
  input: InputFile,
  check: Checker,
  listener: ValidationListener,
  options: ValidateFilesOptions,
  progress: { events: number },
): Promise<{ report: FileReport; aborted: boolean }> {
  const run = new FileRun(input.name, check, listener, options);
  let stream: NodeJS.ReadableStream;
  let totalBytes: number | undefined;
  if (input.path === undefined) {
    if (!options.stdin) throw new WtbhookError("no standard input to read", { code: "unreadable-input" });
    stream = options.stdin;
  } else {
    totalBytes = await stat(input.path).then((info) => info.size, () => undefined);
    stream = createReadStream(input.path, { highWaterMark: CHUNK_BYTES });
  }
  const signal = options.signal;
  const iterator = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  let bytes = 0;
  let lines: LineReader | undefined;
  let mode: "unknown" | "lines" | "document" = input.path !== undefined && NDJSON_EXTENSIONS.has(extname(input.path).toLowerCase()) ? "lines" : "unknown";
  if (mode === "lines") lines = new LineReader(run);
  const watch = new FirstLineWatch();
  const held: Buffer[] = [];
  let heldBytes = 0;
  let tooLarge = false;
  try {
    for (;;) {
      if (signal?.aborted) {
        (stream as { destroy?: () => void }).destroy?.();
        progress.events += run.events;
        return { report: run.finish(), aborted: true };
      }
      const next = await iterator.next();
      if (next.done) break;
      const chunk = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
      bytes += chunk.length;
      if (lines) lines.push(chunk);
      else if (!tooLarge) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (mode === "unknown" && watch.add(chunk)) {
          const head = Buffer.concat(held, heldBytes);
          mode = looksLikeLines(head) ? "lines" : "document";
          if (mode === "lines") {
            lines = new LineReader(run);
            lines.push(head);
            held.length = 0;
            heldBytes = 0;
          }
        }
        if (heldBytes > MAX_TEXT_BYTES) {
          tooLarge = true;
          held.length = 0;
        }
      }
      listener.onProgress?.({ file: input.name, bytes, totalBytes, events: progress.events + run.events });
    }
  } catch (error) {
    if (error instanceof WtbhookError) throw error;
    throw readError(input, error);
  } finally {
    if (input.path !== undefined) (stream as { destroy?: () => void }).destroy?.();
  }
  if (lines) lines.end();
  else if (tooLarge) {
    run.unreadable(
      {
        pointer: "",
        keyword: "size",
        message: `a single JSON document larger than ${MAX_TEXT_BYTES / 1024 / 1024} MB; not read (write one event per line, NDJSON, to validate any size)`,
      },
      { line: 1, column: 1 },
    );
  } else checkDocument(run, Buffer.concat(held, heldBytes));
  progress.events += run.events;
  return { report: run.finish(), aborted: false };
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
  const inputs = await expandInputs(paths, options.cwd);
  const check = createChecker(options);
  const summary: ValidationSummary = { files: 0, events: 0, valid: 0, invalid: 0, durationMs: 0, aborted: false };
  const progress = { events: 0 };
  for (const input of inputs) {
    const { report, aborted } = await checkFile(input, check, listener, options, progress);
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
