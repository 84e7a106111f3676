// One file's run: counts its events and reports them in order. Each event is checked as it is read;
// what needs placing in the text (problems, syntax errors) waits in a queue of plain data for the
// explainer, which is loaded only once something fails.

import type { ExplainOptions, Pending, Place } from "./pending.js";
import type { EventCheck, FileReport, Problem, ValidationListener } from "./types.js";
import { now } from "../clock.js";

export type Explainer = typeof import("./explain.js");
let explainer: Promise<Explainer> | undefined;
/** The explaining half, loaded the first time it is needed (never in a run where all is valid). */
function loadExplainer(): Promise<Explainer> {
  explainer ??= import("./explain.js");
  return explainer;
}

/** Longest line or document read into memory; Node cannot hold a much longer string. */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;

export interface FileRunOptions extends Omit<ExplainOptions, "file"> {
  /** Also report valid events. */
  reportValid: boolean;
  signal?: AbortSignal | undefined;
}

/** How long the queue may be worked on before the event loop gets a turn (Ctrl+C, output). */
const SLICE_MS = 50;

/** Counts and reports the events of one file, in order. */
export class FileRun {
  /** Events read so far (reported or waiting to be). */
  read = 0;
  private reported = 0;
  private validCount = 0;
  private invalidCount = 0;
  private warnedCount = 0;
  private queue: Pending[] = [];
  private readonly started = now();
  private lastTurn = now();
  readonly file: string;
  readonly options: FileRunOptions;
  private readonly listener: ValidationListener;

  private readonly explainOptions: ExplainOptions;

  constructor(file: string, listener: ValidationListener, options: FileRunOptions) {
    this.file = file;
    this.listener = listener;
    this.options = options;
    this.explainOptions = { file, check: options.check, maxErrors: options.maxErrors };
  }

  /** The next event's index in its file. */
  nextIndex(): number {
    return this.read++;
  }

  /**
   * A valid event: counted, and listed at `at` (the start of a line, or a place in the text that
   * the explainer turns into a line and column) when it has warnings or infos to place, or when
   * every event is reported. `copyLine` gives an NDJSON line's text, copied, when it has to be placed.
   */
  valid(index: number, check: EventCheck, at: number | Place, copyLine?: () => Place): void {
    if (check.problems.length > 0) {
      const place = typeof at === "number" ? copyLine?.() : at;
      if (place) {
        this.queue.push({ kind: "checked", index, check, place });
        return;
      }
    }
    if (!this.options.reportValid && check.problems.length === 0) {
      this.reported++;
      this.validCount++;
    } else if (typeof at !== "number") this.queue.push({ kind: "checked", index, check, place: at });
    else {
      const report = {
        file: this.file,
        index,
        line: at,
        column: 1,
        type: check.type,
        valid: true,
        severity: check.severity,
        problems: check.problems.map((problem) => ({ ...problem, line: at, column: 1 })),
        omitted: check.omitted,
      };
      this.queue.push({ kind: "ready", report });
    }
  }

  /** Work for the explainer: an invalid event, a recorded request, text that is not JSON or not UTF-8. */
  explainLater(item: Pending): void {
    this.queue.push(item);
  }

  /** Something that could not be read as an event at all, with its own place. */
  unreadable(index: number, line: number, problem: Problem): void {
    const at = { line, column: 1 };
    const report = {
      file: this.file,
      index,
      ...at,
      type: undefined,
      valid: false,
      severity: "error" as const,
      problems: [{ ...problem, ...at }],
      omitted: 0,
    };
    this.queue.push({ kind: "ready", report });
  }

  /**
   * Reports what waits in the queue, in order (loading the explainer when something needs it),
   * giving the event loop a turn every few milliseconds. Stops early when the signal aborts.
   */
  async drain(): Promise<void> {
    let explain: Explainer | undefined;
    await this.breathe();
    while (this.queue.length > 0) {
      const queue = this.queue;
      this.queue = [];
      for (let i = 0; i < queue.length; i++) {
        if (this.options.signal?.aborted) return;
        const item = queue[i]!;
        if (item.kind !== "ready") explain ??= await loadExplainer();
        const report = item.kind === "ready" ? item.report : explain!.explain(item, this.explainOptions);
        this.reported++;
        if (report.valid) this.validCount++;
        else this.invalidCount++;
        if (report.valid && report.severity === "warning") this.warnedCount++;
        if (!report.valid || report.problems.length > 0 || this.options.reportValid) this.listener.onEvent?.(report);
        await this.breathe();
      }
    }
  }

  /** Gives the event loop a turn (signals, output) when the work since the last one took long. */
  private async breathe(): Promise<void> {
    if (now() - this.lastTurn < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.lastTurn = now();
  }

  finish(stopped = false): FileReport {
    const report: FileReport = {
      file: this.file,
      events: this.reported,
      valid: this.validCount,
      invalid: this.invalidCount,
      warned: this.warnedCount,
      durationMs: now() - this.started,
    };
    if (stopped) report.stopped = true;
    this.listener.onFile?.(report);
    return report;
  }
}
