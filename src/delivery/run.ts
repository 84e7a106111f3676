// Load mode and retries: runs every planned delivery (repeated, C at a time), each attempt
// reported as it ends, and sums the run up (by status, latency percentiles, rate). First attempts
// go out in plan order; a failed delivery's retry is scheduled on its own clock and goes out when
// due, as Website Toolbox does, without holding back the events after it.

import { createAttempter, type AttemptOutcome } from "../http/attempt.js";
import { createTransport, type ProxySettings } from "../http/transport.js";
import { createBodyFor, type IdMode } from "./bodies.js";
import type { PlanItem } from "./plan.js";
import type { RetryPolicy } from "./retry.js";
import { now } from "../clock.js";

export interface SendRunOptions {
  target: URL;
  /** Request headers, names as they go on the wire; an item's own `headers` replace them. */
  headers: Readonly<Record<string, string>>;
  items: readonly PlanItem[];
  /** Times the whole plan is sent. @default 1 */
  repeat?: number;
  /** Attempts in flight at once. @default 1 */
  concurrency?: number;
  /** @default { kind: "fresh" } */
  ids?: IdMode;
  retry: RetryPolicy;
  /** Per attempt, connect, headers and body; 0 = no limit. @default 30000 */
  timeoutMs?: number;
  insecure?: boolean;
  proxy?: ProxySettings | undefined;
  signal?: AbortSignal | undefined;
  /** Called as each attempt ends. */
  onAttempt?: (report: AttemptReport) => void;
  /** Called as each delivery ends (after its last attempt). */
  onDelivery?: (done: number, total: number) => void;
  /** Called when a retry is scheduled, with the wait before it. */
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
  /** Deliveries not started, or cut short by Ctrl+C (in an attempt, or waiting to retry). */
  notFinished: number;
  attempts: number;
  /**
   * The last outcome of each delivery that was attempted: `200`, `503`, `timeout`, `refused`…
   * with counts; `interrupted` for one cut short in the middle of an attempt.
   */
  byOutcome: Record<string, number>;
  /** Milliseconds over every attempt. */
  latency: { p50: number; p95: number; p99: number; max: number };
  elapsedMs: number;
  /** Deliveries finished per second. */
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

/** One delivery on its way: what it sends, and which attempt comes next. */
interface Delivery {
  /** 0-based. */
  index: number;
  item: PlanItem;
  id: number | undefined;
  body: Buffer;
  headers: Readonly<Record<string, string>>;
  attempt: number;
  /** How the last attempt ended, for the summary if the run stops before the next one. */
  last: string | undefined;
}

/** Sends every delivery and resolves with the summary; never throws for network failures. */
export async function runDeliveries(options: SendRunOptions): Promise<SendSummary> {
  const items = options.items;
  const repeat = Math.max(1, options.repeat ?? 1);
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const total = items.length * repeat;
  const bodyFor = createBodyFor(options.ids ?? { kind: "fresh" });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const transport = createTransport(options.target, {
    connections: Math.min(concurrency, total),
    insecure: options.insecure ?? false,
    proxy: options.proxy,
    connectTimeoutMs: timeoutMs,
  });
  const signal = options.signal;
  const send = createAttempter(transport, options.target, { timeoutMs, signal });
  const { maxAttempts, intervalMs } = options.retry;
  const latencies: number[] = [];
  const byOutcome: Record<string, number> = {};
  const count = (key: string): void => {
    byOutcome[key] = (byOutcome[key] ?? 0) + 1;
  };
  let delivered = 0;
  let failed = 0;
  let finished = 0;
  let attempts = 0;
  let next = 0;

  /** Retries whose time has come, oldest first; they go before new deliveries. */
  const due: Delivery[] = [];
  /** Retries still waiting for their time. */
  const scheduled = new Map<Delivery, NodeJS.Timeout>();
  /** Workers with nothing to do until a retry is due (or Ctrl+C). */
  let idle: (() => void)[] = [];
  const wakeAll = (): void => {
    const waking = idle;
    idle = [];
    for (const wake of waking) wake();
  };

  const firstAttempt = (index: number): Delivery => {
    const item = items[index % items.length]!;
    const { id, body } = bodyFor(item);
    return { index, item, id, body, headers: item.headers ?? options.headers, attempt: 1, last: undefined };
  };

  const attemptOnce = async (delivery: Delivery): Promise<void> => {
    const time = new Date();
    const outcome = await send(delivery.headers, delivery.body);
    attempts++;
    latencies.push(outcome.ms);
    const interrupted = outcome.fault === "interrupted";
    const stopped = signal?.aborted === true;
    const final = outcome.ok || delivery.attempt >= maxAttempts || interrupted || stopped;
    const report = outcome as AttemptReport;
    report.delivery = delivery.index + 1;
    report.type = delivery.item.type;
    report.id = delivery.id;
    report.attempt = delivery.attempt;
    report.maxAttempts = maxAttempts;
    report.time = time;
    report.final = final;
    options.onAttempt?.(report);
    delivery.last = outcomeKey(outcome);
    if (!final) {
      delivery.attempt++;
      const timer = setTimeout(() => {
        scheduled.delete(delivery);
        due.push(delivery);
        wakeAll();
      }, intervalMs);
      scheduled.set(delivery, timer);
      // Told after scheduling: a Ctrl+C that comes while this is reported finds the retry to cancel.
      options.onRetryWait?.(report, intervalMs);
      return;
    }
    count(delivery.last);
    // Ctrl+C: a delivery cut mid-attempt, or one that had attempts left, did not finish.
    if (interrupted || (stopped && !outcome.ok && delivery.attempt < maxAttempts)) return;
    if (outcome.ok) delivered++;
    else failed++;
    finished++;
    options.onDelivery?.(finished, total);
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted) return;
      const delivery = due.shift() ?? (next < total ? firstAttempt(next++) : undefined);
      if (delivery !== undefined) {
        await attemptOnce(delivery);
        continue;
      }
      // Nothing to send now: done, unless a retry is still to come.
      if (scheduled.size === 0) return;
      await new Promise<void>((resolve) => idle.push(resolve));
    }
  };

  const onAbort = (): void => {
    // Retries still waiting (or due, not yet started) end here, with their last outcome counted.
    for (const [delivery, timer] of scheduled) {
      clearTimeout(timer);
      count(delivery.last ?? "interrupted");
    }
    scheduled.clear();
    for (const delivery of due.splice(0)) count(delivery.last ?? "interrupted");
    wakeAll();
  };
  signal?.addEventListener("abort", onAbort, { once: true });

  const started = now();
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await transport.close();
  }
  const elapsedMs = now() - started;
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
