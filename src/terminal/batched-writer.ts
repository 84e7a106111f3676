// Output written once per turn of the event loop: a burst of thousands of lines (listen under load,
// send --repeat) costs one write per turn instead of one per line.

import type { OutputStream } from "../context.js";
import type { ProgressLine } from "./progress-line.js";

export interface BatchedWriterOptions {
  /** Queued text past this many characters is written at once rather than at the end of the turn. @default 65536 */
  maxPending?: number;
  /** Nothing is written until release() (listen's lines wait for its ready line). @default false */
  held?: boolean;
  /** A progress line on the same screen: text is written above it, never through it. */
  progress?: ProgressLine | undefined;
}

export interface BatchedWriter {
  /** Queues text (whole lines) for the end of this turn. */
  write(text: string): void;
  /** Writes what is queued now, unless held. */
  flush(): void;
  /** Ends the hold and writes what waited. */
  release(): void;
}

export function createBatchedWriter(stream: OutputStream, options: BatchedWriterOptions = {}): BatchedWriter {
  const maxPending = options.maxPending ?? 64 * 1024;
  let held = options.held ?? false;
  let pending = "";
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (held || pending === "") return;
    const text = pending;
    pending = "";
    if (options.progress) options.progress.writeAbove(stream, text);
    else stream.write(text);
  };

  return {
    write(text) {
      pending += text;
      if (pending.length > maxPending) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
    release() {
      held = false;
      flush();
    },
  };
}
