// The byte-level steps every reader of JSON text in wtbhook shares: whitespace, strings, whole
// values. Iterative (no recursion), so 100,000 levels of nesting cannot overflow the stack.

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;

/** Thrown when the bytes are not the JSON the scanner expects; callers turn it into a usage error. */
export class JsonScanError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = "JsonScanError";
    this.offset = offset;
  }
}

export function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export function skipSpace(bytes: Uint8Array, at: number): number {
  while (isSpace(bytes[at])) at++;
  return at;
}

/** The index one past the closing quote of the string starting at `at`. */
export function skipString(bytes: Uint8Array, at: number): number {
  if (bytes[at] !== QUOTE) throw new JsonScanError("expected a string", at);
  let from = at + 1;
  for (;;) {
    // indexOf runs natively: a 50 MB string costs one scan, not a JavaScript loop per byte.
    const quote = bytes.indexOf(QUOTE, from);
    if (quote < 0) throw new JsonScanError("unterminated string", at);
    let slashes = 0;
    while (bytes[quote - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The index one past the value starting at `at` (which must not be whitespace). */
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
  // A number or a literal: runs until a structural character or whitespace.
  let i = at;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || byte === COLON || isSpace(byte)) break;
    i++;
  }
  if (i === at) throw new JsonScanError("expected a value", at);
  return i;
}

/** The bytes as a Buffer, without copying (for decoding slices of them). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The name of the object member whose key (with its quotes) is bytes [start, end). */
export function readKey(bytes: Uint8Array, start: number, end: number): string {
  const raw = asBuffer(bytes).toString("utf8", start, end);
  if (!raw.includes("\\")) return raw.slice(1, -1);
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.slice(1, -1);
  }
}
