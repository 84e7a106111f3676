// Test helpers for the listen receiver: an event collector to await, and raw-socket HTTP for broken senders.
import { connect, type Socket } from "node:net";

import { startReceiver, type Receiver, type ReceiverOptions } from "../../src/receiver/receiver.js";
import type { ReceivedEvent, StrayRequest } from "../../src/receiver/types.js";

/** Collects what the receiver emits; `next(n)` resolves once n events have arrived in total. */
export function eventCollector(): {
  events: ReceivedEvent[];
  strays: StrayRequest[];
  clientErrors: string[];
  onEvent: (event: ReceivedEvent) => void;
  onStray: (request: StrayRequest) => void;
  onClientError: (code: string) => void;
  next: (count: number) => Promise<ReceivedEvent[]>;
  nextClientError: () => Promise<string>;
} {
  const events: ReceivedEvent[] = [];
  const strays: StrayRequest[] = [];
  const clientErrors: string[] = [];
  let waiters: { count: number; resolve: (events: ReceivedEvent[]) => void }[] = [];
  const errorWaiters: ((code: string) => void)[] = [];
  return {
    events,
    strays,
    clientErrors,
    onEvent(event) {
      events.push(event);
      waiters = waiters.filter((w) => (events.length >= w.count ? (w.resolve(events), false) : true));
    },
    onStray(request) {
      strays.push(request);
    },
    onClientError(code) {
      clientErrors.push(code);
      for (const resolve of errorWaiters.splice(0)) resolve(code);
    },
    next(count) {
      if (events.length >= count) return Promise.resolve(events);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    nextClientError() {
      return new Promise((resolve) => errorWaiters.push(resolve));
    },
  };
}

/** Opens a raw TCP connection to the receiver. */
export function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" }, () => resolve(socket));
    socket.on("error", reject);
  });
}

/** Writes raw bytes and resolves with everything the server sent until it closed the connection. */
export async function rawExchange(port: number, bytes: string | Buffer): Promise<string> {
  const socket = await rawSocket(port);
  return new Promise((resolve) => {
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", () => resolve(answer));
    socket.on("close", () => resolve(answer));
    socket.write(bytes);
  });
}

/** Starts a receiver on a free port that reports to a new event collector; `cleanup` gets its close(). */
export async function startCollecting(
  options: ReceiverOptions,
  cleanup: (() => Promise<void> | void)[],
): Promise<{ receiver: Receiver; events: ReturnType<typeof eventCollector> }> {
  const events = eventCollector();
  const started = await startReceiver({ port: 0, ...events, ...options });
  cleanup.push(() => started.close());
  return { receiver: started, events };
}
