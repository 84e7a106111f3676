// The contract of validation: what an event check returns, what validateFiles reports, and what
// it is given. Types only, so that every module of validation/ (and format/) can import them.

import type { Severity } from "../catalog/grade-schema.js";
import type { CompiledValidator } from "../catalog/validators.js";

export type { Severity } from "../catalog/grade-schema.js";

/** One thing wrong with an event, at one place. */
export interface Problem {
  /**
   * What it costs: `error` (breaks a documented rule, or a fact no real payload of this type can
   * lack: the event is invalid), `warning` (a field there is good reason to expect is missing or
   * has an unexpected type; an unknown event type), `info` (inferred or speculative fields; only
   * reported when asked for). `--strict` turns warnings into errors.
   */
  severity: Severity;
  /** JSON Pointer of the offending value ("" is the whole event); for a missing property, its parent. */
  pointer: string;
  /** The whole sentence, such as `expected string or null, found 42`. */
  message: string;
  /** What the schema wanted, such as `string or null`. */
  expected?: string;
  /** What the event holds there, shown briefly and terminal-safe. */
  found?: string;
  /**
   * The JSON Schema keyword that failed (`type`, `required`, `enum`, …), or one of wtbhook's own:
   * `syntax`, `truncated`, `encoding`, `event-type`, `unknown-field`, `depth`, `size`, `recording`.
   */
  keyword: string;
}

/**
 * The outcome of checking one event: what validate, send (before sending), listen (each received
 * event) and the library's validateEvent all get.
 */
export interface EventCheck {
  /** The type the event was checked as: the forced type, else the event's own `type` string, if any. */
  type: string | undefined;
  /** The envelope's `id`, when it is a safe integer. */
  id: number | undefined;
  /** True when `type` is one of the catalogue's event types. */
  knownType: boolean;
  /** No problem of error severity (warnings and infos do not make an event invalid). */
  valid: boolean;
  /** The highest severity among all the problems (those left out included); undefined when there are none. */
  severity: Severity | undefined;
  /**
   * Errors first, then warnings, then infos, each in document order (by pointer); at most
   * `maxProblems` of them when that option is given.
   */
  problems: Problem[];
  /** Problems left out beyond `maxProblems` (or beyond `explainAtMost` validator errors). */
  omitted: number;
  /** True when `omitted` is counted from the validator's errors (see `explainAtMost`): about that many. */
  estimated: boolean;
}

/** A schema of the user's own (`validate --schema FILE`), compiled. */
export interface CustomSchema {
  validate: CompiledValidator;
  /** The same schema closed to undeclared fields (`unevaluatedProperties: false`), when loaded for --strict. */
  strict: CompiledValidator | undefined;
  /** What the user should know about how the schema is checked (patterns the linear-time engine cannot run). */
  warnings: string[];
}

/** A problem with the place in the file where it is. */
export interface LocatedProblem extends Problem {
  /** Line in the file, from 1. */
  line: number;
  /** Column in that line, from 1 (UTF-16 code units, as editors count). */
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
  /** No problem of error severity. */
  valid: boolean;
  /** The highest severity among its problems (those left out included); undefined when it has none. */
  severity: Severity | undefined;
  /** At most `maxErrors` problems: errors first, then warnings, then infos, each in document order. */
  problems: LocatedProblem[];
  /** How many more problems there were beyond `maxErrors`. */
  omitted: number;
}

export interface FileReport {
  file: string;
  events: number;
  valid: number;
  invalid: number;
  /** Valid events with warnings (counted in `valid` too). */
  warned: number;
  durationMs: number;
  /** True when Ctrl+C stopped the run in this file: its counts cover only what was read. */
  stopped?: boolean;
}

export interface ValidationSummary {
  files: number;
  events: number;
  valid: number;
  invalid: number;
  /** Valid events with warnings (counted in `valid` too). */
  warned: number;
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
  /** Every event with problems (invalid, or valid with warnings or infos), and the others too when `reportValid` is set. */
  onEvent?(event: EventReport): void;
  /** Each file once it has been read to the end. */
  onFile?(file: FileReport): void;
  /** After each chunk read. */
  onProgress?(progress: ValidationProgress): void;
  /** Standard input is about to be read and comes from a terminal: someone has to type (or end) it. */
  onWaitingForStdin?(): void;
}

export interface ValidateFilesOptions {
  /** Where relative paths start. */
  cwd: string;
  /** Standard input, asked for only for the path `-` (asking opens the process's own). */
  stdin?: (() => NodeJS.ReadableStream & { isTTY?: boolean | undefined }) | undefined;
  /** Check every event as this type (a known event type). */
  type?: string | undefined;
  /** Check every event against this schema instead of the catalogue's. */
  schema?: CustomSchema | undefined;
  /** Warnings become errors, and fields the schema does not declare are reported (as errors). @default false */
  strict?: boolean | undefined;
  /** Also report info-level problems (inferred or speculative fields). @default false (true under `strict`) */
  info?: boolean | undefined;
  /** Problems kept per event; the rest are counted. @default 20 */
  maxErrors?: number | undefined;
  /** Also call onEvent for valid events (for reports that list every event). @default false */
  reportValid?: boolean | undefined;
  /** Stops reading; the summary then covers what was read. */
  signal?: AbortSignal | undefined;
}
