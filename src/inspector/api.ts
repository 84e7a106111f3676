// The inspector's API under /api/: what the page uses, and nothing else. Each handler returns a
// status and a JSON value (or streams); the server has checked the Host, token and Origin first.

import { writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";

import { WtbhookError } from "../errors.js";
import { endToEndHeaders } from "../http/headers.js";
import { locateSyntaxError } from "../json/syntax.js";
import { readLineAt } from "../record/read-back.js";
import { formatRecordLine, recordHeaders } from "../record/record.js";
import { validateEvent } from "../validation/validate-event.js";
import type { EventSummary, InspectorInfo, InspectorInfoBase, ValidateResult } from "./api-types.js";
import { ensureFacts, MAX_LINE_BYTES, requestOf, withBodies } from "./bodies.js";
import { ANSWER_FILTERS, compileSummaryFilter, SCHEMA_FILTERS, summaryHasText, type EventFilter } from "./filter.js";
import type { History, HistoryEntry } from "./history.js";
import { replay, type ReplaySettings } from "./replay.js";
import type { StreamHub } from "./stream.js";
import { detailOf, locateProblems, summaryOf, verdictOf, type FactsOf } from "./views.js";

/** What the API needs besides the history. */
export interface ApiContext {
  history: History;
  info: InspectorInfoBase;
  factsOf: FactsOf;
  stream: StreamHub;
  /**
   * The request headers of a replay, from the recorded end-to-end headers (undefined for a plain
   * event line): the same layers as `send --recorded-headers`.
   * @throws WtbhookError for a recorded header that cannot be sent.
   */
  replayHeaders: (recorded: readonly string[] | undefined) => Record<string, string>;
  replay: ReplaySettings;
}

/** A handler's answer: a status and JSON, or `undefined` when it wrote the response itself. */
type Answer = { status: number; json: unknown } | undefined;

/** Largest JSON body the API reads (an edited event travels in it). */
export const MAX_API_BODY = 64 * 1024 * 1024;
const DEFAULT_LIMIT = 500;

class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function parseFilter(query: URLSearchParams): EventFilter {
  const answer = query.get("answer") || undefined;
  const schema = query.get("schema") || undefined;
  if (answer !== undefined && !(ANSWER_FILTERS as readonly string[]).includes(answer)) {
    throw new ApiError(400, `answer must be one of ${ANSWER_FILTERS.join(", ")}`);
  }
  if (schema !== undefined && !(SCHEMA_FILTERS as readonly string[]).includes(schema)) {
    throw new ApiError(400, `schema must be one of ${SCHEMA_FILTERS.join(", ")}`);
  }
  return {
    type: query.get("type") || undefined,
    answer: answer as EventFilter["answer"],
    schema: schema as EventFilter["schema"],
    q: query.get("q") || undefined,
  };
}

function integerParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === "") return undefined;
  if (!/^-?\d{1,15}$/.test(text)) throw new ApiError(400, `${name} must be an integer`);
  return Number(text);
}

/**
 * The entries passing the filter, in the order given, at most `limit` (and whether more would).
 * The text is looked for in what the list shows and in the bodies, read back batch by batch.
 */
async function select(
  context: ApiContext,
  entries: readonly HistoryEntry[],
  filter: EventFilter,
  limit = Infinity,
): Promise<{ selected: HistoryEntry[]; more: boolean }> {
  const passes = compileSummaryFilter(filter);
  const q = filter.q?.toLowerCase();
  const selected: HistoryEntry[] = [];
  const SLICE = 1000;
  for (let i = 0; i < entries.length; i += SLICE) {
    let slice = entries.slice(i, i + SLICE).filter((entry) => passes(summaryOf(entry)));
    if (q !== undefined) {
      await ensureFacts(slice, context.factsOf);
      const found = new Set(slice.filter((entry) => summaryHasText(summaryOf(entry), q)));
      await withBodies(
        slice.filter((entry) => !found.has(entry)),
        (entry, body) => {
          if (body?.toString("utf8").toLowerCase().includes(q)) found.add(entry);
        },
      );
      slice = slice.filter((entry) => found.has(entry));
    }
    for (const entry of slice) {
      if (selected.length === limit) return { selected, more: true };
      selected.push(entry);
    }
  }
  return { selected, more: false };
}

async function listEvents(context: ApiContext, query: URLSearchParams): Promise<Answer> {
  const filter = parseFilter(query);
  const after = integerParam(query, "after");
  const before = integerParam(query, "before");
  const limit = Math.min(integerParam(query, "limit") ?? DEFAULT_LIMIT, context.history.capacity);
  if (limit < 1) throw new ApiError(400, "limit must be at least 1");
  await context.history.ready();
  const entries = context.history
    .all()
    .filter((entry) => (after === undefined || entry.seq > after) && (before === undefined || entry.seq < before))
    .reverse();
  const { selected, more } = await select(context, entries, filter, limit);
  await ensureFacts(selected, context.factsOf);
  const events: EventSummary[] = selected.map((entry) => summaryOf(entry));
  return { status: 200, json: { events, more } };
}

async function entryFor(context: ApiContext, seqText: string): Promise<HistoryEntry> {
  await context.history.ready();
  const entry = context.history.get(Number(seqText));
  if (!entry) throw new ApiError(404, `no event ${seqText} in the history (it holds the newest ${context.history.capacity})`);
  return entry;
}

async function getEvent(context: ApiContext, seq: string): Promise<Answer> {
  const entry = await entryFor(context, seq);
  return { status: 200, json: detailOf(entry, await requestOf(entry), context.factsOf) };
}

/** The `to` of a replay: the one given, or the default (--forward-to, or inspect's --to). */
function replayTarget(context: ApiContext, to: unknown): URL {
  const text = typeof to === "string" && to.trim() !== "" ? to.trim() : context.info.replayTo;
  if (text === null) throw new ApiError(400, "no URL to replay to: type one (listen --forward-to, or inspect --to, sets the default)");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError(400, `not a URL: ${text}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ApiError(400, `only http:// and https:// URLs can be replayed to; got ${text}`);
  return url;
}

async function replayEvent(context: ApiContext, seq: string, input: Record<string, unknown>): Promise<Answer> {
  const entry = await entryFor(context, seq);
  if (input["body"] !== undefined && typeof input["body"] !== "string")
    throw new ApiError(400, "body must be a string (the exact text to send)");
  const to = replayTarget(context, input["to"]);
  const original = await requestOf(entry);
  const edited = typeof input["body"] === "string" ? Buffer.from(input["body"], "utf8") : undefined;
  const body = edited ?? original.body;
  if (body === undefined) throw new ApiError(409, `the body of event ${seq} is ${original.missing}`);
  const recorded =
    entry.plainLine || original.headers === undefined
      ? undefined
      : endToEndHeaders(Object.entries(recordHeaders(original.headers)).flat(), ["content-length"]);
  let headers: Record<string, string>;
  try {
    headers = context.replayHeaders(recorded);
  } catch (error) {
    if (error instanceof WtbhookError) throw new ApiError(400, error.message);
    throw error;
  }
  const result = await replay(
    { to, headers, body, edited: edited !== undefined && !(original.body?.equals(edited) ?? false) },
    context.replay,
  );
  context.history.addReplay(entry, result);
  return { status: 200, json: result };
}

/** A type that can name a fixture file: no path separators, no leading dot. */
const FIXTURE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

async function saveFixture(context: ApiContext, seq: string, input: Record<string, unknown>): Promise<Answer> {
  const dir = context.info.fixtures;
  if (dir === null) throw new ApiError(404, "no --fixtures folder is set: the page downloads the fixture instead");
  const entry = await entryFor(context, seq);
  if (entry.outcome !== "event" || entry.type === undefined || !FIXTURE_NAME.test(entry.type) || entry.type.includes("..")) {
    throw new ApiError(400, "only an event with a type that can name a file can be saved as a fixture");
  }
  const { body, missing } = await requestOf(entry);
  if (body === undefined) throw new ApiError(409, `the body of event ${seq} is ${missing}`);
  const path = join(dir, `${entry.type}.json`);
  try {
    await writeFile(path, body, { flag: input["force"] === true ? "w" : "wx" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new ApiError(409, `${path} exists already (send {"force": true} to replace it)`);
    throw new ApiError(500, `cannot write ${path}: ${(error as Error).message}`);
  }
  return { status: 201, json: { path } };
}

function validateText(input: Record<string, unknown>): Answer {
  const text = input["body"];
  if (typeof text !== "string") throw new ApiError(400, "body must be a string (the event's JSON text)");
  const bytes = Buffer.from(text, "utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const syntax = locateSyntaxError(bytes) ?? { message: (error as Error).message, line: 1, column: 1 };
    const result: ValidateResult = {
      type: null,
      valid: false,
      severity: "error",
      problems: [
        {
          pointer: "",
          keyword: "syntax",
          severity: "error",
          message: `malformed JSON: ${syntax.message}`,
          line: syntax.line,
          column: syntax.column,
        },
      ],
    };
    return { status: 200, json: result };
  }
  const check = validateEvent(value);
  const result: ValidateResult = {
    type: check.type ?? null,
    valid: check.valid,
    severity: verdictOf(check).severity,
    problems: locateProblems(check.problems, check.valid, bytes),
  };
  return { status: 200, json: result };
}

/** The filtered list as NDJSON in the recording's format (oldest first), for `send --from` and `validate`. */
async function exportEvents(context: ApiContext, query: URLSearchParams, res: ServerResponse): Promise<Answer> {
  const filter = parseFilter(query);
  await context.history.ready();
  res.writeHead(200, {
    "content-type": "application/x-ndjson; charset=utf-8",
    "content-disposition": 'attachment; filename="wtbhook-events.ndjson"',
  });
  const { selected } = await select(context, context.history.all(), filter);
  for (const entry of selected) {
    if (entry.outcome === "too-large" || entry.outcome === "busy") continue;
    // The recorded line itself when there is one: its bytes, as listen wrote them.
    let line =
      entry.file !== undefined && entry.offset !== undefined ? await readLineAt(entry.file, entry.offset, MAX_LINE_BYTES) : undefined;
    if (line !== undefined) line += "\n";
    else if (entry.body !== undefined) {
      line = formatRecordLine({
        time: new Date(entry.time ?? 0),
        method: entry.method,
        path: entry.path,
        headers: entry.headers ?? {},
        body: entry.body,
        answer: { status: entry.status, ms: entry.ms },
        type: entry.type,
        id: entry.id,
      });
    }
    if (line === undefined) continue;
    if (!res.write(line)) await new Promise((resolve) => res.once("drain", resolve));
    if (res.destroyed) return undefined;
  }
  res.end();
  return undefined;
}

/** Reads a JSON object body (at most MAX_API_BODY bytes). */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) throw new ApiError(415, "send JSON (Content-Type: application/json)");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_API_BODY) throw new ApiError(413, `request body over ${MAX_API_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let value: unknown;
  try {
    value = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(400, "the request body is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ApiError(400, "the request body must be a JSON object");
  return value as Record<string, unknown>;
}

const SEQ = "(-?\\d{1,15})";
const ROUTES: {
  method: string;
  pattern: RegExp;
  handle: (
    context: ApiContext,
    match: string[],
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ) => Promise<Answer> | Answer;
}[] = [
  {
    method: "GET",
    pattern: /^\/api\/info$/,
    handle: async (context) => {
      await context.history.ready();
      const entries = context.history.all();
      const info: InspectorInfo = { ...context.info, capacity: context.history.capacity, lastSeq: entries.at(-1)?.seq ?? 0 };
      return { status: 200, json: info };
    },
  },
  { method: "GET", pattern: /^\/api\/events$/, handle: (context, _m, _req, _res, query) => listEvents(context, query) },
  { method: "GET", pattern: new RegExp(`^/api/events/${SEQ}$`), handle: (context, match) => getEvent(context, match[1]!) },
  {
    method: "POST",
    pattern: new RegExp(`^/api/events/${SEQ}/replay$`),
    handle: async (context, match, req) => replayEvent(context, match[1]!, await readJson(req)),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/events/${SEQ}/fixture$`),
    handle: async (context, match, req) => saveFixture(context, match[1]!, await readJson(req)),
  },
  { method: "POST", pattern: /^\/api\/validate$/, handle: async (_context, _m, req) => validateText(await readJson(req)) },
  { method: "GET", pattern: /^\/api\/export$/, handle: (context, _m, _req, res, query) => exportEvents(context, query, res) },
  {
    method: "GET",
    pattern: /^\/api\/stream$/,
    handle: async (context, _m, req, res, query) => {
      await context.history.ready();
      const lastId = req.headers["last-event-id"];
      const after = integerParam(query, "after") ?? (typeof lastId === "string" && /^-?\d+$/.test(lastId) ? Number(lastId) : undefined);
      await context.stream.attach(res, after);
      return undefined;
    },
  },
];

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** Answers one /api/ request (already allowed by the server's checks). */
export async function handleApi(context: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const route = ROUTES.find((candidate) => candidate.pattern.test(url.pathname));
  if (!route) return sendJson(res, 404, { error: `no such API: ${url.pathname}` });
  if (req.method !== route.method) {
    res.setHeader("allow", route.method);
    return sendJson(res, 405, { error: `${url.pathname} takes ${route.method}` });
  }
  try {
    const answer = await route.handle(context, route.pattern.exec(url.pathname)!, req, res, url.searchParams);
    if (answer) sendJson(res, answer.status, answer.json);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof ApiError) return sendJson(res, error.status, { error: error.message });
    sendJson(res, 500, { error: `internal error: ${(error as Error).message}` });
  }
}

/** True for the calls that change something (the Origin is checked for them). */
export function changesState(method: string | undefined): boolean {
  return method !== "GET" && method !== "HEAD";
}
