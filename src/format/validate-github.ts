// The `validate --format github` report: workflow commands that annotate a pull request.

import type { EventReport } from "../validation/types.js";
import { terminalSafe } from "../terminal/safe-text.js";

/**
 * Escapes the message of a workflow command as GitHub's toolkit does (`%`, CR, LF), then shows
 * every other control or invisible character as a visible escape (`\e`, `\x07`): the runner
 * prints these lines in the log, where an ESC sequence would act on the reader's terminal.
 */
export function escapeGithubData(text: string): string {
  const escaped = text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  // Tab is the one control character terminalSafe leaves; a workflow command carries none.
  return terminalSafe(escaped).replace(/\t/g, "\\t");
}

/** Escapes a property value of a workflow command (GitHub's escapeProperty: also `:` and `,`). */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** The workflow command of each severity: an error fails the check, a warning and a notice only annotate. */
const COMMANDS = { error: "error", warning: "warning", info: "notice" } as const;

/**
 * One workflow command per problem of an event (`::error`, `::warning`, or `::notice` for an info),
 * and one for the problems cut off, as costly as the event.
 */
export function formatGithubEvent(event: EventReport): string {
  if (event.problems.length === 0 && event.omitted === 0) return "";
  const file = escapeGithubProperty(event.file);
  let out = "";
  for (const problem of event.problems) {
    const title = escapeGithubProperty(`${event.type ?? "event"} ${problem.pointer === "" ? "(root)" : problem.pointer}`);
    out += `::${COMMANDS[problem.severity]} file=${file},line=${problem.line},col=${problem.column},title=${title}::${escapeGithubData(problem.message)}\n`;
  }
  if (event.omitted > 0) {
    const command = COMMANDS[event.severity ?? "error"];
    out += `::${command} file=${file},line=${event.line},col=${event.column}::${escapeGithubData(`… and ${event.omitted} more problems in this event`)}\n`;
  }
  return out;
}
