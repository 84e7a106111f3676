// The inspector's history: the newest requests in memory, each a reference to what listen already
// holds plus a small index entry. Bodies are kept within a byte budget; the others are read back
// from the recording on demand.

import type { IncomingHttpHeaders } from "node:http";

import type { ReplayResult } from "./api-types.js";
import type { ForwardOutcome, JsonErrorLocation, ReceivedEvent } from "../receiver/types.js";
import type { EventCheck } from "../validation/types.js";

/**
 * One request in the history: from this run (`listen`), or a line read from a recording. Flat, and
 * holding as few objects as it can (numbers rather than a Date or the answer object, no headers
 * when the recording has them): ten thousand of these stay in memory, and the garbage collector
 * walks them all.
 */
export interface HistoryEntry {
  seq: number;
  source: "run" | "recording";
  /** Milliseconds since the epoch; undefined for a line of plain NDJSON events, which records no time. */
  time: number | undefined;
  method: string;
  path: string;
  /** The request headers; undefined when they are read back from the recording (`file` at `offset`). */
  headers: IncomingHttpHeaders | Record<string, string> | undefined;
  /** The exact bytes, for a request the recording does not hold; undefined when read back from `file` at `offset`, or let go. */
  body: Buffer | undefined;
  bodyBytes: number;
  outcome: ReceivedEvent["outcome"];
  jsonError: JsonErrorLocation | undefined;
  type: string | undefined;
  id: number | undefined;
  knownType: boolean;
  check: EventCheck | undefined;
  delivery: number;
  /** What the sender got (undefined: no answer), how fast, and from whom. */
  status: number | undefined;
  ms: number;
  by: ReceivedEvent["answer"]["by"] | undefined;
  forward: ForwardOutcome | undefined;
  recordError: string | undefined;
  /** Where the request's line is: the recording and the byte offset of the line. */
  file: string | undefined;
  offset: number | undefined;
  /** True when the line is a plain event (NDJSON of events), not a recorded request. */
  plainLine: boolean;
  /** The facts shown in the list, worked out on first use. */
  facts?: string[] | undefined;
  /** Replays made from the inspector, newest first (a few kept). */
  replays?: ReplayResult[] | undefined;
}

export interface HistoryOptions {
  /** Most requests kept; past it the oldest are forgotten. @default 10000 */
  capacity?: number;
  /** Bytes of bodies that no recording holds (and of the app's answers) kept in memory at most; past it the oldest are let go. @default 67108864 */
  memoryBudget?: number;
  /** The recording this run writes to (listen --record), where let-go bodies are read back from. */
  recording?: string | undefined;
}

export const DEFAULT_CAPACITY = 10_000;
const DEFAULT_MEMORY_BUDGET = 64 * 1024 * 1024;
/** Replays remembered per event. */
const REPLAYS_KEPT = 20;

type Listener = (entry: HistoryEntry) => void;

/**
 * The check of every valid event without a problem, shared: most events are that, and an entry
 * that keeps a check of its own keeps two more objects (the check and its problems) for the
 * garbage collector to copy and walk. Only `valid`, `problems` and `omitted` are read from it.
 */
const CLEAN_CHECK: EventCheck = Object.freeze({
  type: undefined,
  id: undefined,
  knownType: true,
  valid: true,
  severity: undefined,
  problems: Object.freeze([]) as unknown as EventCheck["problems"],
  omitted: 0,
  estimated: false,
});

/** The check an entry keeps: the shared one when there is nothing to say. */
function keptCheck(check: EventCheck | undefined): EventCheck | undefined {
  return check !== undefined && check.valid && check.problems.length === 0 && check.omitted === 0 ? CLEAN_CHECK : check;
}

/** Bytes an entry holds in memory, for the budget. */
function heldBytes(entry: HistoryEntry): number {
  return (entry.body?.length ?? 0) + (entry.forward?.answer?.body.length ?? 0);
}

export class History {
  readonly capacity: number;
  private readonly memoryBudget: number;
  private readonly recording: string | undefined;
  /** In seq order. Requests of this run arrive nearly in order (a slow forward finishes later). */
  private entries: HistoryEntry[] = [];
  private held = 0;
  /** Entries before this one hold no body and no app's answer any more. */
  private letGoFrom = 0;
  /** The last path and the types seen, so that entries share one string each instead of holding their own. */
  private lastPath = "";
  private readonly types = new Map<string, string>();
  private readonly listeners = new Set<Listener>();
  private loading: Promise<void> = Promise.resolve();

  constructor(options: HistoryOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? DEFAULT_CAPACITY);
    this.memoryBudget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
    this.recording = options.recording;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The same string as an earlier entry's, when there is one (bounded: a sender can invent types without end). */
  private shared(type: string | undefined): string | undefined {
    if (type === undefined) return undefined;
    const known = this.types.get(type);
    if (known !== undefined) return known;
    if (this.types.size < 200) this.types.set(type, type);
    return type;
  }

  /**
   * Keeps one request of this run as a small entry: numbers and shared strings, and neither body
   * nor headers when the recording holds them (they are read back from it when asked for). This
   * runs for every request listen answers, so it does nothing else: summaries are made when asked for.
   */
  add(event: ReceivedEvent): void {
    const recorded = event.recordOffset !== undefined;
    const answer = event.answer;
    if (event.path !== this.lastPath) this.lastPath = event.path;
    const entry: HistoryEntry = {
      seq: event.seq,
      source: "run",
      time: event.time.getTime(),
      method: event.method,
      path: this.lastPath,
      headers: recorded ? undefined : event.headers,
      body: recorded ? undefined : event.body,
      bodyBytes: event.body.length,
      outcome: event.outcome,
      jsonError: event.jsonError,
      type: this.shared(event.type),
      id: event.id,
      knownType: event.knownType,
      check: keptCheck(event.check),
      delivery: event.delivery,
      status: answer.status,
      ms: answer.ms,
      by: answer.by,
      forward: event.forward,
      recordError: event.recordError,
      file: recorded ? this.recording : undefined,
      offset: event.recordOffset,
      plainLine: false,
    };
    this.insert(entry);
    if (this.listeners.size > 0) for (const listener of this.listeners) listener(entry);
  }

  /** Adds entries read from recordings (older than every entry of this run), oldest first. */
  addEarlier(entries: readonly HistoryEntry[]): void {
    const room = this.capacity - this.entries.length;
    if (room <= 0 || entries.length === 0) return;
    const taken = entries.length > room ? entries.slice(entries.length - room) : entries;
    for (const entry of taken) {
      // Read back from the recording when asked for, like those of this run's recorded requests.
      if (entry.file !== undefined) entry.body = undefined;
      this.held += heldBytes(entry);
    }
    this.entries = [...taken, ...this.entries];
    this.letGoFrom = 0;
    if (this.held > this.memoryBudget) this.letGo();
  }

  /** Waits for `work` (loading earlier events) before answering lists and lookups. */
  loadWith(work: Promise<void>): void {
    this.loading = work;
  }

  /** Resolves once earlier events are loaded. */
  ready(): Promise<void> {
    return this.loading;
  }

  /** The entry with this seq. */
  get(seq: number): HistoryEntry | undefined {
    const index = this.indexOf(seq);
    return index >= 0 ? this.entries[index] : undefined;
  }

  /** Every entry, oldest first (a copy: later additions do not change it). */
  all(): HistoryEntry[] {
    return this.entries.slice();
  }

  /** Tells `listener` of each request added from now on; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Remembers a replay of an entry (newest first, a few kept). */
  addReplay(entry: HistoryEntry, result: ReplayResult): void {
    entry.replays = [result, ...(entry.replays ?? [])].slice(0, REPLAYS_KEPT);
  }

  private indexOf(seq: number): number {
    let low = 0;
    let high = this.entries.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = this.entries[middle]!.seq;
      if (at === seq) return middle;
      if (at < seq) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  private insert(entry: HistoryEntry): void {
    const entries = this.entries;
    let at = entries.length;
    while (at > 0 && entries[at - 1]!.seq > entry.seq) at--;
    if (at === entries.length) entries.push(entry);
    else entries.splice(at, 0, entry);
    this.held += heldBytes(entry);
    // Forgetting the oldest in slices of a tenth keeps the cost of splicing the array low.
    if (entries.length > this.capacity + Math.ceil(this.capacity / 10)) {
      const drop = entries.length - this.capacity;
      for (let i = 0; i < drop; i++) this.held -= heldBytes(entries[i]!);
      entries.splice(0, drop);
      this.letGoFrom = Math.max(0, this.letGoFrom - drop);
    }
    if (this.held > this.memoryBudget) this.letGo();
  }

  /** Lets go of the oldest bodies and apps' answers until the budget holds (the rest of each entry stays). */
  private letGo(): void {
    let i = this.letGoFrom;
    for (; i < this.entries.length && this.held > this.memoryBudget; i++) {
      const entry = this.entries[i]!;
      this.held -= heldBytes(entry);
      entry.body = undefined;
      if (entry.forward?.answer) entry.forward = { ...entry.forward, answer: undefined };
    }
    this.letGoFrom = i;
  }
}
