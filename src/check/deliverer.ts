// Sends the checks' events to the consumer and records how each went: one transport for the run
// (send's HTTP code: no redirects followed, one timeout per attempt), a connection of its own for
// a retry, each delivery's reproduction command, and the stop when nothing can be reached.

import { createBodyFor } from "../delivery/bodies.js";
import { createIdSource } from "../delivery/event-body.js";
import { formatDuration } from "../duration.js";
import { createAttempter, type AttemptOutcome } from "../http/attempt.js";
import { createTransport, type ProxySettings } from "../http/transport.js";
import type { EventSource } from "./event-source.js";
import type { Lane } from "./lanes.js";
import { fitsCommandLine, sendCommand, writeBodyFile, type CommandSettings } from "./reproduce.js";
import type { CheckContext, CheckDefinition, CheckSettings, Delivery, DeliveryRequest } from "./types.js";

export interface DelivererOptions {
  target: URL;
  /** Request headers, as send builds them. */
  headers: Readonly<Record<string, string>>;
  command: CommandSettings;
  source: EventSource;
  settings: CheckSettings;
  /** Connections kept open to the target: as many as deliveries may be in flight. */
  connections: number;
  insecure: boolean;
  proxy: ProxySettings | undefined;
  /** Ctrl+C. */
  signal: AbortSignal | undefined;
}

/** Thrown inside a check when the run stopped (Ctrl+C, or nothing to reach): the check is not reported. */
export class RunStopped extends Error {}

/** Faults that mean nothing could be reached, as opposed to a consumer that answered badly. */
const UNREACHABLE = new Set(["refused", "dns", "tls", "proxy"]);

/** The start of the answer kept for the reasons. */
const ANSWER_BYTES = 256;

export interface Deliverer {
  /** Every delivery of the run so far, in the order they ended. */
  readonly history: readonly Delivery[];
  /** Aborted by Ctrl+C, or once nothing could be reached. */
  readonly signal: AbortSignal;
  /** The first outcome that showed nothing can be reached (refused before anything answered). */
  unreachable(): AttemptOutcome | undefined;
  /** A check's context; its deliveries go through `lane` and are collected in `own`. */
  contextFor(check: CheckDefinition, lane: Lane): { ctx: CheckContext; own: Delivery[] };
  close(): Promise<void>;
}

export function createDeliverer(options: DelivererOptions): Deliverer {
  const { target, source, settings } = options;
  const timeoutMs = settings.timeoutMs;
  const transportOptions = { insecure: options.insecure, proxy: options.proxy, connectTimeoutMs: timeoutMs };
  const transport = createTransport(target, { ...transportOptions, connections: options.connections });
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const attemptOptions = { timeoutMs, signal, keepBytes: ANSWER_BYTES };
  const send = createAttempter(transport, target, attemptOptions);
  const nextId = createIdSource();
  const history: Delivery[] = [];
  let anyAnswer = false;
  let unreachable: AttemptOutcome | undefined;

  /** A transport of its own, closed after: a new connection, as a retry an hour later would use. */
  const sendAlone = async (body: Buffer): Promise<AttemptOutcome> => {
    const own = createTransport(target, { ...transportOptions, connections: 1 });
    try {
      return await createAttempter(own, target, attemptOptions)(options.headers, body);
    } finally {
      await own.close();
    }
  };

  /** The send command for one delivery; a body too big for a command line goes to a file (only when it failed). */
  const commandFor = (check: string, request: DeliveryRequest, body: Buffer, ok: boolean, timedOut: boolean): string | undefined => {
    const flags = [...(request.invalid ? ["--no-validate"] : []), ...(timedOut ? ["--timeout", formatDuration(timeoutMs)] : [])];
    const args = [...source.sendArgs(request.spec), ...(request.id === undefined ? [] : ["--id", String(request.id)]), ...flags];
    if (fitsCommandLine(args)) return sendCommand(args, options.command);
    // The file holds the id that was sent.
    const file = ok ? undefined : writeBodyFile(check, body);
    // The file holds the whole event: no fixture folder (send refuses --fixtures with --data).
    return file === undefined ? undefined : sendCommand(["--data", file, ...flags], { ...options.command, fixtures: undefined });
  };

  const contextFor = (check: CheckDefinition, lane: Lane): { ctx: CheckContext; own: Delivery[] } => {
    const own: Delivery[] = [];
    // After a delivery of this check got no answer in time, the rest of it is not sent.
    let timedOut = false;
    const deliver = async (request: DeliveryRequest): Promise<Delivery> => {
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
      const outcome = await lane(() => (request.newConnection ? sendAlone(body) : send(options.headers, body)));
      if (outcome.fault === "interrupted" || signal.aborted) throw new RunStopped();
      if (outcome.status !== undefined) anyAnswer = true;
      else if (!anyAnswer && outcome.fault !== undefined && UNREACHABLE.has(outcome.fault)) {
        // Refused (or unresolved, or refused at TLS) before anything answered: nothing can be checked.
        unreachable ??= outcome;
        stop.abort();
        throw new RunStopped();
      }
      const timeout = outcome.fault === "timeout";
      timedOut ||= timeout;
      const { status, statusText, ok, ms, error, fault, location } = outcome;
      const delivery: Delivery = {
        ...base,
        sent: true,
        status,
        statusText,
        ok,
        ms,
        error,
        fault,
        location,
        answer: outcome.body.toString("utf8"),
        command: commandFor(check.id, request, body, ok, timeout),
      };
      own.push(delivery);
      history.push(delivery);
      return delivery;
    };
    const ctx: CheckContext = {
      source,
      settings,
      deliver,
      freshId: nextId,
      command: (args) => sendCommand(args, options.command),
      history: () => history.slice(),
    };
    return { ctx, own };
  };

  return { history, signal, unreachable: () => unreachable, contextFor, close: () => transport.close() };
}
