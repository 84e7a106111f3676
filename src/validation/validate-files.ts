// Validates files of events as streams: NDJSON line by line from Buffer chunks, or whole documents
// (one event or an array of events). Positions are computed only for events that fail.

import { extname } from "node:path";

import { assertEventType } from "../catalog/catalog.js";
import { WtbhookError } from "../errors.js";
import { LineSplitter } from "../json/lines.js";
import { checkDocument } from "./event-document.js";
import { EventLines } from "./event-lines.js";
import { FileRun, MAX_TEXT_BYTES, type FileRunOptions } from "./file-run.js";
import { expandInputs, type InputFile } from "./input-files.js";
import { FirstLineWatch, looksLikeLines, openSource, readError } from "./read-source.js";
import type { FileReport, Problem, ValidateFilesOptions, ValidationListener, ValidationSummary } from "./types.js";

export { MAX_TEXT_BYTES } from "./file-run.js";

const NDJSON_EXTENSIONS = new Set([".ndjson", ".jsonl"]);

function isBlank(chunks: readonly Buffer[]): boolean {
  return chunks.every((chunk) => chunk.every((byte) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09));
}

async function checkFile(
  input: InputFile,
  listener: ValidationListener,
  options: ValidateFilesOptions,
  runOptions: FileRunOptions,
  progress: { events: number },
): Promise<{ report: FileReport; aborted: boolean }> {
  const run = new FileRun(input.name, listener, runOptions);
  if (input.path === undefined && options.stdin?.isTTY === true) listener.onWaitingForStdin?.();
  const source = openSource(input, options.stdin, options.signal);
  const totalBytes = source.size;
  let bytes = 0;
  let lines: LineSplitter | undefined;
  const byExtension = input.path !== undefined && NDJSON_EXTENSIONS.has(extname(input.path).toLowerCase());
  if (byExtension) {
    lines = new LineSplitter(new EventLines(run), MAX_TEXT_BYTES);
    source.reuseBuffers();
  }
  let decided = byExtension;
  const watch = new FirstLineWatch();
  const held: Buffer[] = [];
  let heldBytes = 0;
  let tooLarge = false;
  let aborted: boolean;
  try {
    for (;;) {
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      let chunk: Buffer | undefined;
      try {
        chunk = await source.read();
      } catch (error) {
        throw error instanceof WtbhookError ? error : readError(input, error);
      }
      if (!chunk) {
        aborted = options.signal?.aborted === true;
        break;
      }
      bytes += chunk.length;
      if (lines) lines.push(chunk);
      else if (!tooLarge) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (!decided && watch.add(chunk)) {
          decided = true;
          const head = Buffer.concat(held, heldBytes);
          if (looksLikeLines(head)) {
            lines = new LineSplitter(new EventLines(run), MAX_TEXT_BYTES);
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
      listener.onProgress?.({ file: input.name, bytes, totalBytes, events: progress.events + run.read });
    }
  } finally {
    source.close();
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
    run.unreadable(run.nextIndex(), 1, problem);
  } else if (input.path === undefined && isBlank(held)) {
    throw new WtbhookError("stdin is empty", {
      code: "empty-input",
      hint: "Pipe events into it, for example: wtbhook validate - < events.ndjson",
    });
  } else await checkDocument(run, Buffer.concat(held, heldBytes));
  await run.drain();
  aborted ||= options.signal?.aborted === true;
  progress.events += run.read;
  return { report: run.finish(aborted), aborted };
}

/**
 * Validates every event of the given paths (files, directories walked recursively, `-` for
 * stdin), reporting each invalid event and each file to `listener` as it goes.
 * @throws WtbhookError (exit 2) for an unknown forced type, an input that cannot be read, or an empty stdin.
 */
export async function validateFiles(
  paths: readonly string[],
  options: ValidateFilesOptions,
  listener: ValidationListener = {},
): Promise<ValidationSummary> {
  const started = performance.now();
  if (options.type !== undefined && options.schema === undefined) assertEventType(options.type);
  const inputs = expandInputs(paths, options.cwd);
  const runOptions: FileRunOptions = {
    check: { type: options.type, schema: options.schema, strict: options.strict === true },
    maxErrors: Math.max(1, options.maxErrors ?? 20),
    reportValid: options.reportValid === true,
    signal: options.signal,
  };
  const summary: ValidationSummary = { files: 0, events: 0, valid: 0, invalid: 0, durationMs: 0, aborted: false };
  const progress = { events: 0 };
  for (const input of inputs) {
    const { report, aborted } = await checkFile(input, listener, options, runOptions, progress);
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
