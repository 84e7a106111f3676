// `GET /api/stream`: Server-Sent Events, one `event` message per new request. The history is only
// listened to while a page is connected, and each burst goes out in one write per client.

import type { ServerResponse } from "node:http";

import type { History, HistoryEntry } from "./history.js";
import { summaryOf, type FactsOf } from "./views.js";

/** A client that stopped reading and has this much waiting is dropped (it reconnects and catches up with Last-Event-ID). */
const MAX_BUFFERED = 8 * 1024 * 1024;
const KEEP_ALIVE_MS = 15_000;

export class StreamHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly history: History;
  private readonly factsOf: FactsOf;
  private pending: HistoryEntry[] = [];
  private unsubscribe: (() => void) | undefined;
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(history: History, factsOf: FactsOf) {
    this.history = history;
    this.factsOf = factsOf;
  }

  private message(entry: HistoryEntry): string {
    return `event: event\nid: ${entry.seq}\ndata: ${JSON.stringify(summaryOf(entry, this.factsOf))}\n\n`;
  }

  /** Starts streaming to `res`: first the entries after `after` (a reconnecting page catching up), then each new one. */
  attach(res: ServerResponse, after: number | undefined): void {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "x-accel-buffering": "no" });
    let backlog = "retry: 1000\n\n";
    if (after !== undefined) for (const entry of this.history.all()) if (entry.seq > after) backlog += this.message(entry);
    res.write(backlog);
    this.clients.add(res);
    res.on("close", () => this.detach(res));
    this.unsubscribe ??= this.history.subscribe((entry) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push(entry);
    });
    this.keepAlive ??= setInterval(() => this.broadcast(": keep-alive\n\n"), KEEP_ALIVE_MS).unref();
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

  private flush(): void {
    const entries = this.pending;
    this.pending = [];
    if (entries.length > 0) this.broadcast(entries.map((entry) => this.message(entry)).join(""));
  }

  private broadcast(text: string): void {
    for (const res of this.clients) {
      if (res.writableLength > MAX_BUFFERED) res.destroy();
      else res.write(text);
    }
  }

  /** Ends every stream (the inspector is closing). */
  close(): void {
    for (const res of [...this.clients]) res.end();
  }
}
