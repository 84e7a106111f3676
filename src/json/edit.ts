// Edits JSON bytes in place (replace, insert or remove one member) so that everything not
// touched keeps its exact bytes: the scanner (scan.ts) finds value positions, nothing is re-serialised.

import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  JsonScanError,
  OPEN_BRACE,
  OPEN_BRACKET,
  readKey,
  skipSpace,
  skipString,
  skipValue,
} from "./scan.js";

export { JsonScanError, skipValue };

/** Where one member or element of an object or array sits in the bytes. */
export interface Slot {
  /** Object member name, or undefined for an array element. */
  key: string | undefined;
  /** First byte of the member (its key's opening quote; the value itself for array elements). */
  start: number;
  valueStart: number;
  /** One past the value's last byte. */
  valueEnd: number;
}

/** A container (object or array) and its members, in order. */
export interface Container {
  kind: "object" | "array";
  /** Position of `{` or `[`. */
  open: number;
  /** Position of `}` or `]`. */
  close: number;
  slots: Slot[];
}

/** Scans the object or array whose opening bracket is at `open`, listing its members. */
export function scanContainer(bytes: Uint8Array, open: number): Container {
  const kind = bytes[open] === OPEN_BRACE ? "object" : bytes[open] === OPEN_BRACKET ? "array" : undefined;
  if (!kind) throw new JsonScanError("expected an object or array", open);
  const closeByte = kind === "object" ? CLOSE_BRACE : CLOSE_BRACKET;
  const slots: Slot[] = [];
  let i = skipSpace(bytes, open + 1);
  if (bytes[i] === closeByte) return { kind, open, close: i, slots };
  for (;;) {
    const start = i;
    let key: string | undefined;
    if (kind === "object") {
      const keyEnd = skipString(bytes, i);
      key = readKey(bytes, i, keyEnd);
      i = skipSpace(bytes, keyEnd);
      if (bytes[i] !== COLON) throw new JsonScanError("expected ':'", i);
      i = skipSpace(bytes, i + 1);
    }
    const valueStart = i;
    const valueEnd = skipValue(bytes, i);
    slots.push({ key, start, valueStart, valueEnd });
    i = skipSpace(bytes, valueEnd);
    if (bytes[i] === COMMA) {
      i = skipSpace(bytes, i + 1);
      continue;
    }
    if (bytes[i] === closeByte) return { kind, open, close: i, slots };
    throw new JsonScanError(`expected ',' or '${String.fromCharCode(closeByte)}'`, i);
  }
}

/** The container at the top of a document (leading whitespace allowed). */
export function scanDocument(bytes: Uint8Array): Container {
  return scanContainer(bytes, skipSpace(bytes, 0));
}

/** Finds a member by key (objects) or index (arrays); the last one wins for duplicate keys, as in JSON.parse. */
export function findSlot(container: Container, segment: string): Slot | undefined {
  if (container.kind === "array") {
    if (!/^\d+$/.test(segment)) return undefined;
    return container.slots[Number(segment)];
  }
  for (let i = container.slots.length - 1; i >= 0; i--) {
    const slot = container.slots[i]!;
    if (slot.key === segment) return slot;
  }
  return undefined;
}

/** Replaces bytes [start, end) with `insert`. */
export function splice(bytes: Buffer, start: number, end: number, insert: string | Buffer): Buffer {
  const middle = typeof insert === "string" ? Buffer.from(insert, "utf8") : insert;
  return Buffer.concat([bytes.subarray(0, start), middle, bytes.subarray(end)]);
}

/**
 * Adds a member at the end of an object, copying the layout (indentation, `": "`) of its last
 * member so that a pretty-printed document stays pretty.
 */
export function insertMember(bytes: Buffer, container: Container, key: string, valueJson: string): Buffer {
  const last = container.slots.at(-1);
  const name = JSON.stringify(key);
  if (!last) return splice(bytes, container.open + 1, container.open + 1, `${name}: ${valueJson}`);
  const prev = container.slots.at(-2);
  const lead = prev
    ? bytes.subarray(skipSpace(bytes, prev.valueEnd) + 1, last.start).toString("utf8")
    : bytes.subarray(container.open + 1, last.start).toString("utf8");
  const keyEnd = skipString(bytes, last.start);
  const separator = bytes.subarray(keyEnd, last.valueStart).toString("utf8");
  return splice(bytes, last.valueEnd, last.valueEnd, `,${lead}${name}${separator}${valueJson}`);
}

/**
 * Adds an element at the end of an array, with the layout (line breaks, indentation) of the gap
 * before its last element, so that a pretty-printed array stays pretty.
 */
export function appendElement(bytes: Buffer, container: Container, valueJson: string): Buffer {
  const last = container.slots.at(-1);
  if (!last) return splice(bytes, container.open + 1, container.close, valueJson);
  const prev = container.slots.at(-2);
  const lead = prev
    ? bytes.subarray(skipSpace(bytes, prev.valueEnd) + 1, last.start).toString("utf8")
    : bytes.subarray(container.open + 1, last.start).toString("utf8");
  return splice(bytes, last.valueEnd, last.valueEnd, `,${lead}${valueJson}`);
}

/** Removes one member or element, with its comma, keeping the layout of the rest. */
export function removeSlot(bytes: Buffer, container: Container, slot: Slot): Buffer {
  const index = container.slots.indexOf(slot);
  const next = container.slots[index + 1];
  if (next) return splice(bytes, slot.start, next.start, "");
  const prev = container.slots[index - 1];
  if (prev) return splice(bytes, prev.valueEnd, slot.valueEnd, "");
  return splice(bytes, slot.start, slot.valueEnd, "");
}
