// Routes validation results to the chosen format: streamed (text, github), kept in memory (json:
// the invalid events) or spooled to a temporary file (junit), and written at the end.

import type { OutputStream } from "../context.js";
import type { Style } from "../format/style.js";
// Static: text is the default format, and one module load fewer at start-up.
import { formatStdinNotice, formatSummaryLine, TextReporter } from "../format/validate-text.js";
// Static: a small module of types and the plain layout; the fitter itself loads only for a terminal.
import { layoutFor, plainLayout, type Layout } from "../terminal/line.js";
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
  /**
   * The streams behind `out` and `err`: where one is a terminal, text lines are fitted to its
   * width, and stderr gets a progress line.
   */
  terminal?: { stdout: OutputStream; stderr: OutputStream } | undefined;
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
  const terminal = options.terminal;
  // Only the text format is for people: the others are data, never wrapped.
  const outLayout = terminal && options.format === "text" ? await layoutFor(terminal.stdout) : plainLayout;
  const errLayout = terminal ? await layoutFor(terminal.stderr) : plainLayout;
  const progress = terminal?.stderr.isTTY === true ? await createProgress(terminal.stderr, errLayout, options.errStyle) : undefined;
  const out = (text: string): void => {
    if (text === "") return;
    progress?.clear();
    options.out(outLayout.wrap(text));
  };
  const common: ValidationListener = {
    ...(progress && { onProgress: progress.update }),
    onWaitingForStdin: () => options.err(errLayout.wrap(formatStdinNotice(options.errStyle))),
  };
  const summaryOnStderr = (summary: ValidationSummary): void => {
    progress?.clear();
    options.err(`${errLayout.wrap(formatSummaryLine(summary, options.errStyle))}\n`);
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
          // -q leaves out the ✓ lines: a file with something listed keeps its closing counts.
          if (!(options.quiet && !text.listed(file) && file.invalid === 0)) out(text.file(file));
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

/** validate's progress line: after a second of work, so that a small run shows none. */
async function createProgress(
  stream: OutputStream,
  layout: Layout,
  style: Style,
): Promise<{ update: NonNullable<ValidationListener["onProgress"]>; clear: () => void }> {
  const [{ createProgressLine }, { formatProgress }] = await Promise.all([
    import("../terminal/progress-line.js"),
    import("../format/validate-progress.js"),
  ]);
  const line = createProgressLine({ stream, layout, style: style.dim, delayMs: 1000 });
  return { update: (progress) => line.update(() => formatProgress(progress)), clear: () => line.clear() };
}
