// Lines and columns of byte offsets in UTF-8 text, as an editor shows them: both from 1, columns
// counting UTF-16 code units (an emoji is two), so that they agree with the decoded text.

/** How many UTF-16 code units bytes [start, end) of UTF-8 decode to (invalid bytes count one each). */
export function utf16Length(bytes: Uint8Array, start: number, end: number): number {
  let units = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    // Continuation bytes add nothing; a 4-byte sequence is a surrogate pair.
    if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
  }
  return units;
}

export interface Position {
  line: number;
  column: number;
}

/**
 * Line and column of offsets in one text, the line starts found on first use. Offsets asked in
 * increasing order cost one pass in all: the column count goes on from the previous offset.
 */
export class LineIndex {
  private starts: number[] | undefined;
  private readonly bytes: Uint8Array;
  private last = { line: 0, offset: -1, column: 0 };

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  position(offset: number): Position {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.bytes.indexOf(0x0a); i >= 0; i = this.bytes.indexOf(0x0a, i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    const last = this.last;
    const column =
      last.line === low && last.offset <= offset
        ? last.column + utf16Length(this.bytes, last.offset, offset)
        : utf16Length(this.bytes, starts[low]!, offset) + 1;
    this.last = { line: low, offset, column };
    return { line: low + 1, column };
  }
}
