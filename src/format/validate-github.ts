// The `validate --format github` report: workflow commands that annotate a pull request.

import type { EventReport } from "../validation/types.js";

/** Escapes the message of a workflow command (GitHub's escapeData). */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value of a workflow command (GitHub's escapeProperty). */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** One `::error` line per problem of an invalid event (and one for the problems cut off). */
export function formatGithubEvent(event: EventReport): string {
  if (event.valid) return "";
  const file = escapeGithubProperty(event.file);
  let out = "";
  for (const problem of event.problems) {
    const title = escapeGithubProperty(`${event.type ?? "event"} ${problem.pointer === "" ? "(root)" : problem.pointer}`);
    out += `::error file=${file},line=${problem.line},col=${problem.column},title=${title}::${escapeGithubData(problem.message)}\n`;
  }
  if (event.omitted > 0) {
    out += `::error file=${file},line=${event.line},col=${event.column}::${escapeGithubData(`… and ${event.omitted} more problems in this event`)}\n`;
  }
  return out;
}
