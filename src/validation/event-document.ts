// A whole JSON document: one event, or an array of events, each checked and placed on its own.

import { isUtf8 } from "node:buffer";

import { startsWithBom } from "../json/utf8.js";
import type { FileRun } from "./file-run.js";
import type { Text } from "./pending.js";
import { validateEvent } from "./validate-event.js";

/** Events checked between two turns of the event loop (and looks at the stop signal). */
const BATCH = 1000;

/** Checks a whole JSON document: one event, or an array of events. */
export async function checkDocument(run: FileRun, bytes: Buffer): Promise<void> {
  const skip = startsWithBom(bytes) ? 3 : 0;
  const body = bytes.subarray(skip);
  const text: Text = { bytes: body, line: 1, fileOffset: skip };
  if (!isUtf8(body)) {
    run.explainLater({ kind: "encoding", index: run.nextIndex(), text });
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    run.explainLater({ kind: "syntax", index: run.nextIndex(), text, lastLine: false });
    return;
  }
  if (!Array.isArray(value)) {
    check(run, value, text, undefined);
    return;
  }
  for (let i = 0; i < value.length; i++) {
    check(run, value[i], text, i);
    if ((i + 1) % BATCH === 0) {
      await run.drain();
      if (run.options.signal?.aborted) return;
    }
  }
}

function check(run: FileRun, value: unknown, text: Text, element: number | undefined): void {
  const index = run.nextIndex();
  const result = validateEvent(value, run.options.check);
  const place = element === undefined ? { text, start: 0 } : { text, element };
  if (result.valid) run.valid(index, result, element === undefined ? { line: 1, column: 1 } : place);
  else run.explainLater({ kind: "checked", index, check: result, place });
}
