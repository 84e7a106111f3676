// The queue between reading and explaining, as plain data (types only): where an event's text is,
// and what the explainer (loaded only once something fails) has to do with it.

import type { EventCheck, EventReport } from "./types.js";
import type { ValidateEventOptions } from "./validate-event.js";

/** JSON text that events or errors are placed in: one NDJSON line, or a whole document. */
export interface Text {
  /** The bytes offsets count in (copied from the read buffer: they outlive it). */
  bytes: Uint8Array;
  /** Line of the file where `bytes` starts. */
  line: number;
  /** Stream offset of bytes[0], for "invalid UTF-8 at byte N". */
  fileOffset: number;
  /** A top-level array document: its elements' offsets, found on first use. */
  elements?: number[];
}

/** Where in a text an event is: at `start`, or the `element`-th element of the text's top-level array. */
export type Place = { text: Text; start: number; element?: undefined } | { text: Text; start?: undefined; element: number };

/** Work for the explainer, as plain data. */
export type Pending =
  /** An event checked with problems (or a valid one, listed when every event is reported): to be placed. */
  | { kind: "checked"; index: number; check: EventCheck; place: Place }
  /** A line of a `listen --record` file: the explainer unwraps the request's body and checks it. */
  | { kind: "recorded"; index: number; entry: unknown; place: Place }
  /** Text that JSON.parse refused; `lastLine` when it is the last line and no newline ends it. */
  | { kind: "syntax"; index: number; text: Text; lastLine: boolean }
  /** Bytes that are not UTF-8. */
  | { kind: "encoding"; index: number; text: Text }
  /** A report complete as it is (a line too long to read, a valid NDJSON line). */
  | { kind: "ready"; report: EventReport };

/** What the explainer needs to know of the file's run. */
export interface ExplainOptions {
  /** The file, as reports name it. */
  file: string;
  /** How each event is checked (the problems are cut to maxErrors only once placed). */
  check: ValidateEventOptions;
  /** Problems kept per event. */
  maxErrors: number;
}
