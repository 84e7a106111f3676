// The progress line of `validate` on a terminal: shown after a second of work, rewritten in place, cleared at the end.

import type { ValidationProgress } from "../validation/types.js";
import type { Style } from "./style.js";
import { terminalSafeTruncated } from "../terminal/safe-text.js";
import { formatCount } from "./validate-text.js";

/** What the progress line is worth showing for: nothing before `delayMs`, then every `intervalMs`. */
export interface ProgressLineOptions {
  write: (text: string) => void;
  style: Style;
  /** @default 1000 */
  delayMs?: number;
  /** @default 100 */
  intervalMs?: number;
  /** @default performance.now */
  now?: () => number;
  /** Terminal width; the line is cut to fit. @default 80 */
  columns?: number | undefined;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** The text of the progress line (without the carriage return). */
export function formatProgress(progress: ValidationProgress): string {
  const size = progress.totalBytes
    ? ` ${Math.floor((progress.bytes / progress.totalBytes) * 100)}% of ${megabytes(progress.totalBytes)}`
    : ` ${megabytes(progress.bytes)}`;
  return `validating ${progress.file}${size}, ${formatCount(progress.events)} events checked`;
}

export class ProgressLine {
  private readonly options: Required<Omit<ProgressLineOptions, "columns">> & { columns: number };
  private readonly started: number;
  private lastDrawn = -Infinity;
  private shown = false;

  constructor(options: ProgressLineOptions) {
    this.options = {
      delayMs: 1000,
      intervalMs: 100,
      now: () => performance.now(),
      ...options,
      // A pseudo-terminal may report 0 columns.
      columns: options.columns !== undefined && options.columns >= 20 ? options.columns : 80,
    };
    this.started = this.options.now();
  }

  update(progress: ValidationProgress): void {
    const now = this.options.now();
    if (now - this.started < this.options.delayMs || now - this.lastDrawn < this.options.intervalMs) return;
    this.lastDrawn = now;
    const text = terminalSafeTruncated(formatProgress(progress), Math.max(10, this.options.columns - 2));
    this.options.write(`\r${this.options.style.dim(text)}\u001b[K`);
    this.shown = true;
  }

  /** Removes the line, if shown, so that other output starts at column one. */
  clear(): void {
    if (!this.shown) return;
    this.options.write("\r\u001b[K");
    this.shown = false;
  }
}
