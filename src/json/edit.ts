// Edits JSON bytes in place (replace, insert or remove one member) so that everything not
// touched keeps its exact bytes: a small scanner finds value positions, nothing is re-serialised.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Thrown when the bytes are not the JSON the scanner expects; callers turn it into a usage error. */
export class JsonScanError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = "JsonScanError";
    this.offset = offset;
  }
}

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

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Uint8Array, at: number): number {
  while (isSpace(bytes[at])) at++;
  return at;
}

/** Returns the index one past the closing quote of the string starting at `at`. */
function skipString(bytes: Uint8Array, at: number): number {
  if (bytes[at] !== QUOTE) throw new JsonScanError("expected a string", at);
  let i = at + 1;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte === BACKSLASH) i += 2;
    else if (byte === QUOTE) return i + 1;
    else i++;
  }
  throw new JsonScanError("unterminated string", at);
}

/** Returns the index one past the value starting at `at` (which must not be whitespace). */
export function skipValue(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first === undefined) throw new JsonScanError("expected a value", at);
  if (first === QUOTE) return skipString(bytes, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    let i = at;
    while (i < bytes.length) {
      const byte = bytes[i];
      if (byte === QUOTE) {
        i = skipString(bytes, i);
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    throw new JsonScanError("unterminated object or array", at);
  }
  // Number or literal: runs until a structural character or whitespace.
  let i = at;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) break;
    i++;
  }
  if (i === at) throw new JsonScanError("expected a value", at);
  return i;
}

function readKey(bytes: Uint8Array, start: number, end: number): string {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("utf8");
  return raw.includes("\\") ? (JSON.parse(raw) as string) : raw.slice(1, -1);
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
