// The page's side of the API: the token from the URL fragment on every call, and the event stream
// read with fetch (EventSource cannot send the Authorization header).

import type { EventDetail, EventSummary, InspectorInfo, ReplayResult, ValidateResult } from "../api-types.js";
import type { EventFilter } from "../filter.js";

/** The token, from `#token=…`: the fragment never reaches a server, a log or a Referer. */
export function tokenFromLocation(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, "")).get("token") ?? "";
}

export class ApiFailure extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function filterQuery(filter: EventFilter, extra: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filter, ...extra })) {
    if (value !== undefined && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return text === "" ? "" : `?${text}`;
}

export class Client {
  private readonly token: string;

  constructor(token: string) {
    this.token = token;
  }

  private async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${this.token}`);
    if (init.body !== undefined) headers.set("content-type", "application/json");
    const response = await fetch(path, { ...init, headers });
    if (!response.ok) {
      const text = await response.text();
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? message;
      } catch {
        // Plain text (401, 403): shown as it is.
      }
      throw new ApiFailure(response.status, message);
    }
    return (await response.json()) as T;
  }

  info(): Promise<InspectorInfo> {
    return this.call("/api/info");
  }

  events(
    filter: EventFilter,
    extra: { limit?: number; before?: number; after?: number } = {},
  ): Promise<{ events: EventSummary[]; more: boolean }> {
    return this.call(`/api/events${filterQuery(filter, extra)}`);
  }

  event(seq: number): Promise<EventDetail> {
    return this.call(`/api/events/${seq}`);
  }

  replay(seq: number, to: string | undefined, body?: string): Promise<ReplayResult> {
    return this.call(`/api/events/${seq}/replay`, { method: "POST", body: JSON.stringify({ to, body }) });
  }

  validate(body: string): Promise<ValidateResult> {
    return this.call("/api/validate", { method: "POST", body: JSON.stringify({ body }) });
  }

  saveFixture(seq: number, force: boolean): Promise<{ path: string }> {
    return this.call(`/api/events/${seq}/fixture`, { method: "POST", body: JSON.stringify({ force }) });
  }

  async exportNdjson(filter: EventFilter): Promise<Blob> {
    const response = await fetch(`/api/export${filterQuery(filter)}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!response.ok) throw new ApiFailure(response.status, (await response.text()).trim());
    return response.blob();
  }

  /**
   * Streams new events to `onEvent` until `signal` aborts, reconnecting after a break and catching
   * up from the last event seen. `onState` tells whether the stream is live.
   */
  async stream(
    after: number | undefined,
    onEvent: (event: EventSummary) => void,
    onState: (state: "live" | "reconnecting" | "unauthorized") => void,
    signal: AbortSignal,
  ): Promise<void> {
    let last = after;
    while (!signal.aborted) {
      try {
        const query = last === undefined ? "" : `?after=${last}`;
        const response = await fetch(`/api/stream${query}`, { headers: { authorization: `Bearer ${this.token}` }, signal });
        if (response.status === 401) return onState("unauthorized");
        if (!response.ok || !response.body) throw new Error(`status ${response.status}`);
        onState("live");
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let kind = "message";
            let data = "";
            for (const line of block.split("\n")) {
              if (line.startsWith("event: ")) kind = line.slice(7);
              else if (line.startsWith("data: ")) data += line.slice(6);
            }
            if (kind !== "event" || data === "") continue;
            const event = JSON.parse(data) as EventSummary;
            last = last === undefined ? event.seq : Math.max(last, event.seq);
            onEvent(event);
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      onState("reconnecting");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
