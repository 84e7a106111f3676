// Small words and classes the page shows for an event: time, family colour, answer, schema verdict.

import type { EventSummary } from "../api-types.js";

/** Local time of day, to the second; the full time is in the tooltip. */
export function clock(iso: string | null): string {
  if (iso === null) return "—";
  const time = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}

/** The CSS class of an event type's family (user, topic, post, conversation/message), as listen colours them. */
export function familyClass(type: string | null): string {
  const family = type?.split(".")[0];
  return family === "user" || family === "topic" || family === "post" || family === "conversation" || family === "message"
    ? `fam-${family}`
    : "fam-other";
}

/** Local date and time to the millisecond, as a developer reads logs: 2026-12-02 06:21:26.218. */
export function dateTime(iso: string): string {
  const time = new Date(iso);
  const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${clock(iso)}.${pad(time.getMilliseconds(), 3)}`;
}

export function ms(value: number): string {
  return value >= 1000
    ? `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)}s`
    : value >= 10
      ? `${Math.round(value)}ms`
      : `${value.toFixed(1)}ms`;
}

export function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 / 1024).toFixed(1)} MiB`;
}

/** `ok` for 2xx, `redirect` for 3xx, `fail` for the rest and for no answer. */
export function statusClass(status: number | null): string {
  if (status === null) return "st-fail";
  if (status >= 200 && status < 300) return "st-ok";
  if (status >= 300 && status < 400) return "st-redirect";
  return "st-fail";
}

/** The schema verdict as a mark, a class and words for the tooltip. */
export function verdict(event: Pick<EventSummary, "valid" | "severity" | "problems" | "problem" | "kind" | "knownType" | "type">): {
  mark: string;
  cls: string;
  title: string;
} {
  if (event.kind === "rejected") return { mark: "–", cls: "v-none", title: "not an event" };
  if (event.valid === null) {
    return event.type !== null && !event.knownType
      ? { mark: "?", cls: "v-unknown", title: "unknown type: no schema to check it against" }
      : { mark: "?", cls: "v-unknown", title: "not checked" };
  }
  if (!event.valid)
    return { mark: "✗", cls: "v-error", title: `${event.problems} problem${event.problems === 1 ? "" : "s"}: ${event.problem ?? ""}` };
  if (event.severity === "warning")
    return { mark: "⚠", cls: "v-warning", title: `${event.problems} warning${event.problems === 1 ? "" : "s"}: ${event.problem ?? ""}` };
  return { mark: "✓", cls: "v-ok", title: "valid" };
}

/** What a rejected request was. */
export function rejectedLabel(reason: EventSummary["reason"]): string {
  return reason === "not-json" ? "not JSON" : reason === "too-large" ? "too large" : reason === "busy" ? "refused (busy)" : "rejected";
}
