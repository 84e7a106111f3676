// The progress line at the bottom of a terminal (send's bar, validate's "validating …"): drawn when
// due, rewritten in place, fitted to the width, with other output written above it, cleared at the end.

import type { OutputStream } from "../context.js";
import type { Layout } from "./line.js";
import { terminalSafe } from "./safe-text.js";
import { now as clockNow } from "../clock.js";

const ERASE_LINE = "\r\u001b[K";

export interface ProgressLineOptions {
  /** The terminal it is drawn on. */
  stream: OutputStream;
  /** The stream's layout: the line is cut to its width. */
  layout: Layout;
  /** Colours the line (dim). @default no colour */
  style?: (text: string) => string;
  /** Nothing is drawn before this much time has passed: a short run shows no progress. @default 0 */
  delayMs?: number;
  /** At most one drawing per interval, however often progress is offered. @default 100 */
  intervalMs?: number;
  /** @default the clock of clock.ts */
  now?: () => number;
}

export interface ProgressLine {
  /**
   * Offers progress. The text (made terminal-safe here) is asked for only when a drawing is due,
   * or when `final` (the last step should not be skipped), and drawn at the end of the turn:
   * with the lines written above it in that turn, in the same write.
   */
  update(text: () => string, final?: boolean): void;
  /**
   * Writes `text` (whole lines) to `stream` without breaking the line: on the line's own stream,
   * erase it, write the text and draw it again, in one write; on another stream sharing the
   * screen, erase it first (it comes back at the next drawing).
   */
  writeAbove(stream: OutputStream, text: string): void;
  /** Erases the line, if drawn, so that other output starts at column one; the next drawing brings it back. */
  clear(): void;
}

export function createProgressLine(options: ProgressLineOptions): ProgressLine {
  const { stream, layout } = options;
  const style = options.style ?? ((text: string): string => text);
  const now = options.now ?? clockNow;
  const delayMs = options.delayMs ?? 0;
  const intervalMs = options.intervalMs ?? 100;
  const started = now();
  let lastDrawn = -Infinity;
  // What is on the screen now ("" when nothing is), and what waits for the end of the turn.
  let drawn = "";
  let next: string | undefined;
  let scheduled = false;

  const render = (text: string): string => {
    // One column spare: a line that fills the last column leaves some terminals waiting to wrap.
    const width = Math.max(1, (layout.columns() ?? 80) - 1);
    return style(layout.line([{ text: terminalSafe(text), rank: 0, min: 1 }], width));
  };

  const draw = (): void => {
    scheduled = false;
    if (next === undefined) return;
    drawn = next;
    next = undefined;
    stream.write(`${ERASE_LINE}${drawn}`);
  };

  return {
    update(text, final = false) {
      const at = now();
      if (!final && (at - started < delayMs || at - lastDrawn < intervalMs)) return;
      lastDrawn = at;
      next = render(text());
      if (!scheduled) {
        scheduled = true;
        setImmediate(draw);
      }
    },
    writeAbove(target, text) {
      if (text === "") return;
      const bottom = next ?? drawn;
      if (target === stream && bottom !== "") {
        next = undefined;
        drawn = bottom;
        stream.write(`${ERASE_LINE}${text}${drawn}`);
        return;
      }
      this.clear();
      target.write(text);
    },
    clear() {
      next = undefined;
      if (drawn === "") return;
      stream.write(ERASE_LINE);
      drawn = "";
    },
  };
}
