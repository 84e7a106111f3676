// Where a file's bytes come from (synchronous reads of a file, or stdin), and whether they are NDJSON.

import { closeSync, fstatSync, openSync, readSync } from "node:fs";

import { describeCause, WtbhookError } from "../errors.js";
import { BOM } from "./file-run.js";
import type { InputFile } from "./input-files.js";

const CHUNK_BYTES = 1024 * 1024;

function isBlankByte(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * NDJSON or a whole document? By extension first; otherwise NDJSON when the first non-blank
 * line is a JSON object on its own (a pretty-printed event starts with a lone "{").
 */
export function looksLikeLines(head: Buffer): boolean {
  let start = 0;
  if (head[0] === BOM[0] && head[1] === BOM[1] && head[2] === BOM[2]) start = 3;
  while (start < head.length && isBlankByte(head[start]!)) start++;
  const newline = head.indexOf(10, start);
  const text = head.toString("utf8", start, newline < 0 ? head.length : newline);
  // A single line holding the whole file reads the same either way; a lone array is a document.
  if (newline < 0) return false;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Watches chunks as they arrive until the first non-blank line is complete. */
export class FirstLineWatch {
  private seenContent = false;

  /** True once the chunks seen so far hold a complete first non-blank line. */
  add(chunk: Buffer): boolean {
    let i = 0;
    if (!this.seenContent) {
      while (i < chunk.length && (isBlankByte(chunk[i]!) || (i < 3 && chunk[i] === BOM[i]))) i++;
      if (i === chunk.length) return false;
      this.seenContent = true;
    }
    return chunk.indexOf(10, i) >= 0;
  }
}

export function readError(input: InputFile, error: unknown): WtbhookError {
  return new WtbhookError(`cannot read ${input.name}: ${describeCause(error)}`, { code: "unreadable-input", cause: error });
}

/** Chunks of one input. */
export interface Source {
  size: number | undefined;
  /** From now on, each read may overwrite the buffer the previous read returned (line mode keeps no chunk). */
  reuseBuffers(): void;
  read(): Promise<Buffer | undefined>;
  close(aborted: boolean): void;
}

/**
 * Files are read with plain synchronous reads: a fresh process pays several milliseconds to set up
 * streams or the thread pool, which is most of what validating one small event costs. The event
 * loop still gets a turn every few chunks, so Ctrl+C is seen.
 */
export function openSource(input: InputFile, stdin: NodeJS.ReadableStream | undefined): Source {
  if (input.path === undefined) {
    if (!stdin) throw new WtbhookError("no standard input to read", { code: "unreadable-input" });
    const iterator = (stdin as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
    return {
      size: undefined,
      reuseBuffers: () => {},
      read: async () => {
        const next = await iterator.next();
        if (next.done) return undefined;
        return typeof next.value === "string" ? Buffer.from(next.value) : next.value;
      },
      close: (aborted) => {
        if (aborted) void iterator.return?.();
      },
    };
  }
  let fd: number;
  let size: number;
  try {
    fd = openSync(input.path, "r");
    const info = fstatSync(fd);
    // Pipes and devices report size 0; only a regular file's size is worth trusting.
    size = info.isFile() ? info.size : CHUNK_BYTES;
  } catch (error) {
    throw readError(input, error);
  }
  let chunks = 0;
  let closed = false;
  let reusable: Buffer | undefined;
  let reuse = false;
  return {
    size,
    reuseBuffers: () => {
      reuse = true;
    },
    read: async () => {
      if (++chunks % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
      // A new buffer each time until line mode says none is kept (a document holds all its chunks).
      // The first read is sized to the file, so a small event costs a small buffer.
      const length = chunks === 1 ? Math.min(CHUNK_BYTES, size + 1) : CHUNK_BYTES;
      // Reusing one buffer keeps a 1 GB NDJSON file from leaving a trail of 1 MB buffers for the GC.
      const buffer = reuse && reusable ? reusable : Buffer.allocUnsafe(length);
      if (reuse && length === CHUNK_BYTES) reusable = buffer;
      const n = readSync(fd, buffer, 0, length, null);
      return n === 0 ? undefined : buffer.subarray(0, n);
    },
    close: () => {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}
