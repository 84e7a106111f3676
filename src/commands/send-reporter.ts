// Writes `send`'s progress as it happens: attempt lines (human on stderr, or --json on stdout),
// a progress bar on a terminal, batched so that thousands of deliveries do not cost thousands of writes.

import type { OutputStream } from "../context.js";
import { formatAttemptJson, type AttemptJsonView } from "../format/send-json.js";
import { formatAttempt, formatProgress, formatRetryWait, type AttemptView } from "../format/send-pretty.js";
import type { Style } from "../format/style.js";
import { createBatchedWriter } from "../terminal/batched-writer.js";
import { plainLayout, type Layout } from "../terminal/line.js";
import { createProgressLine } from "../terminal/progress-line.js";
import { now } from "../clock.js";

export interface SendReporterOptions {
  stdout: OutputStream;
  stderr: OutputStream;
  style: Style;
  json: boolean;
  /** Deliveries planned; a progress bar is drawn on a terminal when more than one. */
  total: number;
  /**
   * Show every attempt on a terminal even when there are more deliveries than rows; otherwise
   * only failed attempts are shown above the bar then. @default false
   */
  verbose?: boolean;
  /** How stderr's lines are laid out: fitted to a terminal's width. @default plainLayout */
  layout?: Layout;
}

export interface SendReporter {
  attempt(view: AttemptView & AttemptJsonView): void;
  retryWait(view: AttemptView, waitMs: number): void;
  delivered(done: number, total: number): void;
  /** Flushes pending lines and clears the progress bar. */
  finish(): void;
}

export function createSendReporter(options: SendReporterOptions): SendReporter {
  const { stdout, stderr, style, json } = options;
  const layout = options.layout ?? plainLayout;
  const bar = stderr.isTTY === true && options.total > 1 ? createProgressLine({ stream: stderr, layout }) : undefined;
  // More deliveries than a screenful would scroll every failure away: on a terminal, show the
  // failures and the bar only. Pipes and --json get every line, as before.
  const failuresOnly = bar !== undefined && !json && options.verbose !== true && options.total > (stderr.rows ?? 24);
  const out = createBatchedWriter(stdout, { progress: bar });
  const err = createBatchedWriter(stderr, { progress: bar });
  const started = now();

  if (failuresOnly) {
    const note = `Showing failures only: ${options.total} deliveries are more than a screenful (-v shows every one).`;
    stderr.write(`${style.dim(layout.wrap(note))}\n`);
  }

  return {
    attempt(view) {
      if (json) out.write(formatAttemptJson(view));
      else if (!(failuresOnly && view.ok)) err.write(`${formatAttempt(view, style, layout)}\n`);
    },
    retryWait(view, waitMs) {
      err.write(`${layout.wrap(formatRetryWait(view, waitMs, style))}\n`);
      err.flush();
    },
    delivered(done, total) {
      bar?.update(() => formatProgress(done, total, now() - started), done === total);
    },
    finish() {
      out.flush();
      err.flush();
      bar?.clear();
    },
  };
}
