// Standard output and standard error as the program writes them. Node's process.stdout and
// process.stderr are streams whose first use loads the stream, pipe and terminal code behind them
// (a few milliseconds of every start-up). For a program that writes a little to a pipe, a file or
// the null device, the stream adds nothing: Node writes there synchronously too. So the first
// DIRECT_BYTES are written straight to the descriptor, and Node's stream takes over for a terminal
// (its width, its own writing), past DIRECT_BYTES (a long output: the stream keeps what a slow
// reader has not taken yet and lets the program go on, where a direct write to a full pipe waits
// for the reader), when the descriptor will not take more without waiting (a pipe that another
// program made non-blocking), and when it fails in a way that the stream knows how to report.
import { fstatSync, statSync, writeSync as fsWriteSync } from "node:fs";
import type { OutputStream } from "../context.js";

/** Bytes written directly before Node's stream takes over: enough for a command's usual output. */
export const DIRECT_BYTES = 16 * 1024;

/** An output of the process. */
export interface ProcessOutput extends OutputStream {
  /** The stream, if anything opened it. */
  opened(): NodeJS.WriteStream | undefined;
}

export interface ProcessOutputOptions {
  /** Opens Node's stream for this descriptor (process.stdout or process.stderr). */
  open: () => NodeJS.WriteStream;
  /** Called with the stream once opened. */
  onOpen: (stream: NodeJS.WriteStream) => void;
  /** The reader went away (EPIPE) during a direct write. */
  onBrokenPipe: () => void;
  /**
   * Write straight to a pipe, a file or the null device. A program that serves until stopped passes
   * false: a direct write to a pipe that nobody reads waits, and with it everything else the
   * program does, where Node's stream keeps the text and goes on. @default true
   */
  direct?: boolean;
  /** @default fs.writeSync */
  writeSync?: (fd: number, buffer: Uint8Array, offset: number) => number;
}

/** Whether `fd` is known not to be a terminal without asking the terminal code: a pipe, a file, the null device. */
export function surelyNotTerminal(fd: number): boolean {
  try {
    const facts = fstatSync(fd);
    if (!facts.isCharacterDevice()) return true;
    return facts.rdev === statSync("/dev/null").rdev;
  } catch {
    // A closed descriptor, or no /dev/null: Node's own stream says what it is.
    return false;
  }
}

/**
 * Descriptor `fd` (1 or 2) as an OutputStream: its first DIRECT_BYTES written directly while it is
 * known not to be a terminal, the rest through Node's stream. Nothing is lost or reordered on the
 * way from one to the other: a direct write either completes or hands its unwritten rest to the
 * stream, which takes every later write.
 */
export function processOutput(fd: number, options: ProcessOutputOptions): ProcessOutput {
  const writeSync = options.writeSync ?? fsWriteSync;
  let stream: NodeJS.WriteStream | undefined;
  let direct = options.direct === false ? false : undefined;
  let written = 0;
  const get = (): NodeJS.WriteStream => {
    if (stream === undefined) {
      stream = options.open();
      options.onOpen(stream);
    }
    return stream;
  };
  const isDirect = (): boolean => stream === undefined && (direct ??= surelyNotTerminal(fd));

  return {
    write(chunk) {
      if (!isDirect()) return get().write(chunk);
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      written += bytes.length;
      if (written > DIRECT_BYTES) return get().write(bytes);
      let offset = 0;
      while (offset < bytes.length) {
        try {
          offset += writeSync(fd, bytes, offset);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "EPIPE") {
            options.onBrokenPipe();
            return false;
          }
          // EAGAIN (a full non-blocking pipe) and anything else: the stream waits, or reports it.
          return get().write(bytes.subarray(offset));
        }
      }
      return true;
    },
    get isTTY() {
      return isDirect() ? false : get().isTTY;
    },
    get columns() {
      return isDirect() ? undefined : get().columns;
    },
    get rows() {
      return isDirect() ? undefined : get().rows;
    },
    writesTo(path) {
      try {
        const out = fstatSync(fd);
        const file = statSync(path);
        return out.isFile() && out.dev === file.dev && out.ino === file.ino;
      } catch {
        return false;
      }
    },
    opened: () => stream,
  };
}
