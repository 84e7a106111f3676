// Replay: one delivery of an event's bytes (or edited ones) through send's delivery code, judged
// by Website Toolbox's rules (only 2xx counts; a redirect is not followed).

import { createTemplate } from "../delivery/event-body.js";
import { runDeliveries, type AttemptReport } from "../delivery/run.js";
import type { ProxySettings } from "../http/transport.js";
import type { ReplayResult } from "./api-types.js";

export interface ReplaySettings {
  /** Per attempt, connect, headers and body; 0 = no limit. @default 30000 */
  timeoutMs?: number;
  /** Accept any certificate on an https target. @default false */
  insecure?: boolean;
  proxy?: ProxySettings | undefined;
  /** Stops a replay in flight (the inspector closing). */
  signal?: AbortSignal | undefined;
}

export interface ReplayRequest {
  to: URL;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  edited: boolean;
}

/** Sends once and reports how it went; never throws for network trouble. */
export async function replay(request: ReplayRequest, settings: ReplaySettings = {}): Promise<ReplayResult> {
  const time = new Date();
  let outcome: AttemptReport | undefined;
  const template = createTemplate(request.body);
  await runDeliveries({
    target: request.to,
    headers: request.headers,
    items: [{ source: "inspector", type: template.type, template, freshId: false, applied: [] }],
    retry: { maxAttempts: 1, intervalMs: 0 },
    timeoutMs: settings.timeoutMs ?? 30_000,
    insecure: settings.insecure ?? false,
    proxy: settings.proxy,
    signal: settings.signal,
    onAttempt: (report) => {
      outcome = report;
    },
  });
  return {
    time: time.toISOString(),
    to: request.to.href,
    edited: request.edited,
    status: outcome?.status ?? null,
    statusText: outcome?.statusText ?? null,
    delivered: outcome?.ok ?? false,
    ms: Math.round((outcome?.ms ?? 0) * 10) / 10,
    error: outcome ? (outcome.error ?? null) : "not sent (the inspector is stopping)",
    location: outcome?.location ?? null,
    answer: outcome ? outcome.body.toString("utf8") : "",
    answerBytes: outcome?.bodyBytes ?? 0,
  };
}
