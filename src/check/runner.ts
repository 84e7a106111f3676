// Runs the chosen checks against a consumer: the `together` checks side by side, a few deliveries
// in flight, then each `alone` check on its own, then still-alive, then the judges. Results come
// out in run order as soon as they are known.

import { WtbhookError } from "../errors.js";
import { probeConnect } from "../http/probe.js";
import type { ProxySettings } from "../http/transport.js";
import { createDeliverer, RunStopped, type Deliverer } from "./deliverer.js";
import { createFixtureSource, type EventSource } from "./event-source.js";
import { createLanes, noLane, type Lane } from "./lanes.js";
import type { CommandSettings } from "./reproduce.js";
import type { CheckDefinition, CheckResult, CheckSettings } from "./types.js";
import { now } from "../clock.js";

export interface CheckRunOptions extends CheckSettings {
  target: URL;
  /** Request headers, as send builds them (Content-Type, User-Agent, -H, Authorization). */
  headers: Readonly<Record<string, string>>;
  /** What the reproduction commands repeat: the target as given, -H, --insecure. */
  command: CommandSettings;
  /** The checks to run, in run order (see CHECKS). */
  checks: readonly CheckDefinition[];
  /** @default false */
  insecure?: boolean;
  proxy?: ProxySettings | undefined;
  /** Ctrl+C: stops at once; the checks that finished are reported. */
  signal?: AbortSignal | undefined;
  /** Where the events come from. @default the catalogue's fixtures */
  source?: EventSource;
  /** Called with each check's result, in run order, as soon as it and those before it are done. */
  onResult?: (result: CheckResult) => void;
}

export interface CheckSummary {
  checks: number;
  passed: number;
  warnings: number;
  failed: number;
  deliveries: number;
  elapsedMs: number;
  /** Ctrl+C stopped the run: the checks it cut short are not in the report. */
  interrupted: boolean;
}

export interface CheckReport {
  /** The target (credentials left out). */
  target: string;
  checks: CheckResult[];
  summary: CheckSummary;
}

/** Deliveries in flight at once among the `together` checks. */
export const SIDE_BY_SIDE = 4;

function cannotRun(target: URL, problem: string, fault: string | undefined): WtbhookError {
  const hints: Record<string, string> = {
    silent: "Nothing accepted or refused the connection: check the host and port in --to (a firewall?).",
    tls: "Use --insecure for a self-signed certificate, or http:// for a server without TLS.",
    proxy: "Check HTTP_PROXY, HTTPS_PROXY and NO_PROXY.",
    dns: "Check the host name in --to.",
  };
  return new WtbhookError(`cannot check ${target.href}: ${problem}`, {
    code: "unreachable",
    hint: hints[fault ?? ""] ?? "Start your app first (or correct --to), then run wtbhook check again.",
  });
}

/** The fault a start-up probe's one line names (it says it in send's words). */
function probeFault(problem: string): string | undefined {
  if (problem.startsWith("cannot resolve")) return "dns";
  if (problem.startsWith("no answer to a connection attempt")) return "silent";
  return undefined;
}

/** Runs one check and sums it up; undefined when the run stopped before it was done. */
async function runCheck(check: CheckDefinition, deliverer: Deliverer, lane: Lane): Promise<CheckResult | undefined> {
  const started = now();
  const { ctx, own } = deliverer.contextFor(check, lane);
  let verdict;
  try {
    verdict = await check.run(ctx);
  } catch (error) {
    if (error instanceof RunStopped) return undefined;
    throw error;
  }
  const deliveries = verdict.deliveries ?? own;
  // A judge that names no delivery shows the slowest answer of all it judged.
  const timed = check.stage === "judge" && deliveries.length === 0 ? deliverer.history : deliveries;
  const answered = timed.filter((delivery) => delivery.status !== undefined);
  const commands = own.filter((delivery) => !delivery.ok && delivery.command !== undefined).map((delivery) => delivery.command!);
  return {
    id: check.id,
    status: verdict.status,
    reason: verdict.reason,
    reproduce: verdict.status === "pass" ? [] : (verdict.reproduce ?? [...new Set(commands)]),
    deliveries,
    slowestMs: answered.length > 0 ? Math.max(...answered.map((delivery) => delivery.ms)) : undefined,
    elapsedMs: now() - started,
  };
}

export async function runChecks(options: CheckRunOptions): Promise<CheckReport> {
  const { target, timeoutMs, checks } = options;
  const started = now();
  if (!options.proxy) {
    // Nothing listening is the usual case of "cannot run": say so in one line before any check.
    const problem = await probeConnect(target, timeoutMs > 0 ? Math.min(timeoutMs, 10_000) : 10_000);
    if (problem !== undefined) throw cannotRun(target, problem, probeFault(problem));
  }
  const deliverer = createDeliverer({
    target,
    headers: options.headers,
    command: options.command,
    source: options.source ?? createFixtureSource(),
    settings: { timeoutMs, slowMs: options.slowMs, burst: options.burst },
    connections: Math.max(options.burst, SIDE_BY_SIDE),
    insecure: options.insecure ?? false,
    proxy: options.proxy,
    signal: options.signal,
  });

  // Results are handed on in run order: each waits for those before it.
  const results: (CheckResult | undefined)[] = [];
  const finished: boolean[] = [];
  let emitted = 0;
  const run = async (index: number, lane: Lane): Promise<void> => {
    results[index] = deliverer.signal.aborted ? undefined : await runCheck(checks[index]!, deliverer, lane);
    finished[index] = true;
    while (emitted < checks.length && finished[emitted]) {
      const next = results[emitted++];
      if (next) options.onResult?.(next);
    }
  };
  const indexes = (stage: CheckDefinition["stage"]): number[] => checks.flatMap((check, index) => (check.stage === stage ? [index] : []));
  try {
    const together = createLanes(SIDE_BY_SIDE);
    await Promise.all(indexes("together").map((index) => run(index, together)));
    for (const stage of ["alone", "last", "judge"] as const) {
      for (const index of indexes(stage)) await run(index, noLane);
    }
  } finally {
    await deliverer.close();
  }

  const unreachable = deliverer.unreachable();
  if (unreachable) throw cannotRun(target, unreachable.error ?? "no connection", unreachable.fault);
  const reported = results.filter((result) => result !== undefined);
  const count = (status: CheckResult["status"]): number => reported.filter((result) => result.status === status).length;
  return {
    target: target.href,
    checks: reported,
    summary: {
      checks: reported.length,
      passed: count("pass"),
      warnings: count("warn"),
      failed: count("fail"),
      deliveries: deliverer.history.filter((delivery) => delivery.sent).length,
      elapsedMs: now() - started,
      interrupted: options.signal?.aborted === true,
    },
  };
}
