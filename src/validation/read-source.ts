// Where a file's bytes come from (synchronous reads of a file; a stream for stdin and named pipes),
// and whether they are NDJSON.

import { closeSync, constants, fstatSync, openSync, readSync, statSync } from "node:fs";

import { describeFileError, WtbhookError } from "../errors.js";
import { BOM, startsWithBom } from "../json/utf8.js";
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
  let start = startsWithBom(head) ? 3 : 0;
  while (start < head.length && isBlankByte(head[start]!)) start++;
  const newline = head.indexOf(10, start);
  // A single line holding the whole file reads the same either way; a lone array is a document.
  if (newline < 0) return false;
  try {
    const value: unknown = JSON.parse(head.toString("utf8", start, newline));
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
  return new WtbhookError(describeFileError(error, input.name), { code: "unreadable-input", cause: error });
}

/** Chunks of one input. */
export interface Source {
  size: number | undefined;
  /** From now on, each read may overwrite the buffer the previous read returned (line mode keeps no chunk). */
  reuseBuffers(): void;
  /** The next chunk; undefined at the end, or at once when the signal aborts (a pipe with no writer waits forever). */
  read(): Promise<Buffer | undefined>;
  close(): void;
}

/** Resolves with `promise`, or with undefined as soon as the signal aborts. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(undefined);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener("abort", onAbort!));
}

/** A readable stream (stdin, a named pipe) as a Source; `destroy` lets go of it. */
function streamSource(stream: NodeJS.ReadableStream, signal: AbortSignal | undefined, destroy: () => void): Source {
  const iterator = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  return {
    size: undefined,
    reuseBuffers: () => {},
    read: async () => {
      const next = await unlessAborted(iterator.next(), signal);
      if (next === undefined || next.done) return undefined;
      return typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    },
    close: destroy,
  };
}

/**
 * A named pipe (FIFO) is opened without blocking and read as a socket: open(2) on a pipe with no
 * writer blocks the whole process, and Ctrl+C with it. The read then waits for a writer instead,
 * and the stop signal ends the wait.
 */
function pipeSource(input: InputFile & { path: string }, signal: AbortSignal | undefined): Source {
  let fd: number;
  try {
    fd = openSync(input.path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw readError(input, error);
  }
  // node:net is loaded only for a pipe: a run over plain files does not pay for it at start-up.
  const { Socket } = process.getBuiltinModule("node:net");
  const socket = new Socket({ fd, readable: true, writable: false });
  return streamSource(socket, signal, () => socket.destroy());
}

/**
 * Files are read with plain synchronous reads: a fresh process pays several milliseconds to set up
 * streams or the thread pool, which is most of what validating one small event costs. The event
 * loop still gets a turn every few chunks, so Ctrl+C is seen.
 */
export function openSource(input: InputFile, openStdin: (() => NodeJS.ReadableStream) | undefined, signal?: AbortSignal): Source {
  if (input.path === undefined) {
    // Asked for only here: asking opens the process's standard input.
    const stdin = openStdin?.();
    if (!stdin) throw new WtbhookError("no standard input to read", { code: "unreadable-input" });
    // Let go of stdin only when stopped: a terminal's stdin would otherwise keep the process alive.
    return streamSource(stdin, signal, () => {
      if (signal?.aborted) (stdin as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    });
  }
  let kind: "pipe" | "file";
  try {
    const info = statSync(input.path);
    kind = info.isFIFO() || info.isSocket() ? "pipe" : "file";
  } catch (error) {
    throw readError(input, error);
  }
  if (kind === "pipe") return pipeSource({ ...input, path: input.path }, signal);
  let fd: number;
  let size: number;
  try {
    fd = openSync(input.path, "r");
    const info = fstatSync(fd);
    // Devices report size 0; only a regular file's size is worth trusting.
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
      let n: number;
      try {
        n = readSync(fd, buffer, 0, length, null);
      } catch (error) {
        throw readError(input, error);
      }
      return n === 0 ? undefined : buffer.subarray(0, n);
    },
    close: () => {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}
