// UTF-8 at the byte level: the byte order mark, decoding one character, and where bytes stop being
// valid UTF-8 (to say "invalid UTF-8 at byte N").

/** The UTF-8 byte order mark, accepted (and skipped) at the start of a file or stream. */
export const BOM: readonly number[] = [0xef, 0xbb, 0xbf];

/** True when bytes[at..] start with the byte order mark. */
export function startsWithBom(bytes: Uint8Array, at = 0): boolean {
  return bytes[at] === BOM[0] && bytes[at + 1] === BOM[1] && bytes[at + 2] === BOM[2];
}

/** The character at `at`: its code point and byte length, or undefined where the bytes are not valid UTF-8. */
export function decodeCodePoint(bytes: Uint8Array, at: number): { code: number; length: number } | undefined {
  const b = bytes[at];
  if (b === undefined) return undefined;
  if (b < 0x80) return { code: b, length: 1 };
  let need: number;
  let min: number;
  if (b >= 0xc2 && b <= 0xdf) {
    need = 1;
    min = 0x80;
  } else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    min = 0x800;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    min = 0x10000;
  } else return undefined;
  let code = b & (0x3f >> need);
  for (let k = 1; k <= need; k++) {
    const next = bytes[at + k];
    if (next === undefined || (next & 0xc0) !== 0x80) return undefined;
    code = (code << 6) | (next & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { code, length: need + 1 };
}

/** Index of the first byte that does not belong to a valid UTF-8 sequence (bytes.length if none). */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const decoded = decodeCodePoint(bytes, i);
    if (!decoded) return i;
    i += decoded.length;
  }
  return bytes.length;
}
