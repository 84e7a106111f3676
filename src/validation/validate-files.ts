// Validates files of events as streams: NDJSON line by line from Buffer chunks, or whole documents
// (one event or an array of events). Positions are computed only for events that fail.

import { extname } from "node:path";

import { assertEventType } from "../catalog/catalog.js";
import type { CompiledValidator } from "../catalog/validators.js";
import { checkDocument, createFastCheck, FileRun, LineReader, MAX_TEXT_BYTES, type FastCheck } from "./file-run.js";
import { expandInputs, type InputFile } from "./input-files.js";
import type { Problem } from "./problems.js";
import { FirstLineWatch, looksLikeLines, openSource, readError } from "./read-source.js";

export { MAX_TEXT_BYTES } from "./file-run.js";

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
  /** True when Ctrl+C stopped the run in this file: its counts cover only what was read. */
  stopped?: boolean;
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
  findUnknown: (event: unknown) => string[];
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

const NDJSON_EXTENSIONS = new Set([".ndjson", ".jsonl"]);

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
  return { report: run.finish(aborted), aborted };
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
