// The file behind `listen --record`: opened (0600, a partial last line repaired), appended a turn at a time, complete lines only.

import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";

import { describeCause, WtbhookError } from "../errors.js";
import { formatRecordLine, type RecordRequest } from "./record.js";

/** Something about the file worth a warning; the recording goes on. */
export interface RecordingNotice {
  kind: "repaired" | "deleted";
  message: string;
}

export interface RecordingOptions {
  /** Told when the file needed repair on open, or was deleted while recording (and so was created anew). */
  onNotice?: (notice: RecordingNotice) => void;
}

/** A line that could not be written completely: it is not in the file (the file still ends in a whole line). */
export class RecordingWriteError extends Error {
  override readonly name = "RecordingWriteError";
}

/**
 * An open recording. `add` queues a request's line; the lines added in one turn of the event loop
 * go out together in one write(2), and each `add` resolves once its line is completely in the
 * file (in the kernel's page cache: it survives the process being killed, not a machine crash).
 * A write that fails or comes up short rejects the lines it did not complete, and the file is cut
 * back to its last complete line, so that it never holds half a line followed by the next event.
 */
export interface Recording {
  /** The path as given. */
  readonly path: string;
  /** True when this run created the file. */
  readonly created: boolean;
  /**
   * Appends one request; resolves once its line is completely written, with the byte offset where
   * the line starts in the file (to read it back), and rejects (RecordingWriteError) when it could not be.
   */
  add(request: RecordRequest): Promise<number>;
  /** Writes the lines added so far now instead of at the end of this turn. */
  flush(): void;
  /** Writes what is pending and closes the file; a second call does nothing. */
  close(): void;
  /** Closes the file and removes it when this run created it and wrote nothing to it (a start that failed). */
  discard(): void;
}

const OPEN_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK;
const NEWLINE = 0x0a;

function openError(path: string, error: unknown): WtbhookError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT"
      ? "its folder does not exist"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "EISDIR"
          ? "it is a folder"
          : describeCause(error);
  return new WtbhookError(`cannot open ${path} for recording: ${why}`, {
    code: "cannot-write",
    hint: "Check that the folder exists and is writable.",
    cause: error,
  });
}

/**
 * Opens `path` for appending and returns the descriptor and whether it was created. O_NONBLOCK:
 * a FIFO opens at once instead of waiting, deaf to Ctrl+C, for a reader; it is then refused.
 */
function openFile(path: string): { fd: number; created: boolean } {
  let fd: number;
  let created = true;
  try {
    // Created 0600: a recording holds request headers, Authorization among them.
    fd = openSync(path, OPEN_FLAGS | constants.O_EXCL, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw openError(path, error);
    created = false;
    try {
      fd = openSync(path, OPEN_FLAGS);
    } catch (again) {
      throw openError(path, again);
    }
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    const what = stats.isFIFO()
      ? "a FIFO"
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? "a device"
        : stats.isSocket()
          ? "a socket"
          : "not a file";
    throw new WtbhookError(`--record ${path} is ${what}, not a regular file`, {
      code: "cannot-write",
      hint: "Record into a plain file (it is appended to, and `wtbhook send --from` replays it).",
    });
  }
  return { fd, created };
}

/** Ends a last line left incomplete by an earlier run (killed mid-write, or a full disk). */
function repairEnd(fd: number, path: string, onNotice: RecordingOptions["onNotice"]): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === NEWLINE) return;
  try {
    writeSync(fd, "\n");
  } catch (error) {
    closeSync(fd);
    throw new WtbhookError(`${path} ends in an incomplete line, and it could not be ended: ${describeCause(error)}`, {
      code: "cannot-write",
      cause: error,
    });
  }
  onNotice?.({
    kind: "repaired",
    message: `${path} ended in an incomplete line (a run stopped while writing, or a full disk): it is ended now, so new events start on a line of their own`,
  });
}

/** How many complete lines `bytes` holds before `end`. */
function countLines(bytes: Buffer, end: number): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i >= 0 && i < end; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

/**
 * Opens (or creates, mode 0600) the recording at `path`, repairing a partial last line.
 * @throws WtbhookError (exit 2) when it cannot be opened, is not a regular file, or cannot be repaired.
 */
export function openRecording(path: string, options: RecordingOptions = {}): Recording {
  const opened = openFile(path);
  repairEnd(opened.fd, path, options.onNotice);
  /** Undefined once closed, or while the file must be opened again (it was deleted and could not be made anew). */
  let fd: number | undefined = opened.fd;
  let closed = false;
  let wrote = false;
  /** A partial line that could not be cut back: ended with "\n" before the next lines. */
  let endPartial = false;
  let pending = "";
  /** Each queued line: where it starts in `pending` (UTF-16 units), and who waits for it. */
  let waiters: { start: number; resolve: (offset: number) => void; reject: (error: Error) => void }[] = [];
  let scheduled = false;

  /** The descriptor to write to. A deleted recording would swallow every later event: the file is made again at its path. */
  const target = (): { fd: number; size: number } => {
    if (closed) throw new Error(`recording ${path} is closed`);
    if (fd !== undefined) {
      const stats = fstatSync(fd);
      if (stats.nlink > 0) return { fd, size: stats.size };
    }
    if (fd !== undefined) {
      closeSync(fd);
      fd = undefined;
      options.onNotice?.({ kind: "deleted", message: `${path} was deleted while recording: recording into a new ${path} from here on` });
    }
    fd = openFile(path).fd;
    return { fd, size: fstatSync(fd).size };
  };

  /**
   * The byte offset in the file of each queued line, from where the batch starts. The batch's
   * byte length is known already: when it equals its length in UTF-16 units the text is ASCII,
   * and offsets need no counting (the usual case); otherwise each line's bytes are counted.
   */
  const lineOffsets = (text: string, bytes: number, start: number, prefix: number, done: typeof waiters): number[] => {
    if (bytes === text.length) return done.map((waiter) => start + prefix + waiter.start);
    const offsets: number[] = [];
    let at = start + prefix;
    for (const [i, waiter] of done.entries()) {
      offsets.push(at);
      const end = done[i + 1]?.start ?? text.length - prefix;
      at += Buffer.byteLength(text.slice(prefix + waiter.start, prefix + end));
    }
    return offsets;
  };

  /** Writes all of `text` (`total` bytes); returns the bytes written and, when it did not complete, why. */
  const writeAll = (to: number, text: string, total: number): { written: number; error: Error | undefined } => {
    let written = 0;
    let bytes: Buffer | undefined;
    try {
      written = writeSync(to, text);
      // write(2) may write less than asked without failing (a disk that just filled): go on with
      // the rest, which then fails with the real reason, or completes.
      while (written < total) {
        bytes ??= Buffer.from(text);
        const n = writeSync(to, bytes, written, total - written);
        if (n === 0) return { written, error: new Error(`only ${written} of ${total} bytes could be written`) };
        written += n;
      }
      return { written, error: undefined };
    } catch (error) {
      return { written, error: error as Error };
    }
  };

  const flush = (): void => {
    scheduled = false;
    if (waiters.length === 0) return;
    const prefix = endPartial ? "\n" : "";
    const text = prefix + pending;
    const done = waiters;
    pending = "";
    waiters = [];
    let failure: Error | undefined;
    let written = 0;
    let to: number | undefined;
    let start = 0;
    const total = Buffer.byteLength(text);
    try {
      // O_APPEND: the batch lands at the end of the file, where it is now.
      ({ fd: to, size: start } = target());
      ({ written, error: failure } = writeAll(to, text, total));
    } catch (error) {
      failure = error as Error;
    }
    if (written > 0) endPartial = false;
    if (failure === undefined) {
      wrote = true;
      const offsets = lineOffsets(text, total, start, prefix.length, done);
      for (const [i, waiter] of done.entries()) waiter.resolve(offsets[i]!);
      return;
    }
    // Keep the lines that made it whole; cut off the partial one, so that the file ends in a
    // complete line and the next event is not appended onto half of this one.
    const bytes = Buffer.from(text);
    const good = written === 0 ? 0 : bytes.lastIndexOf(NEWLINE, written - 1) + 1;
    if (written > good && to !== undefined) {
      try {
        ftruncateSync(to, fstatSync(to).size - (written - good));
      } catch {
        endPartial = true;
      }
    }
    const kept = countLines(bytes, good) - (prefix !== "" && good > 0 ? 1 : 0);
    if (kept > 0) wrote = true;
    const why = new RecordingWriteError(describeCause(failure));
    const offsets = kept > 0 ? lineOffsets(text, total, start, prefix.length, done) : [];
    for (const [i, waiter] of done.entries()) {
      if (i < kept) waiter.resolve(offsets[i]!);
      else waiter.reject(why);
    }
  };

  const close = (): void => {
    if (closed) return;
    flush();
    closed = true;
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };

  return {
    path,
    created: opened.created,
    add(request) {
      return new Promise<number>((resolve, reject) => {
        waiters.push({ start: pending.length, resolve, reject });
        pending += formatRecordLine(request);
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    flush,
    close,
    discard() {
      close();
      if (opened.created && !wrote) {
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to clean up.
        }
      }
    },
  };
}
