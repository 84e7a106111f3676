// `send --json`: one JSON object per attempt (and per dry-run request) for stdout.

import { escapeUnsafeInJson } from "../terminal/safe-text.js";

export interface AttemptJsonView {
  type: string | undefined;
  id: number | undefined;
  attempt: number;
  status: number | undefined;
  ok: boolean;
  ms: number;
  error: string | undefined;
  location: string | undefined;
}

/** `{"type","id","attempt","status","ok","ms","error"}` plus `location` for a 3xx; one line. */
export function formatAttemptJson(view: AttemptJsonView): string {
  const record: Record<string, unknown> = {
    type: view.type ?? null,
    id: view.id ?? null,
    attempt: view.attempt,
    status: view.status ?? null,
    ok: view.ok,
    ms: Math.round(view.ms * 10) / 10,
    error: view.error ?? null,
  };
  if (view.location !== undefined) record["location"] = view.location;
  // JSON.stringify escapes C0 controls; the other characters a terminal obeys or hides are escaped too.
  return `${escapeUnsafeInJson(JSON.stringify(record))}\n`;
}

/** A dry-run request as one JSON line; the body as text (it is the event's exact UTF-8). */
export function formatRequestJson(request: { method: string; url: URL; headers: Record<string, string>; body: Buffer }): string {
  const line = JSON.stringify({
    method: request.method,
    url: request.url.href,
    headers: { Host: request.url.host, ...request.headers, "Content-Length": String(request.body.length) },
    body: request.body.toString("utf8"),
  });
  return `${escapeUnsafeInJson(line)}\n`;
}
