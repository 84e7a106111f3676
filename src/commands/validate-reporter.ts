// Routes validation results to the chosen format: streamed (text, github), kept in memory (json:
// the invalid events) or spooled to a temporary file (junit), and written at the end.

import type { Style } from "../format/style.js";
// Static: text is the default format, and one module load fewer at start-up.
import { formatStdinNotice, formatSummaryLine, TextReporter } from "../format/validate-text.js";
import type { ValidationListener, ValidationSummary } from "../validation/types.js";

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
  /** Lets go of what the report holds (junit's temporary file), whether or not it finished. */
  dispose(): void;
}

/** The reporter for one format; only that format's module is loaded (start-up matters). */
export async function createValidateReporter(options: ValidateReporterOptions): Promise<ValidateReporter> {
  const { ProgressLine } = options.progress ? await import("../format/validate-progress.js") : { ProgressLine: undefined };
  const progress =
    options.progress && ProgressLine
      ? new ProgressLine({ write: options.err, style: options.errStyle, columns: options.progress.columns })
      : undefined;
  const out = (text: string): void => {
    if (text === "") return;
    progress?.clear();
    options.out(text);
  };
  const common: ValidationListener = {
    ...(progress && { onProgress: progress.update.bind(progress) }),
    onWaitingForStdin: () => options.err(formatStdinNotice(options.errStyle)),
  };
  const summaryOnStderr = (summary: ValidationSummary): void => {
    progress?.clear();
    options.err(`${formatSummaryLine(summary, options.errStyle)}\n`);
  };
  const nothing = (): void => {};

  if (options.format === "text") {
    const text = new TextReporter(options.outStyle);
    return {
      reportValid: false,
      listener: {
        ...common,
        onEvent: (event) => out(text.event(event)),
        onFile: (file) => {
          if (!(options.quiet && file.invalid === 0)) out(text.file(file));
        },
      },
      finish: (summary) => {
        progress?.clear();
        out(text.summary(summary));
      },
      dispose: nothing,
    };
  }
  if (options.format === "github") {
    const { formatGithubEvent } = await import("../format/validate-github.js");
    return {
      reportValid: false,
      listener: { ...common, onEvent: (event) => out(formatGithubEvent(event)) },
      finish: summaryOnStderr,
      dispose: nothing,
    };
  }
  if (options.format === "junit") {
    const { JunitWriter } = await import("./junit-writer.js");
    const junit = new JunitWriter();
    return {
      reportValid: true,
      listener: { ...common, onEvent: (event) => junit.onEvent(event), onFile: (file) => junit.onFile(file) },
      finish: (summary) => {
        progress?.clear();
        junit.finish(summary, out);
        summaryOnStderr(summary);
      },
      dispose: () => junit.dispose(),
    };
  }
  const { ReportCollector } = await import("../validation/report.js");
  const { formatJsonReport } = await import("../format/validate-json.js");
  const collector = new ReportCollector();
  return {
    reportValid: false,
    listener: { ...common, onEvent: (event) => collector.onEvent(event), onFile: (file) => collector.onFile(file) },
    finish: (summary) => {
      progress?.clear();
      out(formatJsonReport(collector.report(summary)));
      summaryOnStderr(summary);
    },
    dispose: nothing,
  };
}
