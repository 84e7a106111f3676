// Reading a recording back without reading all of it: its newest lines, from the end of the file
// backwards, and one line at a known byte offset (the inspector's history and its bodies on demand).

import { open } from "node:fs/promises";

const NEWLINE = 0x0a;
const CHUNK = 1024 * 1024;

/** One line of a recording, without its newline, and where it starts in the file. */
export interface LineAt {
  offset: number;
  text: string;
}

export interface NewestLinesOptions {
  /** Stop after this many lines (blank lines are not counted). */
  maxLines: number;
  /** Stop once this many bytes were read from the end: a file of huge bodies is not read whole. */
  maxBytes: number;
  /** Read the file as if it ended here (bytes appended since are not read). @default the file's size */
  end?: number | undefined;
  /** Called with each batch of lines read (newest first); awaited, so the caller can yield between batches. */
  onLines: (lines: LineAt[]) => void | Promise<void>;
}

/**
 * Reads the newest lines of a file backwards, newest first, batch by batch (one batch per chunk
 * read), without holding more than one chunk and the line it cuts through. A missing file has no
 * lines. Returns whether lines were left unread (the limits were reached first).
 */
export async function readNewestLines(path: string, options: NewestLinesOptions): Promise<{ truncated: boolean }> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { truncated: false };
    throw error;
  }
  try {
    const size = options.end ?? (await handle.stat()).size;
    let position = size;
    /** The bytes after the last newline found so far (the start of a line that began in an earlier chunk). */
    let carry: Buffer = Buffer.alloc(0);
    let count = 0;
    let read = 0;
    while (position > 0) {
      if (count >= options.maxLines || read >= options.maxBytes) return { truncated: true };
      const length = Math.min(CHUNK, position);
      position -= length;
      const chunk = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await handle.read(chunk, got, length - got, position + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      read += length;
      const bytes = carry.length > 0 ? Buffer.concat([chunk.subarray(0, got), carry]) : chunk.subarray(0, got);
      const lines: LineAt[] = [];
      let end = bytes.length;
      for (let i = bytes.lastIndexOf(NEWLINE, end - 1); i >= 0; i = i > 0 ? bytes.lastIndexOf(NEWLINE, i - 1) : -1) {
        if (end > i + 1) {
          lines.push({ offset: position + i + 1, text: bytes.toString("utf8", i + 1, end) });
          if (++count >= options.maxLines) break;
        }
        end = i;
      }
      carry = count >= options.maxLines ? Buffer.alloc(0) : Buffer.from(bytes.subarray(0, end));
      if (position === 0 && carry.length > 0 && count < options.maxLines) {
        lines.push({ offset: 0, text: carry.toString("utf8") });
        count++;
      }
      if (lines.length > 0) await options.onLines(lines);
      if (count >= options.maxLines) return { truncated: position > 0 || end > 0 };
    }
    return { truncated: false };
  } finally {
    await handle.close();
  }
}

/**
 * The line that starts at `offset`, without its newline; undefined when the file is gone, or when
 * no line ends within `maxBytes` (the file changed since the offset was taken).
 */
export async function readLineAt(path: string, offset: number, maxBytes: number): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    return undefined;
  }
  try {
    const parts: Buffer[] = [];
    let position = offset;
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes - total + 1));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      const end = chunk.subarray(0, bytesRead).indexOf(NEWLINE);
      if (end >= 0) {
        parts.push(chunk.subarray(0, end));
        return Buffer.concat(parts).toString("utf8");
      }
      total += bytesRead;
      // The end of the file without a newline: the last line of a file being written, or a cut one.
      if (bytesRead === 0 || total > maxBytes) return undefined;
      parts.push(chunk.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Reads the lines that start at `offsets` (any order), calling `onLine` with each; neighbouring
 * lines come from the same read, so reading the lines of a recording's last ten thousand requests
 * costs a few large reads, not ten thousand. A line that does not end within `maxLineBytes` is skipped.
 */
export async function readLinesAt(
  path: string,
  offsets: readonly number[],
  maxLineBytes: number,
  onLine: (offset: number, text: string) => void,
): Promise<void> {
  if (offsets.length === 0) return;
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    return;
  }
  try {
    const sorted = [...offsets].sort((a, b) => a - b);
    let chunk = Buffer.alloc(0);
    let start = 0;
    for (const offset of sorted) {
      let at = offset - start;
      let end = at >= 0 && at < chunk.length ? chunk.indexOf(NEWLINE, at) : -1;
      if (end < 0) {
        // Not (wholly) in the chunk read last: read from this line on.
        start = offset;
        at = 0;
        let size = CHUNK;
        for (;;) {
          chunk = Buffer.allocUnsafe(size);
          const { bytesRead } = await handle.read(chunk, 0, size, start);
          chunk = chunk.subarray(0, bytesRead);
          end = chunk.indexOf(NEWLINE);
          if (end >= 0 || bytesRead < size || size > maxLineBytes) break;
          size *= 4;
        }
        if (end < 0) continue;
      }
      onLine(offset, chunk.toString("utf8", at, end));
    }
  } finally {
    await handle.close();
  }
}
