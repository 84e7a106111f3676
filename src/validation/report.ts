// Collects what validateFiles reports into one object, for reports written at the end (json, junit).

import type { EventReport, FileReport, ValidationListener, ValidationSummary } from "./types.js";

export interface FileResult extends FileReport {
  /** The events reported for this file: the invalid ones, plus the valid ones when asked for. */
  reported: EventReport[];
}

export interface ValidationReport {
  summary: ValidationSummary;
  files: FileResult[];
}

/** A listener that keeps every reported event, grouped by file, in order. */
export class ReportCollector implements ValidationListener {
  readonly files: FileResult[] = [];
  private current: EventReport[] = [];

  onEvent(event: EventReport): void {
    this.current.push(event);
  }

  onFile(file: FileReport): void {
    this.files.push({ ...file, reported: this.current });
    this.current = [];
  }

  report(summary: ValidationSummary): ValidationReport {
    return { summary, files: this.files };
  }
}
