// The explaining half of validateFiles, loaded only once something fails: places problems in the
// text (all of an event's in one pass, then cut to --max-errors), says where and why text is not
// JSON or not UTF-8, and unwraps the requests of a listen --record file.

import { isUtf8 } from "node:buffer";

import { recordedBody } from "../record/record.js";
import { parsePointer } from "../json/pointer.js";
import { arrayElementOffsets, locatePointer, locatePointers } from "../json/locate.js";
import { LineIndex, type Position } from "../json/position.js";
import { findSyntaxError } from "../json/syntax.js";
import { firstInvalidUtf8Byte } from "../json/utf8.js";
import type { ExplainOptions, Pending, Place, Text } from "./pending.js";
import type { EventCheck, EventReport, LocatedProblem, Problem, Severity } from "./types.js";
import { validateEvent } from "./validate-event.js";

function eventReport(
  file: string,
  index: number,
  start: Position,
  type: string | undefined,
  check: { valid: boolean; severity: Severity | undefined },
  problems: EventReport["problems"],
  omitted: number,
): EventReport {
  return { file, index, line: start.line, column: start.column, type, valid: check.valid, severity: check.severity, problems, omitted };
}

const UNREADABLE = { valid: false, severity: "error" } as const;
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Line indexes of the texts being explained; a document's is built once for all its events. */
const indexes = new WeakMap<Text, LineIndex>();

function positionIn(text: Text, offset: number): Position {
  let index = indexes.get(text);
  if (!index) {
    index = new LineIndex(text.bytes);
    indexes.set(text, index);
  }
  const at = index.position(offset);
  return { line: text.line + at.line - 1, column: at.column };
}

/** Offset in its text where the event at `place` starts. */
function startOf(place: Place): number {
  if (place.element === undefined) return place.start;
  place.text.elements ??= arrayElementOffsets(place.text.bytes);
  return place.text.elements[place.element] ?? 0;
}

/**
 * The problems with their lines and columns, the first `max` (errors first, then warnings, then
 * infos, each in document order), and how many more there were. Every pointer is located in one
 * pass over the text, so a long list costs one scan; only the problems kept get a line and column.
 */
export function placeProblems(
  problems: readonly Problem[],
  text: Text,
  start: number,
  max: number,
): { kept: LocatedProblem[]; omitted: number } {
  const offsets = locatePointers(
    text.bytes,
    problems.map((problem) => parsePointer(problem.pointer)),
    start,
  );
  const rank = (i: number): number => SEVERITY_RANK[problems[i]!.severity];
  const order = problems.map((_, i) => i).sort((a, b) => rank(a) - rank(b) || offsets[a]! - offsets[b]! || a - b);
  const kept = order.slice(0, max).map((i) => ({ ...problems[i]!, ...positionIn(text, offsets[i]!) }));
  return { kept, omitted: problems.length - kept.length };
}

/** The report of a checked event: its problems placed where they are in the text. */
function checkedReport(run: ExplainOptions, index: number, check: EventCheck, place: Place, at?: Position): EventReport {
  const start = startOf(place);
  const begin = at ?? positionIn(place.text, start);
  if (check.problems.length === 0) return eventReport(run.file, index, begin, check.type, check, [], check.omitted);
  const { kept, omitted } = placeProblems(check.problems, place.text, start, run.maxErrors);
  return eventReport(run.file, index, begin, check.type, check, kept, omitted + check.omitted);
}

/** Where and why text that JSON.parse refused is malformed. */
function explainSyntax(text: Text, lastLine: boolean): { offset: number; problem: Problem } {
  const syntax = findSyntaxError(text.bytes) ?? { offset: 0, message: "not valid JSON" };
  if (lastLine) {
    return {
      offset: syntax.offset,
      problem: {
        pointer: "",
        severity: "error",
        keyword: "truncated",
        message: `incomplete last line (the file does not end with a newline: was it cut short mid-write?): ${syntax.message}`,
      },
    };
  }
  return {
    offset: syntax.offset,
    problem: { pointer: "", severity: "error", keyword: "syntax", message: `malformed JSON: ${syntax.message}` },
  };
}

/**
 * The event inside a request recorded by `listen --record`, or why there is none (the recorded
 * body was not UTF-8 or not JSON: the sender then did not send an event).
 */
function unwrapRecorded(entry: unknown): { value: unknown } | { problem: Problem } {
  const recorded = recordedBody(entry);
  if (recorded === undefined) return { value: entry };
  if ("error" in recorded) return { problem: { pointer: "/encoding", severity: "error", keyword: "recording", message: recorded.error } };
  if (!isUtf8(recorded.bytes))
    return { problem: { pointer: "", severity: "error", keyword: "encoding", message: "the recorded body is not UTF-8" } };
  try {
    return { value: JSON.parse(recorded.bytes.toString("utf8")) };
  } catch {
    const syntax = findSyntaxError(recorded.bytes);
    return {
      problem: {
        pointer: "",
        severity: "error",
        keyword: "syntax",
        message: `the recorded body is malformed JSON: ${syntax?.message ?? "not valid JSON"}`,
      },
    };
  }
}

/** A line of a recording: its body is checked as the event, and every problem of the body is placed where the body starts. */
function recordedReport(run: ExplainOptions, index: number, entry: unknown, place: Place): EventReport {
  const unwrapped = unwrapRecorded(entry);
  // Not a recorded request after all ("kind" is the only thing it shares with one): an event.
  if ("value" in unwrapped && unwrapped.value === entry) {
    return checkedReport(run, index, validateEvent(entry, run.check), place);
  }
  const bodyAt = positionIn(place.text, locatePointer(place.text.bytes, ["body"], startOf(place)));
  if ("problem" in unwrapped) return eventReport(run.file, index, bodyAt, undefined, UNREADABLE, [{ ...unwrapped.problem, ...bodyAt }], 0);
  const check = validateEvent(unwrapped.value, run.check);
  const kept = check.problems.slice(0, run.maxErrors).map((problem) => ({ ...problem, ...bodyAt }));
  return eventReport(run.file, index, bodyAt, check.type, check, kept, check.problems.length - kept.length + check.omitted);
}

/** An event that could not be read: one problem at `offset` of its text. */
function unreadableReport(run: ExplainOptions, index: number, text: Text, problem: Problem, offset: number): EventReport {
  return eventReport(run.file, index, positionIn(text, 0), undefined, UNREADABLE, [{ ...problem, ...positionIn(text, offset) }], 0);
}

/** The report for one queued item. */
export function explain(item: Exclude<Pending, { kind: "ready" }>, run: ExplainOptions): EventReport {
  switch (item.kind) {
    case "checked":
      return checkedReport(run, item.index, item.check, item.place);
    case "recorded":
      return recordedReport(run, item.index, item.entry, item.place);
    case "syntax": {
      const { offset, problem } = explainSyntax(item.text, item.lastLine);
      return unreadableReport(run, item.index, item.text, problem, offset);
    }
    case "encoding": {
      const bad = firstInvalidUtf8Byte(item.text.bytes);
      const problem: Problem = {
        pointer: "",
        severity: "error",
        keyword: "encoding",
        message: `invalid UTF-8 at byte ${item.text.fileOffset + bad}`,
      };
      return unreadableReport(run, item.index, item.text, problem, bad);
    }
  }
}
