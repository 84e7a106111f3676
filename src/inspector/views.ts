// History entries as the API shows them: the list's summaries and one event's details.

import { isUtf8 } from "node:buffer";

import { isoTime } from "../iso-time.js";
import { recordHeaders } from "../record/record.js";
import type { EventDetail, EventSummary, ProblemView, Severity } from "./api-types.js";
import { placeProblems } from "../validation/explain.js";
import type { Problem } from "../validation/types.js";
import type { RequestLookup } from "./bodies.js";
import type { HistoryEntry } from "./history.js";

/** The facts listen prints for an event (given by the command, which owns how events are shown). */
export type FactsOf = (type: string | undefined, payload: unknown) => string[];

const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** A problem's severity: its own when the check gives one (issue 11), else an error when the event is invalid. */
export function severityOf(problem: object, valid: boolean): Severity {
  const own = (problem as { severity?: unknown }).severity;
  if (typeof own === "string" && (SEVERITIES as readonly string[]).includes(own)) return own as Severity;
  return valid ? "warning" : "error";
}

/** The verdict on a check: valid or not (null: nothing to check against) and the worst severity among its problems. */
export function verdictOf(check: HistoryEntry["check"]): { valid: boolean | null; severity: Severity | null } {
  if (check === undefined) return { valid: null, severity: null };
  let worst: Severity | null = null;
  for (const problem of check.problems) {
    const severity = severityOf(problem, check.valid);
    if (worst === null || SEVERITIES.indexOf(severity) < SEVERITIES.indexOf(worst)) worst = severity;
  }
  return { valid: check.valid, severity: worst ?? (check.valid ? null : "error") };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** One entry as the list shows it; its facts once worked out (bodies.ensureFacts), else none yet. */
export function summaryOf(entry: HistoryEntry): EventSummary {
  const { valid, severity } = verdictOf(entry.check);
  const forward = entry.forward;
  return {
    seq: entry.seq,
    time: entry.time === undefined ? null : isoTime(new Date(entry.time)),
    kind: entry.outcome === "event" ? "event" : "rejected",
    reason: entry.outcome === "event" ? null : entry.outcome,
    source: entry.source,
    method: entry.method,
    path: entry.path,
    type: entry.type ?? null,
    id: entry.id ?? null,
    knownType: entry.knownType,
    delivery: entry.delivery,
    redelivery: entry.delivery > 1,
    valid,
    severity,
    problems: entry.check ? entry.check.problems.length + entry.check.omitted : 0,
    problem: entry.check?.problems[0]?.message ?? null,
    status: entry.status ?? null,
    ms: round(entry.ms),
    by: entry.by ?? null,
    forward: forward ? { status: forward.status ?? null, ms: round(forward.ms), error: forward.failure?.message ?? null } : null,
    facts: entry.facts ?? [],
    size: entry.bodyBytes,
  };
}

/** Problems in document order, with their line and column in `bytes` (when they are the JSON the problems were found in). */
export function locateProblems(problems: readonly Problem[], valid: boolean, bytes: Uint8Array | undefined): ProblemView[] {
  const placed = bytes === undefined ? problems : placeProblems(problems, { bytes, line: 1, fileOffset: 0 }, 0, problems.length).kept;
  return placed.map((problem) => {
    const view: ProblemView = {
      pointer: problem.pointer,
      message: problem.message,
      keyword: problem.keyword,
      severity: severityOf(problem, valid),
    };
    if (problem.expected !== undefined) view.expected = problem.expected;
    if (problem.found !== undefined) view.found = problem.found;
    const { line, column } = problem as { line?: number; column?: number };
    if (line !== undefined) Object.assign(view, { line, column });
    return view;
  });
}

/** Everything about one entry, with its request (read back by the caller from the recording when the history does not hold it). */
export function detailOf(entry: HistoryEntry, request: RequestLookup, factsOf: FactsOf): EventDetail {
  const { body, missing } = request;
  if (entry.facts === undefined && body !== undefined && entry.outcome === "event") {
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      payload = undefined;
    }
    entry.facts = factsOf(entry.type, payload);
  }
  const summary = summaryOf(entry);
  const utf8 = body === undefined ? true : isUtf8(body);
  const text = body?.toString("utf8");
  const check = entry.check;
  const forward = entry.forward;
  const answer = forward?.answer;
  const headers: [string, string][] = [];
  for (let i = 0; answer && i + 1 < answer.headers.length; i += 2) headers.push([answer.headers[i]!, answer.headers[i + 1]!]);
  return {
    ...summary,
    headers: request.headers === undefined ? {} : recordHeaders(request.headers),
    body: text ?? null,
    bodyBase64: body !== undefined && !utf8 ? body.toString("base64") : null,
    bodyMissing: body === undefined ? missing : null,
    problemList: check ? locateProblems(check.problems, check.valid, entry.outcome === "event" && utf8 ? body : undefined) : [],
    moreProblems: check?.omitted ?? 0,
    jsonError: entry.jsonError ? { message: entry.jsonError.message, line: entry.jsonError.line, column: entry.jsonError.column } : null,
    forwardAnswer: forward
      ? {
          url: forward.url,
          statusText: answer?.statusText ?? "",
          headers,
          body: answer ? answer.body.toString("utf8") : forward.bodyStart,
          bodyBytes: answer?.bodyBytes ?? forward.bodyStart.length,
          truncated: answer ? answer.truncated || answer.bodyBytes > answer.body.length : false,
          failure: forward.failure ?? null,
        }
      : null,
    recordError: entry.recordError ?? null,
    replays: entry.replays ?? [],
  };
}
