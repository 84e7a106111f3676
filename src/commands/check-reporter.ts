// Writes `wtbhook check`'s report in the chosen format: text and github line by line as each
// check is done, json and junit as one document at the end.

import type { CheckReport } from "../check/runner.js";
import type { CheckResult } from "../check/types.js";
import type { Style } from "../format/style.js";
import { plainLayout, type Layout } from "../terminal/line.js";

export type CheckFormat = "text" | "json" | "github" | "junit";

export interface CheckReporterOptions {
  format: CheckFormat;
  /** Writes report data (stdout). */
  out: (text: string) => void;
  style: Style;
  target: string;
  /** The ids of the checks that will run, in order. */
  ids: readonly string[];
  /** How the text format's lines are laid out: fitted to a terminal's width. @default plainLayout */
  layout?: Layout;
}

export interface CheckReporter {
  result(result: CheckResult): void;
  finish(report: CheckReport): void;
}

/** The reporter for one format; only that format's module is loaded. */
export async function createCheckReporter(options: CheckReporterOptions): Promise<CheckReporter> {
  const { out, style } = options;
  if (options.format === "text") {
    const layout = options.layout ?? plainLayout;
    const pretty = await import("../format/check-pretty.js");
    const width = pretty.idWidth(options.ids);
    // The header waits for the first result: a run that cannot start prints only its error.
    let header = pretty.formatCheckHeader(options.target, options.ids.length, style, layout);
    const once = (): string => {
      const text = header;
      header = "";
      return text;
    };
    return {
      result: (result) => out(once() + pretty.formatCheckResult(result, style, width, layout)),
      finish: (report) => out(once() + pretty.formatCheckSummary(report.summary, style, layout)),
    };
  }
  if (options.format === "github") {
    const github = await import("../format/check-github.js");
    return {
      result: (result) => out(github.formatGithubCheck(result)),
      finish: (report) => out(github.formatGithubCheckSummary(report.summary)),
    };
  }
  const format =
    options.format === "json"
      ? (await import("../format/check-json.js")).formatCheckJson
      : (await import("../format/check-junit.js")).formatCheckJunit;
  return { result: () => undefined, finish: (report) => out(format(report)) };
}
