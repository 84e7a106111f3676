// An event body ready to send many times: its exact bytes, with the envelope id's digits swapped
// in place per delivery, and the clock-derived ids that fill it.

import { JsonScanError, findSlot, scanDocument } from "../json/edit.js";

/** An event's bytes split around the value of its top-level `id` member. */
export interface BodyTemplate {
  readonly bytes: Buffer;
  /** Byte range of the top-level `id` value, when the body is an object that has one. */
  readonly idSpan: readonly [number, number] | undefined;
  /** Event type read from the top-level `type` member, when present. */
  readonly type: string | undefined;
  /** The id as written in the bytes, when it is an integer. */
  readonly id: number | undefined;
}

/** Finds the top-level `id` and `type` of an event without parsing the whole document. */
export function createTemplate(bytes: Buffer): BodyTemplate {
  try {
    const doc = scanDocument(bytes);
    if (doc.kind !== "object") return { bytes, idSpan: undefined, type: undefined, id: undefined };
    const idSlot = findSlot(doc, "id");
    const typeSlot = findSlot(doc, "type");
    const idText = idSlot ? bytes.subarray(idSlot.valueStart, idSlot.valueEnd).toString("latin1") : undefined;
    const typeText = typeSlot ? bytes.subarray(typeSlot.valueStart, typeSlot.valueEnd).toString("utf8") : undefined;
    let type: string | undefined;
    if (typeText?.startsWith('"')) type = JSON.parse(typeText) as string;
    return {
      bytes,
      idSpan: idSlot ? [idSlot.valueStart, idSlot.valueEnd] : undefined,
      type,
      id: idText !== undefined && /^-?\d+$/.test(idText) ? Number(idText) : undefined,
    };
  } catch (error) {
    if (error instanceof JsonScanError) return { bytes, idSpan: undefined, type: undefined, id: undefined };
    throw error;
  }
}

/** The body with `id` as its envelope id; the bytes unchanged when there is no id member. */
export function renderBody(template: BodyTemplate, id: number): Buffer {
  if (!template.idSpan) return template.bytes;
  const [start, end] = template.idSpan;
  const digits = String(id);
  const out = Buffer.allocUnsafe(template.bytes.length - (end - start) + digits.length);
  template.bytes.copy(out, 0, 0, start);
  out.write(digits, start, "latin1");
  template.bytes.copy(out, start + digits.length, end);
  return out;
}

/**
 * Envelope ids for one run: microseconds since the Unix epoch, kept strictly increasing
 * (`max(now_ms × 1000, previous + 1)`). Unique and increasing within a run, and a later run
 * starts above an earlier one's ids unless the earlier run sent more than a million events per
 * second. They stay below 2^53 (about 1.8e15 today), so JavaScript consumers read them exactly.
 */
export function createIdSource(now: () => number = Date.now): () => number {
  let last = 0;
  return () => {
    const candidate = now() * 1000;
    last = candidate > last ? candidate : last + 1;
    return last;
  };
}
