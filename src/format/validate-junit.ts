// The `validate --format junit` report: JUnit XML with a testsuite per file and a testcase per event.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";

import { describeCause, WtbhookError } from "../errors.js";
import type { ValidationReport } from "../validation/report.js";
import type { EventReport, FileReport, ValidationListener, ValidationSummary } from "../validation/validate-files.js";

// Characters XML 1.0 does not allow at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/FFFF).
const ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for an XML text node, dropping characters XML 1.0 cannot carry. */
export function escapeXmlText(text: string): string {
  return text.replace(ILLEGAL, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes text for a double-quoted XML attribute (line breaks kept as character references). */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(event: EventReport): string {
  const name = `event ${event.index + 1}${event.type ? ` (${event.type})` : ""} at line ${event.line}`;
  const open = `    <testcase classname="${escapeXmlAttribute(event.file)}" name="${escapeXmlAttribute(name)}" time="0"`;
  if (event.valid) return `${open}/>\n`;
  const first = event.problems[0];
  const total = event.problems.length + event.omitted;
  const message = first
    ? `${first.pointer === "" ? "(root)" : first.pointer}: ${first.message}${total > 1 ? ` (and ${total - 1} more)` : ""}`
    : "invalid";
  const lines = event.problems.map(
    (problem) =>
      `${event.file}:${problem.line}:${problem.column}  ${problem.pointer === "" ? "(root)" : problem.pointer}  ${problem.message}`,
  );
  if (event.omitted > 0) lines.push(`… and ${event.omitted} more problems`);
  return (
    `${open}>\n` +
    `      <failure message="${escapeXmlAttribute(message)}" type="${escapeXmlAttribute(first?.keyword ?? "invalid")}">${escapeXmlText(lines.join("\n"))}</failure>\n` +
    `    </testcase>\n`
  );
}

const documentOpen = (summary: ValidationSummary): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n` +
  `<testsuites name="wtbhook validate" tests="${summary.events}" failures="${summary.invalid}" errors="0" time="${seconds(summary.durationMs)}">\n`;
const suiteOpen = (file: FileReport): string =>
  `  <testsuite name="${escapeXmlAttribute(file.file)}" tests="${file.events}" failures="${file.invalid}" errors="0" skipped="0" time="${seconds(file.durationMs)}">\n`;
const SUITE_CLOSE = "  </testsuite>\n";
const DOCUMENT_CLOSE = "</testsuites>\n";

/** The whole XML document, in memory. Lists every event it is given (collect with `reportValid`). */
export function formatJunitReport(report: ValidationReport): string {
  let out = documentOpen(report.summary);
  for (const file of report.files) {
    out += suiteOpen(file);
    for (const event of file.reported) out += testcase(event);
    out += SUITE_CLOSE;
  }
  return out + DOCUMENT_CLOSE;
}

/** Testcases held in memory before they go to the temporary file. */
const SPILL_AT = 256 * 1024;

/**
 * The same document as formatJunitReport, for any number of events in flat memory: testcases go
 * to a temporary file as they come (a suite's and the document's totals, which open them, are
 * only known at the end), and the document is written out from it by finish().
 */
export class JunitWriter implements ValidationListener {
  private readonly dir = spoolDir();
  private fd: number | undefined = openSync(join(this.dir, "testcases.xml"), "w+");
  private pending = "";
  private written = 0;
  private fileStart = 0;
  private readonly suites: { file: FileReport; start: number; end: number }[] = [];

  onEvent(event: EventReport): void {
    this.pending += testcase(event);
    if (this.pending.length >= SPILL_AT) this.spill();
  }

  onFile(file: FileReport): void {
    this.spill();
    this.suites.push({ file, start: this.fileStart, end: this.written });
    this.fileStart = this.written;
  }

  /** Writes the document through `out`, in pieces, then removes the temporary file. */
  finish(summary: ValidationSummary, out: (text: string) => void): void {
    try {
      this.spill();
      out(documentOpen(summary));
      const chunk = Buffer.allocUnsafe(SPILL_AT);
      for (const { file, start, end } of this.suites) {
        out(suiteOpen(file));
        // A chunk may end inside a character: the decoder keeps its first bytes for the next one.
        const decoder = new StringDecoder("utf8");
        for (let at = start; at < end;) {
          const read = readSync(this.fd!, chunk, 0, Math.min(chunk.length, end - at), at);
          if (read === 0) break;
          out(decoder.write(chunk.subarray(0, read)));
          at += read;
        }
        out(decoder.end());
        out(SUITE_CLOSE);
      }
      out(DOCUMENT_CLOSE);
    } finally {
      this.dispose();
    }
  }

  /** Removes the temporary file; safe to call more than once (and from an exit handler). */
  dispose(): void {
    const fd = this.fd;
    this.fd = undefined;
    try {
      if (fd !== undefined) closeSync(fd);
    } catch {
      // Already unusable: the folder is removed all the same.
    }
    rmSync(this.dir, { recursive: true, force: true });
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

function spoolError(error: unknown): WtbhookError {
  return new WtbhookError(`cannot spool the junit report in ${tmpdir()}: ${describeCause(error)}`, {
    code: "junit-spool-failed",
    hint: "Point TMPDIR at a writable folder with room, or use another --format.",
    cause: error,
  });
}

/** A fresh folder for the spooled testcases (the temporary folder must be writable). */
function spoolDir(): string {
  try {
    return mkdtempSync(join(tmpdir(), "wtbhook-junit-"));
  } catch (error) {
    throw spoolError(error);
  }
}
