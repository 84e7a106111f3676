// Runs the chosen checks against a consumer through send's HTTP code (one transport, no redirects
// followed, one timeout per attempt): the `together` checks side by side, a few deliveries in
// flight, then each `alone` check on its own, then still-alive, then the judges. Results come out
// in run order as soon as they are known.

import { createBodyFor } from "../delivery/bodies.js";
import { formatDuration } from "../duration.js";
import { WtbhookError } from "../errors.js";
import { createAttempter, type AttemptOutcome } from "../http/attempt.js";
import { probeConnect } from "../http/probe.js";
import { createIdSource } from "../delivery/event-body.js";
import { createTransport, type ProxySettings, type Transport } from "../http/transport.js";
import { createFixtureSource, type EventSource } from "./event-source.js";
import { fitsCommandLine, sendCommand, writeBodyFile, type CommandSettings } from "./reproduce.js";
import type { CheckContext, CheckDefinition, CheckResult, CheckSettings, Delivery, DeliveryRequest } from "./types.js";

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

/** Faults that mean nothing could be reached, as opposed to a consumer that answered badly. */
const UNREACHABLE = new Set(["refused", "dns", "tls", "proxy"]);

/** Thrown inside a check when Ctrl+C stopped the run. */
class RunStopped extends Error {}

/** Runs tasks at most `size` at a time, the rest in the order they came. */
function createLanes(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running < size) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiting task.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

function cannotRun(target: URL, problem: string, hint: string): WtbhookError {
  return new WtbhookError(`cannot check ${target.href}: ${problem}`, { code: "unreachable", hint });
}

/** The fault a start-up probe's one line names (it says it in send's words). */
function probeFault(problem: string): string | undefined {
  if (problem.startsWith("cannot resolve")) return "dns";
  if (problem.startsWith("no answer to a connection attempt")) return "silent";
  return undefined;
}

function hintFor(fault: string | undefined): string {
  if (fault === "silent") return "Nothing accepted or refused the connection: check the host and port in --to (a firewall?).";
  if (fault === "tls") return "Use --insecure for a self-signed certificate, or http:// for a server without TLS.";
  if (fault === "proxy") return "Check HTTP_PROXY, HTTPS_PROXY and NO_PROXY.";
  if (fault === "dns") return "Check the host name in --to.";
  return "Start your app first (or correct --to), then run wtbhook check again.";
}

export async function runChecks(options: CheckRunOptions): Promise<CheckReport> {
  const { target, timeoutMs } = options;
  const source = options.source ?? createFixtureSource();
  const settings: CheckSettings = { timeoutMs, slowMs: options.slowMs, burst: options.burst };
  const started = performance.now();
  if (!options.proxy) {
    // Nothing listening is the usual case of "cannot run": say so in one line before any check.
    const problem = await probeConnect(target, timeoutMs > 0 ? Math.min(timeoutMs, 10_000) : 10_000);
    if (problem !== undefined) throw cannotRun(target, problem, hintFor(probeFault(problem)));
  }
  const transportOptions = { insecure: options.insecure ?? false, proxy: options.proxy, connectTimeoutMs: timeoutMs };
  const transport = createTransport(target, { ...transportOptions, connections: Math.max(options.burst, SIDE_BY_SIDE) });
  // Stopped by Ctrl+C, or by the first delivery finding nothing to reach.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const attemptOptions = { timeoutMs, signal, keepBytes: 256 };
  const send = createAttempter(transport, target, attemptOptions);
  const nextId = createIdSource();
  const history: Delivery[] = [];
  const interrupted = (): boolean => options.signal?.aborted === true;
  let anyAnswer = false;
  let unreachable: AttemptOutcome | undefined;

  /** Sends on a transport of its own, closed after: a new connection, as a later retry would use. */
  const sendAlone = async (headers: Readonly<Record<string, string>>, body: Buffer): Promise<AttemptOutcome> => {
    const own: Transport = createTransport(target, { ...transportOptions, connections: 1 });
    try {
      return await createAttempter(own, target, attemptOptions)(headers, body);
    } finally {
      await own.close();
    }
  };

  /** The send command for one delivery: its own event and id; a body too big for a command line goes to a file. */
  const commandFor = (check: string, request: DeliveryRequest, body: Buffer, ok: boolean, timedOut: boolean): string | undefined => {
    const flags = [...(request.invalid ? ["--no-validate"] : []), ...(timedOut ? ["--timeout", formatDuration(timeoutMs)] : [])];
    const args = [...source.sendArgs(request.spec), ...(request.id === undefined ? [] : ["--id", String(request.id)]), ...flags];
    if (fitsCommandLine(args)) return sendCommand(args, options.command);
    // Only a delivery that failed is worth a file; it holds the id that was sent.
    const file = ok ? undefined : writeBodyFile(check, body);
    return file === undefined ? undefined : sendCommand(["--data", file, ...flags], options.command);
  };

  const runCheck = async (check: CheckDefinition, lane: <T>(task: () => Promise<T>) => Promise<T>): Promise<CheckResult | undefined> => {
    const checkStarted = performance.now();
    const own: Delivery[] = [];
    let timedOut = false;
    const ctx: CheckContext = {
      source,
      settings,
      freshId: nextId,
      command: (args) => sendCommand(args, options.command),
      history: () => history.slice(),
      deliver: async (request) => {
        if (signal.aborted) throw new RunStopped();
        const item = await source.plan(request.spec);
        const { id, body } = createBodyFor({ kind: "fixed", id: request.id ?? nextId() })(item);
        const base = { check: check.id, label: request.label, type: item.template.type, id };
        if (timedOut) {
          const skipped: Delivery = {
            ...base,
            sent: false,
            status: undefined,
            statusText: undefined,
            ok: false,
            ms: 0,
            error: "not sent: an earlier delivery of this check got no answer in time",
            fault: undefined,
            location: undefined,
            answer: "",
            command: commandFor(check.id, request, body, false, false),
          };
          own.push(skipped);
          return skipped;
        }
        const headers = options.headers;
        const outcome = await lane(() => (request.newConnection ? sendAlone(headers, body) : send(headers, body)));
        if (outcome.fault === "interrupted" || signal.aborted) throw new RunStopped();
        if (outcome.status !== undefined) anyAnswer = true;
        else if (!anyAnswer && outcome.fault !== undefined && UNREACHABLE.has(outcome.fault)) {
          // Refused (or unresolved, or refused at TLS) before anything answered: nothing can be checked.
          unreachable ??= outcome;
          stop.abort();
          throw new RunStopped();
        }
        const delivery: Delivery = {
          ...base,
          sent: true,
          status: outcome.status,
          statusText: outcome.statusText,
          ok: outcome.ok,
          ms: outcome.ms,
          error: outcome.error,
          fault: outcome.fault,
          location: outcome.location,
          answer: outcome.body.toString("utf8"),
          command: commandFor(check.id, request, body, outcome.ok, outcome.fault === "timeout"),
        };
        if (outcome.fault === "timeout") timedOut = true;
        own.push(delivery);
        history.push(delivery);
        return delivery;
      },
    };
    let verdict;
    try {
      verdict = await check.run(ctx);
    } catch (error) {
      if (error instanceof RunStopped) return undefined;
      throw error;
    }
    const deliveries = verdict.deliveries ?? own;
    // A judge that names no delivery shows the slowest answer of all it judged.
    const timed = check.stage === "judge" && deliveries.length === 0 ? history : deliveries;
    const answered = timed.filter((delivery) => delivery.status !== undefined);
    const failedCommands = own.filter((delivery) => !delivery.ok && delivery.command !== undefined).map((delivery) => delivery.command!);
    return {
      id: check.id,
      status: verdict.status,
      reason: verdict.reason,
      reproduce: verdict.status === "pass" ? [] : (verdict.reproduce ?? [...new Set(failedCommands)]),
      deliveries,
      slowestMs: answered.length > 0 ? Math.max(...answered.map((delivery) => delivery.ms)) : undefined,
      elapsedMs: performance.now() - checkStarted,
    };
  };

  // Results are handed on in run order: each waits for those before it.
  const results: (CheckResult | undefined)[] = [];
  const finished: boolean[] = [];
  let emitted = 0;
  const checks = options.checks;
  const settle = (index: number, result: CheckResult | undefined): void => {
    results[index] = result;
    finished[index] = true;
    while (emitted < checks.length && finished[emitted]) {
      const next = results[emitted++];
      if (next) options.onResult?.(next);
    }
  };
  const run = async (index: number, lane: <T>(task: () => Promise<T>) => Promise<T>): Promise<void> => {
    settle(index, signal.aborted ? undefined : await runCheck(checks[index]!, lane));
  };
  const indexes = (stage: CheckDefinition["stage"]): number[] => checks.flatMap((check, index) => (check.stage === stage ? [index] : []));
  const direct = <T>(task: () => Promise<T>): Promise<T> => task();

  try {
    const together = createLanes(SIDE_BY_SIDE);
    await Promise.all(indexes("together").map((index) => run(index, together)));
    for (const stage of ["alone", "last", "judge"] as const) {
      for (const index of indexes(stage)) await run(index, direct);
    }
  } finally {
    await transport.close();
  }

  if (unreachable) throw cannotRun(target, unreachable.error ?? "no connection", hintFor(unreachable.fault));
  const sent = history.filter((delivery) => delivery.sent);
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
      deliveries: sent.length,
      elapsedMs: performance.now() - started,
      interrupted: interrupted(),
    },
  };
}
