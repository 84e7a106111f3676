// Validates files of events as streams: NDJSON line by line from Buffer chunks, or whole documents
// (one event or an array of events). Positions are computed only for events that fail.

import { isUtf8 } from "node:buffer";
import { extname } from "node:path";

import { assertEventType } from "../catalog/catalog.js";
import { WtbhookError } from "../errors.js";
import type { LineSplitter } from "../json/lines.js";
import { startsWithBom } from "../json/utf8.js";
import { FileRun, MAX_TEXT_BYTES, type FileRunOptions } from "./file-run.js";
import { expandInputs, type InputFile } from "./input-files.js";
import { FirstLineWatch, looksLikeLines, openSource, readError } from "./read-source.js";
import type { Text } from "./pending.js";
import type { FileReport, Problem, ValidateFilesOptions, ValidationListener, ValidationSummary } from "./types.js";
import { validateEvent } from "./validate-event.js";
import { now } from "../clock.js";

export { MAX_TEXT_BYTES } from "./file-run.js";

const NDJSON_EXTENSIONS = new Set([".ndjson", ".jsonl"]);

function isBlank(chunks: readonly Buffer[]): boolean {
  return chunks.every((chunk) => chunk.every((byte) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09));
}

/** Events checked between two turns of the event loop (and looks at the stop signal). */
const BATCH = 1000;

/** Checks a whole JSON document: one event, or an array of events, each placed on its own. */
async function checkDocument(run: FileRun, bytes: Buffer): Promise<void> {
  const skip = startsWithBom(bytes) ? 3 : 0;
  const body = bytes.subarray(skip);
  const text: Text = { bytes: body, line: 1, fileOffset: skip };
  if (!isUtf8(body)) {
    run.explainLater({ kind: "encoding", index: run.nextIndex(), text });
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    run.explainLater({ kind: "syntax", index: run.nextIndex(), text, lastLine: false });
    return;
  }
  if (!Array.isArray(value)) {
    check(run, value, text, undefined);
    return;
  }
  for (let i = 0; i < value.length; i++) {
    check(run, value[i], text, i);
    if ((i + 1) % BATCH === 0) {
      await run.drain();
      if (run.options.signal?.aborted) return;
    }
  }
}

/** One event of a document: counted if valid, else queued to be placed. */
function check(run: FileRun, value: unknown, text: Text, element: number | undefined): void {
  const index = run.nextIndex();
  const result = validateEvent(value, run.options.check);
  const place = element === undefined ? { text, start: 0 } : { text, element };
  if (result.valid) run.valid(index, result, element === undefined ? 1 : place, () => place);
  else run.explainLater({ kind: "checked", index, check: result, place });
}

/** NDJSON's reader: the line splitter feeding the run, each line checked as an event (loaded when a file is NDJSON). */
async function lineReader(run: FileRun): Promise<LineSplitter> {
  const [{ LineSplitter }, { EventLines }] = await Promise.all([import("../json/lines.js"), import("./event-lines.js")]);
  return new LineSplitter(new EventLines(run), MAX_TEXT_BYTES);
}

async function checkFile(
  input: InputFile,
  listener: ValidationListener,
  options: ValidateFilesOptions,
  runOptions: FileRunOptions,
  progress: { events: number },
): Promise<{ report: FileReport; aborted: boolean }> {
  const run = new FileRun(input.name, listener, runOptions);
  if (input.path === undefined && options.stdin?.().isTTY === true) listener.onWaitingForStdin?.();
  const source = openSource(input, options.stdin, options.signal);
  const totalBytes = source.size;
  let bytes = 0;
  let lines: LineSplitter | undefined;
  const byExtension = input.path !== undefined && NDJSON_EXTENSIONS.has(extname(input.path).toLowerCase());
  if (byExtension) {
    lines = await lineReader(run);
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
            lines = await lineReader(run);
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
      severity: "error",
      keyword: "size",
      message: `a single JSON document larger than ${MAX_TEXT_BYTES / 1024 / 1024} MB; not read (write one event per line, NDJSON, to validate any size)`,
    };
    run.unreadable(run.nextIndex(), 1, problem);
  } else if (input.path === undefined && isBlank(held)) {
    throw new WtbhookError("stdin is empty", {
      code: "no-input",
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
  const started = now();
  if (options.type !== undefined && options.schema === undefined) assertEventType(options.type);
  const inputs = expandInputs(paths, options.cwd);
  const runOptions: FileRunOptions = {
    check: { type: options.type, schema: options.schema, strict: options.strict === true, info: options.info === true },
    maxErrors: Math.max(1, options.maxErrors ?? 20),
    reportValid: options.reportValid === true,
    signal: options.signal,
  };
  const summary: ValidationSummary = { files: 0, events: 0, valid: 0, invalid: 0, warned: 0, durationMs: 0, aborted: false };
  const progress = { events: 0 };
  for (const input of inputs) {
    const { report, aborted } = await checkFile(input, listener, options, runOptions, progress);
    summary.files++;
    summary.events += report.events;
    summary.valid += report.valid;
    summary.invalid += report.invalid;
    summary.warned += report.warned;
    if (aborted) {
      summary.aborted = true;
      break;
    }
  }
  summary.durationMs = now() - started;
  return summary;
}
