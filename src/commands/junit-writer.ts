// Writes `validate --format junit` for any number of events in flat memory: testcases wait in a
// temporary file until the totals that open the document and each suite are known.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";

import { describeCause, WtbhookError } from "../errors.js";
import {
  formatJunitDocumentOpen,
  formatJunitSuiteOpen,
  formatJunitTestcase,
  JUNIT_DOCUMENT_CLOSE,
  JUNIT_SUITE_CLOSE,
} from "../format/validate-junit.js";
import type { EventReport, FileReport, ValidationListener, ValidationSummary } from "../validation/types.js";

/** Testcases held in memory before they go to the temporary file. */
const SPILL_AT = 256 * 1024;

function spoolError(error: unknown): WtbhookError {
  return new WtbhookError(`cannot spool the junit report in ${tmpdir()}: ${describeCause(error)}`, {
    code: "cannot-write",
    hint: "Point TMPDIR at a writable folder with room, or use another --format.",
    cause: error,
  });
}

/**
 * The same document as formatJunitReport, streamed. The temporary file is unlinked as soon as it
 * is open (where the system allows: not on Windows), so nothing is left behind however the
 * process ends, without an exit handler; dispose() closes it.
 */
export class JunitWriter implements ValidationListener {
  private dir: string | undefined;
  private fd: number | undefined;
  private pending = "";
  private written = 0;
  private fileStart = 0;
  private readonly suites: { file: FileReport; start: number; end: number }[] = [];

  constructor() {
    try {
      this.dir = mkdtempSync(join(tmpdir(), "wtbhook-junit-"));
      const path = join(this.dir, "testcases.xml");
      this.fd = openSync(path, "w+", 0o600);
      try {
        unlinkSync(path);
        rmSync(this.dir, { recursive: true, force: true });
        this.dir = undefined;
      } catch {
        // Windows keeps an open file: it goes in dispose().
      }
    } catch (error) {
      this.dispose();
      throw spoolError(error);
    }
  }

  onEvent(event: EventReport): void {
    this.pending += formatJunitTestcase(event);
    if (this.pending.length >= SPILL_AT) this.spill();
  }

  onFile(file: FileReport): void {
    this.spill();
    this.suites.push({ file, start: this.fileStart, end: this.written });
    this.fileStart = this.written;
  }

  /** Writes the document through `out`, in pieces, then lets go of the temporary file. */
  finish(summary: ValidationSummary, out: (text: string) => void): void {
    try {
      this.spill();
      out(formatJunitDocumentOpen(summary));
      const chunk = Buffer.allocUnsafe(SPILL_AT);
      for (const { file, start, end } of this.suites) {
        out(formatJunitSuiteOpen(file));
        // A chunk may end inside a character: the decoder keeps its first bytes for the next one.
        const decoder = new StringDecoder("utf8");
        for (let at = start; at < end;) {
          const read = readSync(this.fd!, chunk, 0, Math.min(chunk.length, end - at), at);
          if (read === 0) break;
          out(decoder.write(chunk.subarray(0, read)));
          at += read;
        }
        out(decoder.end());
        out(JUNIT_SUITE_CLOSE);
      }
      out(JUNIT_DOCUMENT_CLOSE);
    } finally {
      this.dispose();
    }
  }

  /** Closes (and where still there, removes) the temporary file; safe to call more than once. */
  dispose(): void {
    const fd = this.fd;
    this.fd = undefined;
    try {
      if (fd !== undefined) closeSync(fd);
    } catch {
      // Already unusable: the folder is removed all the same.
    }
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private spill(): void {
    if (this.pending === "") return;
    const bytes = Buffer.from(this.pending, "utf8");
    this.pending = "";
    try {
      for (let done = 0; done < bytes.length;) done += writeSync(this.fd!, bytes, done, bytes.length - done, this.written + done);
    } catch (error) {
      this.dispose();
      throw spoolError(error);
    }
    this.written += bytes.length;
  }
}
