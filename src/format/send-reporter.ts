// Writes `send`'s progress as it happens: attempt lines (human on stderr, or --json on stdout),
// a progress bar on a TTY, batched so that thousands of deliveries do not cost thousands of writes.

import type { OutputStream } from "../context.js";
import { formatAttemptJson, type AttemptJsonView } from "./send-json.js";
import { formatAttempt, formatProgress, formatRetryWait, type AttemptView } from "./send-pretty.js";
import type { Style } from "./style.js";

export interface SendReporterOptions {
  stdout: OutputStream;
  stderr: OutputStream;
  style: Style;
  json: boolean;
  /** Deliveries planned; a progress bar is drawn on a TTY when more than one. */
  total: number;
  /**
   * Show every attempt on a terminal even when there are more deliveries than rows; otherwise
   * only failed attempts are shown above the bar then. @default false
   */
  verbose?: boolean;
}

export interface SendReporter {
  attempt(view: AttemptView & AttemptJsonView): void;
  retryWait(view: AttemptView, waitMs: number): void;
  delivered(done: number, total: number): void;
  /** Flushes pending lines and clears the progress bar. */
  finish(): void;
}

const FLUSH_BYTES = 64 * 1024;
const BAR_EVERY_MS = 100;

export function createSendReporter(options: SendReporterOptions): SendReporter {
  const { stdout, stderr, style, json } = options;
  const bar = stderr.isTTY === true && options.total > 1;
  // More deliveries than a screenful would scroll every failure away: on a terminal, show the
  // failures and the bar only. Pipes and --json get every line, as before.
  const failuresOnly = bar && !json && options.verbose !== true && options.total > (stderr.rows ?? 24);
  const started = performance.now();
  let out = "";
  let err = "";
  let scheduled = false;
  let barText = "";
  let barDrawnAt = 0;

  const flush = (): void => {
    scheduled = false;
    if (out) {
      stdout.write(out);
      out = "";
    }
    if (err || (bar && barText)) {
      // Lines go above the bar: clear it, print them, draw it again.
      stderr.write(bar ? `\r\u001b[K${err}${barText}` : err);
      err = "";
    }
  };
  const schedule = (): void => {
    if (out.length + err.length > FLUSH_BYTES) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  if (failuresOnly) {
    stderr.write(`${style.dim(`Showing failures only: ${options.total} deliveries are more than a screenful (-v shows every one).`)}\n`);
  }

  return {
    attempt(view) {
      if (json) out += formatAttemptJson(view);
      else if (failuresOnly && view.ok) return;
      else err += `${formatAttempt(view, style)}\n`;
      schedule();
    },
    retryWait(view, waitMs) {
      err += `${formatRetryWait(view, waitMs, style)}\n`;
      flush();
    },
    delivered(done, total) {
      if (!bar) return;
      const now = performance.now();
      if (done < total && now - barDrawnAt < BAR_EVERY_MS) return;
      barDrawnAt = now;
      barText = formatProgress(done, total, now - started);
      schedule();
    },
    finish() {
      flush();
      if (bar && barText) stderr.write("\r\u001b[K");
      barText = "";
    },
  };
}
