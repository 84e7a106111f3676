// The slow path of validateFiles, loaded only once something fails: full checks with problems,
// positions of problems and syntax errors, invalid UTF-8. A valid run never loads this module.

import { isUtf8 } from "node:buffer";

import { recordedBody } from "../record/record.js";
import { findSyntaxError, LineIndex, locatePointer } from "../json/text.js";
import { parsePointer } from "../json/pointer.js";
import type { Problem } from "./problems.js";
import { firstInvalidUtf8Byte } from "./utf8.js";
import { checkWithValidator, validateEvent, type EventCheck } from "./validate-event.js";
import type { CustomSchema } from "./validate-files.js";

export { arrayElementOffsets, LineIndex } from "../json/text.js";

/** Where a piece of JSON text sits in its file, to turn offsets in the text into lines and columns. */
export interface TextPlace {
  text: string;
  /** Line of the file where `text` starts (NDJSON: columns count from the start of `text`). */
  line: number;
  /** True for a whole document: lines are then counted in `text` itself (and `line` is not used). */
  whole?: boolean;
  /** The document's line index, built on first use. */
  index?: LineIndex;
}

export interface Position {
  line: number;
  column: number;
}

export function positionIn(place: TextPlace, offset: number): Position {
  if (place.whole) {
    place.index ??= new LineIndex(place.text);
    return place.index.position(offset);
  }
  return { line: place.line, column: offset + 1 };
}

export interface SlowCheckOptions {
  type?: string | undefined;
  schema?: CustomSchema | undefined;
  strict: boolean;
}

function declaredType(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const type = Object.hasOwn(value, "type") ? (value as Record<string, unknown>)["type"] : undefined;
  return typeof type === "string" ? type : undefined;
}

/** The full check of one event, problems included. */
export function checkEvent(value: unknown, options: SlowCheckOptions): EventCheck {
  const custom = options.schema;
  if (custom) return checkWithValidator(custom.validate, value, declaredType(value), options.strict ? custom.findUnknown : undefined);
  const check = validateEvent(
    value,
    options.type === undefined ? { strict: options.strict } : { type: options.type, strict: options.strict },
  );
  return check.type === undefined ? { ...check, type: declaredType(value) } : check;
}

/** Problems with their line and column, in document order. */
export function locateProblems(problems: readonly Problem[], place: TextPlace, offset: number): (Problem & Position)[] {
  const located = problems.map((problem) => ({
    ...problem,
    ...positionIn(place, locatePointer(place.text, parsePointer(problem.pointer), offset)),
  }));
  return located.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Where and why text that JSON.parse refused is malformed. */
export function explainSyntax(text: string): { offset: number; problem: Problem } {
  const syntax = findSyntaxError(text) ?? { offset: 0, message: "not valid JSON" };
  return { offset: syntax.offset, problem: { pointer: "", keyword: "syntax", message: `malformed JSON: ${syntax.message}` } };
}

/** The first invalid UTF-8 byte of `bytes` (undefined if all valid) and the text position it is at. */
export function explainEncoding(bytes: Uint8Array, byteOffset: number): { at: Position; problem: Problem } | undefined {
  const bad = firstInvalidUtf8Byte(bytes);
  if (bad >= bytes.length) return undefined;
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, bad).toString("utf8");
  return {
    at: new LineIndex(before).position(before.length),
    problem: { pointer: "", keyword: "encoding", message: `invalid UTF-8 at byte ${byteOffset + bad}` },
  };
}

/**
 * The event inside a request recorded by `listen --record`, or why there is none (the recorded
 * body was not UTF-8 or not JSON: the sender then did not send an event).
 */
export function unwrapRecorded(entry: unknown): { value: unknown } | { problem: Problem } {
  const recorded = recordedBody(entry);
  if (recorded === undefined) return { value: entry };
  if ("error" in recorded) return { problem: { pointer: "/encoding", keyword: "recording", message: recorded.error } };
  if (!isUtf8(recorded.bytes)) return { problem: { pointer: "", keyword: "encoding", message: "the recorded body is not UTF-8" } };
  const text = recorded.bytes.toString("utf8");
  try {
    return { value: JSON.parse(text) };
  } catch {
    const { problem } = explainSyntax(text);
    return { problem: { ...problem, message: `the recorded body is ${problem.message}` } };
  }
}

/** Where the body of a recorded request starts in its line: every problem of that body is shown there. */
export function recordedBodyColumn(lineText: string): number {
  return locatePointer(lineText, parsePointer("/body"), 0) + 1;
}
