// `listen --json`: one JSON object per line on stdout, for scripts and `jq`.

import { isAscii } from "node:buffer";

import { isoTime } from "../iso-time.js";
import { headersJson, recordHeaders } from "../record/record.js";
import type { ReceivedEvent } from "../receiver/types.js";
import { escapeUnsafeInJson } from "../terminal/safe-text.js";

/** The first line: scripts wait for it before sending. `inspector` is the inspector's URL, token included. */
export function formatReadyJson(url: string, localUrl: string, inspector?: string): string {
  return `${JSON.stringify({ kind: "ready", url, localUrl, ...(inspector === undefined ? {} : { inspector }) })}\n`;
}

/**
 * The raw JSON body on one line. Raw CR/LF can only be whitespace between tokens in valid JSON,
 * so dropping them keeps the exact values (big numbers, key order, escapes) without re-serialising.
 */
function oneLineJson(decoded: string): string {
  const text = decoded.trim();
  const noLf = text.includes("\n") ? text.replaceAll("\n", "") : text;
  return noLf.includes("\r") ? noLf.replaceAll("\r", "") : noLf;
}

/**
 * Whether the body can hold none of the unsafe characters beyond C0: ASCII without DEL. Checked on the bytes
 * (native and fast) so that the usual body needs no scan of its text.
 */
function plainAsciiBody(event: ReceivedEvent): boolean {
  return isAscii(event.body) && !event.body.includes(0x7f);
}

/**
 * Characters JSON allows raw inside strings that a terminal would obey or that hide or reorder
 * what is shown can only occur inside strings, where a \\uXXXX escape stands for the same value.
 */
function terminalSafeJson(line: string): string {
  return escapeUnsafeInJson(line);
}

/**
 * One event as one NDJSON line (terminal-safe: payloads cannot drive a terminal through it): kind
 * "event" for JSON bodies (`valid` is false when a problem is an error; `severity` is the worst
 * problem's, null when there is none; `errors` holds at most 20 problems, errors first, each with
 * its `severity`, and `moreErrors` counts the others), kind "rejected" for bodies that were not JSON (400),
 * too large (413) or refused unread while busy (503). `status` is what the sender got: null when
 * it got no answer (it hung up first).
 */
export function formatEventJson(event: ReceivedEvent): string {
  const forward = event.forward
    ? `,"forward":${JSON.stringify({
        url: event.forward.url,
        status: event.forward.status ?? null,
        ms: Math.round(event.forward.ms * 10) / 10,
        bodyStart: event.forward.bodyStart,
        error: event.forward.failure ?? null,
      })}`
    : "";
  const common = {
    seq: event.seq,
    time: isoTime(event.time),
    method: event.method,
    path: event.path,
  };
  if (event.outcome !== "event") {
    const head = JSON.stringify({
      kind: "rejected",
      reason: event.outcome,
      ...common,
      status: event.answer.status ?? null,
      ms: Math.round(event.answer.ms * 10) / 10,
      error: event.jsonError ?? null,
      ...(event.recordError !== undefined ? { recordError: event.recordError } : {}),
      headers: recordHeaders(event.headers),
      body: event.text ?? event.body.toString("utf8"),
    });
    return `${terminalSafeJson(head)}\n`;
  }
  // Concatenated by hand (same keys as the rejected form above): this runs for every event.
  const valid = event.check ? String(event.check.valid) : "null";
  const severity = event.check?.severity === undefined ? "null" : `"${event.check.severity}"`;
  const errors = event.check && event.check.problems.length > 0 ? JSON.stringify(event.check.problems) : "[]";
  const moreErrors = event.check ? event.check.omitted : 0;
  const head =
    `{"kind":"event","seq":${event.seq},"time":"${isoTime(event.time)}","method":${JSON.stringify(event.method)}` +
    `,"path":${JSON.stringify(event.path)},"type":${event.type === undefined ? "null" : JSON.stringify(event.type)}` +
    `,"id":${event.id ?? "null"},"knownType":${event.knownType},"valid":${valid},"severity":${severity},"errors":${errors},"moreErrors":${moreErrors}` +
    `,"delivery":${event.delivery},"redelivery":${event.delivery > 1},"status":${event.answer.status ?? "null"}` +
    `,"ms":${Math.round(event.answer.ms * 10) / 10}` +
    `${event.recordError !== undefined ? `,"recordError":${JSON.stringify(event.recordError)}` : ""}` +
    `,"headers":${headersJson(event.headers)}${forward},"body":`;
  // The text is the body decoded, so an ASCII body needs no scan; the head always gets one.
  const body = oneLineJson(event.text ?? event.body.toString("utf8"));
  return `${terminalSafeJson(head)}${plainAsciiBody(event) ? body : terminalSafeJson(body)}}\n`;
}
