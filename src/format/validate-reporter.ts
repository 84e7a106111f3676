// Routes validation results to the chosen format: streamed (text, github), kept in memory (json:
// the invalid events) or spooled to a temporary file (junit), and written at the end.

import type { ValidationListener, ValidationSummary } from "../validation/validate-files.js";
import type { Style } from "./style.js";
// Static: text is the default format, and one module load fewer at start-up.
import { formatSummaryLine, TextReporter } from "./validate-text.js";

export const VALIDATE_FORMATS = ["text", "json", "github", "junit"] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

export interface ValidateReporterOptions {
  format: ValidateFormat;
  /** Writes report data (stdout). */
  out: (text: string) => void;
  /** Writes diagnostics (stderr). */
  err: (text: string) => void;
  outStyle: Style;
  errStyle: Style;
  /** Leave out the ✓ lines of valid files (text). @default false */
  quiet?: boolean;
  /** Show a progress line on stderr (only when stderr is a terminal). */
  progress?: { columns: number | undefined } | undefined;
}

export interface ValidateReporter {
  listener: ValidationListener;
  /** Whether the listener wants valid events too. */
  reportValid: boolean;
  /** Writes what comes at the end: the summary, or the whole json/junit document. */
  finish(summary: ValidationSummary): void;
}

/** The reporter for one format; only that format's module is loaded (start-up matters). */
export async function createValidateReporter(options: ValidateReporterOptions): Promise<ValidateReporter> {
  const { ProgressLine } = options.progress ? await import("./validate-progress.js") : { ProgressLine: undefined };
  const progress =
    options.progress && ProgressLine
      ? new ProgressLine({ write: options.err, style: options.errStyle, columns: options.progress.columns })
      : undefined;
  const out = (text: string): void => {
    if (text === "") return;
    progress?.clear();
    options.out(text);
  };
  const onProgress = progress ? progress.update.bind(progress) : undefined;

  if (options.format === "text") {
    const text = new TextReporter(options.outStyle);
    return {
      reportValid: false,
      listener: {
        onEvent: (event) => out(text.event(event)),
        onFile: (file) => {
          if (!(options.quiet && file.invalid === 0)) out(text.file(file));
        },
        ...(onProgress && { onProgress }),
      },
      finish: (summary) => {
        progress?.clear();
        out(text.summary(summary));
      },
    };
  }
  if (options.format === "github") {
    const { formatGithubEvent } = await import("./validate-github.js");
    return {
      reportValid: false,
      listener: { onEvent: (event) => out(formatGithubEvent(event)), ...(onProgress && { onProgress }) },
      finish: (summary) => {
        progress?.clear();
        options.err(`${formatSummaryLine(summary, options.errStyle)}\n`);
      },
    };
  }
  if (options.format === "junit") {
    const { JunitWriter } = await import("./validate-junit.js");
    const junit = new JunitWriter();
    // Stopped by an error or a signal before finish(): the temporary file still goes.
    const dispose = (): void => junit.dispose();
    process.once("exit", dispose);
    return {
      reportValid: true,
      listener: { onEvent: (event) => junit.onEvent(event), onFile: (file) => junit.onFile(file), ...(onProgress && { onProgress }) },
      finish: (summary) => {
        progress?.clear();
        process.off("exit", dispose);
        junit.finish(summary, out);
        options.err(`${formatSummaryLine(summary, options.errStyle)}\n`);
      },
    };
  }
  const { ReportCollector } = await import("../validation/report.js");
  const { formatJsonReport: format } = await import("./validate-json.js");
  const collector = new ReportCollector();
  return {
    reportValid: false,
    listener: {
      onEvent: (event) => collector.onEvent(event),
      onFile: (file) => collector.onFile(file),
      ...(onProgress && { onProgress }),
    },
    finish: (summary) => {
      progress?.clear();
      const report = collector.report(summary);
      out(format(report));
      options.err(`${formatSummaryLine(summary, options.errStyle)}\n`);
    },
  };
}
