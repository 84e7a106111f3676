// A body's exact bytes as text to show: bytes that are not UTF-8 and characters that would hide or
// fake what is shown (controls, bidirectional overrides, zero-width) become visible escapes.

import { escapeChar, isUnsafeCodePoint } from "../../terminal/safe-text.js";

export interface Segment {
  /** `text` as it is, or an `escape` shown in its own style. */
  kind: "text" | "escape";
  text: string;
}

/** The length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  const need = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (need === 0 || i + need > bytes.length) return 0;
  for (let k = 1; k < need; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  const second = bytes[i + 1]!;
  // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either.
  if (b === 0xe0 && second < 0xa0) return 0;
  if (b === 0xed && second > 0x9f) return 0;
  if (b === 0xf0 && second < 0x90) return 0;
  if (b === 0xf4 && second > 0x8f) return 0;
  return need;
}

const hex = (n: number): string => n.toString(16).padStart(2, "0");

/** Splits decoded text around the characters that must be shown escaped (newline and tab stay). */
export function segmentText(text: string): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || code === 0x09 || !isUnsafeCodePoint(code)) continue;
    if (i > start) segments.push({ kind: "text", text: text.slice(start, i) });
    segments.push({ kind: "escape", text: escapeChar(text[i]!) });
    start = i + 1;
  }
  if (start < text.length) segments.push({ kind: "text", text: text.slice(start) });
  return segments;
}

/** The segments of raw bytes: valid UTF-8 runs decoded (and made safe), every other byte as `\xNN`. */
export function segmentBytes(bytes: Uint8Array): Segment[] {
  const decoder = new TextDecoder();
  const segments: Segment[] = [];
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (i > start) segments.push(...segmentText(decoder.decode(bytes.subarray(start, i))));
    segments.push({ kind: "escape", text: `\\x${hex(bytes[i]!)}` });
    i++;
    start = i;
  }
  if (start < bytes.length) segments.push(...segmentText(decoder.decode(bytes.subarray(start))));
  return segments;
}

/** Base64 to bytes, in the browser (atob) and in Node alike. */
export function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
