// `GET /api/stream`: Server-Sent Events, one `event` message per new request. The history is only
// listened to while a page is connected, and each burst goes out in one write per client.

import type { ServerResponse } from "node:http";

import { ensureFacts } from "./bodies.js";
import type { History, HistoryEntry } from "./history.js";
import { summaryOf, type FactsOf } from "./views.js";

/** A client that stopped reading and has this much waiting is dropped (it reconnects and catches up with Last-Event-ID). */
const MAX_BUFFERED = 8 * 1024 * 1024;
const KEEP_ALIVE_MS = 15_000;

/** A connected page: messages wait in `queued` until its backlog is written. */
interface Client {
  caughtUp: boolean;
  queued: string;
}

export class StreamHub {
  private readonly clients = new Map<ServerResponse, Client>();
  private readonly history: History;
  private readonly factsOf: FactsOf;
  private pending: HistoryEntry[] = [];
  /** Bursts go out one after the other, in order, though working out their facts may read files. */
  private flushing: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(history: History, factsOf: FactsOf) {
    this.history = history;
    this.factsOf = factsOf;
  }

  /** The messages of `entries`, their facts worked out first (bodies the recording holds are read back together). */
  private async messages(entries: HistoryEntry[]): Promise<string> {
    await ensureFacts(entries, this.factsOf);
    return entries.map((entry) => `event: event\nid: ${entry.seq}\ndata: ${JSON.stringify(summaryOf(entry))}\n\n`).join("");
  }

  /**
   * Starts streaming to `res`: first the entries after `after` (a reconnecting page catching up),
   * then each new one. A request that arrives meanwhile may come twice; the page keeps one per seq.
   */
  async attach(res: ServerResponse, after: number | undefined): Promise<void> {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "x-accel-buffering": "no" });
    const client: Client = { caughtUp: false, queued: "" };
    this.clients.set(res, client);
    res.on("close", () => this.detach(res));
    this.unsubscribe ??= this.history.subscribe((entry) => {
      if (this.pending.length === 0) {
        setImmediate(() => {
          this.flushing = this.flushing.then(() => this.flush());
        });
      }
      this.pending.push(entry);
    });
    this.keepAlive ??= setInterval(() => this.broadcast(": keep-alive\n\n"), KEEP_ALIVE_MS).unref();
    const backlog = after === undefined ? [] : this.history.all().filter((entry) => entry.seq > after);
    const text = await this.messages(backlog);
    if (!res.destroyed) res.write(`retry: 1000\n\n${text}${client.queued}`);
    client.caughtUp = true;
    client.queued = "";
  }

  private detach(res: ServerResponse): void {
    this.clients.delete(res);
    if (this.clients.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    this.pending = [];
  }

  private async flush(): Promise<void> {
    const entries = this.pending;
    this.pending = [];
    if (entries.length > 0) this.broadcast(await this.messages(entries));
  }

  private broadcast(text: string): void {
    for (const [res, client] of this.clients) {
      if (!client.caughtUp) client.queued += text;
      else if (res.writableLength > MAX_BUFFERED) res.destroy();
      else res.write(text);
    }
  }

  /** Ends every stream (the inspector is closing). */
  close(): void {
    for (const res of [...this.clients.keys()]) res.end();
  }
}
