// Splits bytes into lines as they arrive in chunks (NDJSON, listen's recordings): each line with its
// number and where it starts, a line too long to hold skipped, a last line without its newline marked.

import { startsWithBom } from "./utf8.js";

/** Where a line is in the stream. */
export interface LinePlace {
  /** From 1. */
  number: number;
  /** Offset in the stream of the line's first byte (after a byte order mark on line 1). */
  offset: number;
  /** False for a last line the stream ended without a newline: its writer may have been cut short. */
  terminated: boolean;
}

/** Receives the lines; plain calls, in order. */
export interface LineSink {
  /**
   * One line: bytes [start, end) of `chunk`, without the newline (a `\r` before it is kept). The
   * bytes and `place` are only valid during the call: the chunk's memory may be reused for the
   * next read, and `place` for the next line (one object, not one per line of a 1 GB file).
   */
  line(chunk: Buffer, start: number, end: number, place: Readonly<LinePlace>): void;
  /** A line longer than `maxLineBytes`: not held, and skipped to its end. */
  tooLong(place: LinePlace): void;
}

/**
 * Feed it chunks with push() and call end() once: the sink gets every line, a UTF-8 byte order
 * mark at the very start skipped. Chunks are not kept, except the start of a line that goes on
 * into the next chunk (copied).
 */
export class LineSplitter {
  private line = 0;
  /** Stream offset of the first byte of the next chunk. */
  private consumed = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Stream offset of the held line's first byte. */
  private pendingStart = 0;
  /** Set while skipping the rest of a line that is too long to hold. */
  private skipping = false;
  private readonly sink: LineSink;
  private readonly maxLineBytes: number;
  private readonly place: LinePlace = { number: 0, offset: 0, terminated: true };

  constructor(sink: LineSink, maxLineBytes: number) {
    this.sink = sink;
    this.maxLineBytes = maxLineBytes;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(10);
    if (this.pending.length > 0 || this.skipping) {
      const end = newline < 0 ? chunk.length : newline;
      if (!this.skipping) {
        // Copied: the reader may reuse the chunk's memory for the next read.
        this.pending.push(Buffer.from(chunk.subarray(0, end)));
        this.pendingBytes += end;
        if (this.pendingBytes > this.maxLineBytes) this.tooLong();
      }
      if (newline < 0) {
        this.consumed += chunk.length;
        return;
      }
      if (this.skipping) this.skipping = false;
      else {
        const whole = Buffer.concat(this.pending, this.pendingBytes);
        this.emit(whole, 0, whole.length, this.pendingStart, true);
      }
      this.pending = [];
      this.pendingBytes = 0;
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    while (newline >= 0) {
      this.emit(chunk, start, newline, this.consumed + start, true);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      this.pendingStart = this.consumed + start;
      this.pending.push(Buffer.from(chunk.subarray(start)));
      this.pendingBytes = chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) this.tooLong();
    }
    this.consumed += chunk.length;
  }

  /** The stream has ended: a last line without a newline is handed over now. */
  end(): void {
    if (this.skipping || this.pending.length === 0) return;
    const whole = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(whole, 0, whole.length, this.pendingStart, false);
  }

  private tooLong(): void {
    const number = ++this.line;
    this.sink.tooLong({ number, offset: this.pendingStart, terminated: true });
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = true;
  }

  private emit(buffer: Buffer, start: number, end: number, offset: number, terminated: boolean): void {
    const number = ++this.line;
    if (number === 1 && end - start >= 3 && startsWithBom(buffer, start)) {
      start += 3;
      offset += 3;
    }
    const place = this.place;
    place.number = number;
    place.offset = offset;
    place.terminated = terminated;
    this.sink.line(buffer, start, end, place);
  }
}
