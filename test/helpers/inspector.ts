// A real receiver (recording to a temp file) whose events feed a real inspector on 127.0.0.1:0,
// and an HTTP client for its API that controls every header (Host, Origin, Authorization).
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { eventFacts } from "../../src/format/listen-facts.js";
import { History, type HistoryEntry, type HistoryOptions } from "../../src/inspector/history.js";
import { startInspector, type Inspector, type InspectorOptions } from "../../src/inspector/server.js";
import { openRecording } from "../../src/record/recording.js";
import { startReceiver, type Receiver, type ReceiverOptions } from "../../src/receiver/receiver.js";

export interface ApiAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: () => any;
}

export interface CallOptions {
  method?: string;
  /** @default the inspector's token; null sends no Authorization header */
  token?: string | null;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
}

export interface InspectorRig {
  dir: string;
  record: string;
  receiver: Receiver;
  history: History;
  inspector: Inspector;
  /** Calls the inspector with the Host a browser on 127.0.0.1 would send, unless `headers.host` says otherwise. */
  call(path: string, options?: CallOptions): Promise<ApiAnswer>;
  /** POSTs a body to the receiver and resolves with the event once the history holds it. */
  send(body: string | Buffer, headers?: Record<string, string>): Promise<HistoryEntry>;
}

export function callHttp(port: number, path: string, options: CallOptions & { token?: string | null }): Promise<ApiAnswer> {
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...options.headers };
  if (options.token) headers["authorization"] = `Bearer ${options.token}`;
  let body: Buffer | undefined;
  if (options.body !== undefined) {
    body =
      typeof options.body === "string" || Buffer.isBuffer(options.body)
        ? Buffer.from(options.body)
        : Buffer.from(JSON.stringify(options.body));
    headers["content-type"] ??= "application/json";
    headers["content-length"] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path, method: options.method ?? (body ? "POST" : "GET"), headers, setHost: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const all = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: all,
            text: all.toString("utf8"),
            json: () => JSON.parse(all.toString("utf8")),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export async function startInspectorRig(
  cleanup: (() => Promise<void> | void)[],
  options: { record?: boolean; history?: HistoryOptions; receiver?: ReceiverOptions; inspector?: Partial<InspectorOptions> } = {},
): Promise<InspectorRig> {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-inspector-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const record = join(dir, "events.ndjson");
  const recording = options.record === false ? undefined : openRecording(record);
  const history = new History({ recording: recording ? record : undefined, ...options.history });
  const receiver = await startReceiver({ port: 0, recording, onEvent: (event) => history.add(event), ...options.receiver });
  cleanup.push(async () => {
    await receiver.close();
    recording?.close();
  });
  const inspector = await startInspector({
    history,
    port: 0,
    info: {
      mode: "listen",
      version: "0.0.0-test",
      receiving: receiver.url,
      publicUrl: null,
      replayTo: null,
      recordings: [record],
      fixtures: null,
    },
    factsOf: eventFacts,
    replayHeaders: () => ({ "Content-Type": "application/json", "User-Agent": "wtbhook/test" }),
    ...options.inspector,
  });
  cleanup.push(() => inspector.close());
  const call = (path: string, callOptions: CallOptions = {}): Promise<ApiAnswer> =>
    callHttp(inspector.port, path, { ...callOptions, token: callOptions.token === undefined ? inspector.token : callOptions.token });
  const send = async (body: string | Buffer, headers: Record<string, string> = {}): Promise<HistoryEntry> => {
    const arrived = new Promise<HistoryEntry>((resolve) => {
      const stop = history.subscribe((entry) => {
        stop();
        resolve(entry);
      });
    });
    const answer = await callHttp(receiver.port, new URL(receiver.url).pathname, {
      body: Buffer.from(body),
      token: null,
      headers: { host: `127.0.0.1:${receiver.port}`, "content-type": "application/json", ...headers },
    });
    if (answer.status === 0) throw new Error("no answer from the receiver");
    return arrived;
  };
  return { dir, record, receiver, history, inspector, call, send };
}
