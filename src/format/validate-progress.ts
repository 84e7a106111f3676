// The text of `validate`'s progress line on a terminal (drawn by terminal/progress-line.ts).

import type { ValidationProgress } from "../validation/types.js";
import { formatCount } from "./validate-text.js";

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
