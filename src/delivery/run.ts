// Load mode and retries: runs every planned delivery (repeated, C at a time), each attempt
// reported as it ends, and sums the run up (by status, latency percentiles, rate).

import { createAttempter, type AttemptOutcome } from "../http/attempt.js";
import { createTransport, type ProxySettings } from "../http/transport.js";
import { createIdSource, renderBody } from "./event-body.js";
import type { PlanItem } from "./plan.js";
import { wait, type RetryPolicy } from "./retry.js";

/** How envelope ids are chosen for items that take a fresh id. */
export type IdMode = { kind: "fresh" } | { kind: "same" } | { kind: "fixed"; id: number };

export interface SendRunOptions {
  target: URL;
  /** Request headers, names as they go on the wire. */
  headers: Record<string, string>;
  items: readonly PlanItem[];
  /** Times the whole plan is sent. @default 1 */
  repeat?: number;
  /** Deliveries in flight at once. @default 1 */
  concurrency?: number;
  /** @default { kind: "fresh" } */
  ids?: IdMode;
  retry: RetryPolicy;
  /** Per attempt, headers and body; 0 = no limit. @default 30000 */
  timeoutMs?: number;
  insecure?: boolean;
  proxy?: ProxySettings | undefined;
  signal?: AbortSignal | undefined;
  /** Called as each attempt ends. */
  onAttempt?: (report: AttemptReport) => void;
  /** Called as each delivery ends (after its last attempt). */
  onDelivery?: (done: number, total: number) => void;
  /** Called before waiting to retry. */
  onRetryWait?: (report: AttemptReport, waitMs: number) => void;
}

export interface AttemptReport extends AttemptOutcome {
  /** 1-based number of the delivery in the run. */
  delivery: number;
  type: string | undefined;
  id: number | undefined;
  attempt: number;
  maxAttempts: number;
  /** When the attempt started. */
  time: Date;
  /** True when no further attempt follows. */
  final: boolean;
}

export interface SendSummary {
  deliveries: number;
  delivered: number;
  failed: number;
  /** Deliveries not started or cut short by Ctrl+C. */
  notFinished: number;
  attempts: number;
  /** Final outcome of each delivery: `200`, `503`, `timeout`, `refused`… with counts. */
  byOutcome: Record<string, number>;
  /** Milliseconds over every attempt. */
  latency: { p50: number; p95: number; p99: number; max: number };
  elapsedMs: number;
  perSecond: number;
  interrupted: boolean;
  proxied: boolean;
}

/** The value at quantile q (0..1) of sorted numbers, nearest-rank. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** How a delivery ended, for the summary: its status code, or the fault when there was no answer. */
function outcomeKey(outcome: AttemptOutcome): string {
  return outcome.fault ?? String(outcome.status ?? "other");
}

/** Sends every delivery and resolves with the summary; never throws for network failures. */
export async function runDeliveries(options: SendRunOptions): Promise<SendSummary> {
  const items = options.items;
  const repeat = Math.max(1, options.repeat ?? 1);
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const total = items.length * repeat;
  const idMode = options.ids ?? { kind: "fresh" };
  const nextId = createIdSource();
  // --id: that id for everything; --same-id: one fresh id per event, reused by all its repeats.
  const sharedIds = new Map<PlanItem, number>();
  const sharedIdOf = (item: PlanItem): number | undefined => {
    if (idMode.kind === "fixed") return idMode.id;
    if (idMode.kind !== "same") return undefined;
    let id = sharedIds.get(item);
    if (id === undefined) {
      id = nextId();
      sharedIds.set(item, id);
    }
    return id;
  };
  const transport = createTransport(options.target, {
    connections: Math.min(concurrency, total),
    insecure: options.insecure ?? false,
    proxy: options.proxy,
  });
  const signal = options.signal;
  const send = createAttempter(transport, options.target, { timeoutMs: options.timeoutMs ?? 30_000, signal });
  const headers = options.headers;
  const { maxAttempts, intervalMs } = options.retry;
  const latencies: number[] = [];
  const sharedBodies = new Map<PlanItem, Buffer>();
  const byOutcome: Record<string, number> = {};
  let delivered = 0;
  let failed = 0;
  let finished = 0;
  let attempts = 0;
  let next = 0;

  const deliverOne = async (index: number): Promise<void> => {
    const item = items[index % items.length]!;
    const template = item.template;
    let id: number | undefined;
    let body: Buffer;
    const sharedId = sharedIdOf(item);
    if (sharedId !== undefined && (item.freshId || idMode.kind === "fixed") && template.idSpan) {
      id = sharedId;
      // One id for all: render each item's bytes once and reuse them.
      body = sharedBodies.get(item) ?? renderBody(template, id);
      sharedBodies.set(item, body);
    } else if (item.freshId && template.idSpan) {
      id = nextId();
      body = renderBody(template, id);
    } else {
      id = template.id;
      body = template.bytes;
    }
    for (let attempt = 1; ; attempt++) {
      const time = new Date();
      const outcome = await send(headers, body);
      attempts++;
      latencies.push(outcome.ms);
      const interrupted = outcome.fault === "interrupted";
      const final = outcome.ok || attempt >= maxAttempts || interrupted || signal?.aborted === true;
      const report = outcome as AttemptReport;
      report.delivery = index + 1;
      report.type = item.type;
      report.id = id;
      report.attempt = attempt;
      report.maxAttempts = maxAttempts;
      report.time = time;
      report.final = final;
      options.onAttempt?.(report);
      if (final) {
        if (interrupted) return;
        const key = outcomeKey(outcome);
        byOutcome[key] = (byOutcome[key] ?? 0) + 1;
        if (outcome.ok) delivered++;
        else failed++;
        finished++;
        options.onDelivery?.(finished, total);
        return;
      }
      options.onRetryWait?.(report, intervalMs);
      if (!(await wait(intervalMs, signal))) return;
    }
  };

  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total && !signal?.aborted) {
      await deliverOne(next++);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  } finally {
    await transport.close();
  }
  const elapsedMs = performance.now() - started;
  const all = Float64Array.from(latencies).sort();
  return {
    deliveries: total,
    delivered,
    failed,
    notFinished: total - finished,
    attempts,
    byOutcome,
    latency: {
      p50: percentile(all, 0.5),
      p95: percentile(all, 0.95),
      p99: percentile(all, 0.99),
      max: all.length ? all[all.length - 1]! : 0,
    },
    elapsedMs,
    perSecond: elapsedMs > 0 ? (finished / elapsedMs) * 1000 : 0,
    interrupted: signal?.aborted === true,
    proxied: transport.proxied,
  };
}
