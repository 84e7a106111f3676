import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";

import { Agent, request } from "undici";
import { afterEach, describe, expect, it } from "vitest";

import { eventTypes, loadFixture } from "../../src/catalog/catalog.js";
import { parseRecordLine } from "../../src/record/record.js";
import { openRecording, RecordingWriteError, type Recording } from "../../src/record/recording.js";
import { MAX_ANSWER_BYTES } from "../../src/receiver/forward.js";
import type { ReceiverOptions } from "../../src/receiver/receiver.js";
import { validateEvent } from "../../src/validation/validate-event.js";
import { rawExchange, rawSocket, startCollecting } from "../helpers/listen-net.js";
import { closedPort, startTargetServer } from "../helpers/target-server.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const receiver = (options: ReceiverOptions = {}): ReturnType<typeof startCollecting> => startCollecting(options, cleanup);

async function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  const response = await request(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  return { status: response.statusCode, text: await response.body.text(), headers: response.headers };
}

/** A stand-in for the developer's app: records what it got, answers as told. */
async function app(
  answer: (req: IncomingMessage, body: Buffer) => { status: number; body?: string; delayMs?: number },
): Promise<{ url: string; got: { req: IncomingMessage; body: Buffer }[]; server: Server }> {
  const got: { req: IncomingMessage; body: Buffer }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      got.push({ req, body });
      const reply = answer(req, body);
      const send = (): void => {
        res.writeHead(reply.status, { "content-type": "application/json" });
        res.end(reply.body ?? "");
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanup.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/webhooks`, got, server };
}

describe("receiving", () => {
  it("keeps the exact bytes of every fixture, checks it and reads its type and id", async () => {
    const { receiver: r, events } = await receiver();
    const types = eventTypes();
    for (const type of types) {
      const answer = await post(r.url, loadFixture(type));
      expect(answer.status).toBe(200);
    }
    const received = await events.next(types.length);
    for (const [i, type] of types.entries()) {
      const event = received[i]!;
      expect(event.body.equals(loadFixture(type))).toBe(true);
      expect(event).toMatchObject({ outcome: "event", type, knownType: true, delivery: 1, answer: { status: 200, by: "wtbhook" } });
      expect(event.check?.problems).toEqual([]);
      expect(event.check?.valid).toBe(true);
      expect(typeof event.id).toBe("number");
    }
  });

  it("answers --status, grades problems (an unknown type is a warning), counts redeliveries", async () => {
    const { receiver: r, events } = await receiver({ status: 202 });
    const fixture = JSON.parse(loadFixture("user.created").toString("utf8")) as Record<string, unknown>;
    await post(r.url, JSON.stringify({ ...fixture, mode: 7 }));
    await post(r.url, JSON.stringify({ ...fixture, type: "user.banned" }));
    await post(r.url, JSON.stringify(fixture));
    const [invalid, unknown, repeated] = await events.next(3);
    expect(invalid!.answer.status).toBe(202);
    expect(invalid!.check?.valid).toBe(false);
    expect(invalid!.check?.problems[0]?.pointer).toBe("/mode");
    // A new type is a warning: answered as usual, its envelope checked, its object not.
    expect(unknown).toMatchObject({ type: "user.banned", knownType: false, answer: { status: 202 } });
    expect(unknown!.check).toMatchObject({ valid: true, severity: "warning", problems: [{ pointer: "/type", keyword: "event-type" }] });
    expect(repeated!.delivery).toBe(3);
  });

  it("checks each event with the same check and words as validate and send (a missing type, an array)", async () => {
    const { receiver: r, events } = await receiver();
    const { type: _type, ...untyped } = JSON.parse(loadFixture("user.created").toString("utf8")) as Record<string, unknown>;
    await post(r.url, JSON.stringify(untyped));
    await post(r.url, "[1, 2]");
    const [missing, array] = await events.next(2);
    expect(missing!.check).toEqual(validateEvent(untyped));
    expect(missing!.check?.problems).toEqual([
      expect.objectContaining({
        pointer: "",
        keyword: "required",
        message: expect.stringMatching(/^missing property "type" \(the event type, such as user\./),
      }),
    ]);
    expect(array!.check?.problems[0]).toMatchObject({ pointer: "", message: "expected an event object, found an array" });
  });

  it("remembers a bounded number of event ids, forgetting those first seen longest ago", async () => {
    const { receiver: r, events } = await receiver({ rememberIds: 2 });
    for (const id of [1, 2, 1, 3, 1, 2]) await post(r.url, JSON.stringify({ type: "user.created", id }));
    await events.next(6);
    // Id 3 pushes out id 1 (first seen longest ago); id 1 then pushes out id 2.
    expect(events.events.map((e) => [e.id, e.delivery])).toEqual([
      [1, 1],
      [2, 1],
      [1, 2],
      [3, 1],
      [1, 1],
      [2, 1],
    ]);
  });

  it("--fail-first N answers 500 to the first N deliveries of each event id", async () => {
    const { receiver: r } = await receiver({ failFirst: 2 });
    const a = JSON.stringify({ type: "user.created", id: 1 });
    const b = JSON.stringify({ type: "user.created", id: 2 });
    const statuses = [];
    for (const body of [a, a, b, a, b, b]) statuses.push((await post(r.url, body)).status);
    expect(statuses).toEqual([500, 500, 500, 200, 500, 200]);
  });

  it("on a wildcard host, lists a URL per interface, loopback first, each of which works", async () => {
    const { receiver: v4 } = await receiver({ host: "0.0.0.0" });
    const expected = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .filter((address) => address.family === "IPv4")
      .map((address) => `http://${address.address}:${v4.port}/`);
    expect(v4.urls[0]).toBe(`http://127.0.0.1:${v4.port}/`);
    expect([...v4.urls].sort()).toEqual([...new Set(expected)].sort());
    for (const url of v4.urls) expect((await post(url, "{}")).status).toBe(200);
    const { receiver: local } = await receiver({ host: "127.0.0.1" });
    expect(local.urls).toEqual([local.url]);
  });

  it("on a wildcard host, shows a loopback URL that works (0.0.0.0 → 127.0.0.1, :: → [::1])", async () => {
    const { receiver: v4 } = await receiver({ host: "0.0.0.0" });
    expect(v4.url).toBe(`http://127.0.0.1:${v4.port}/`);
    expect((await post(v4.url, "{}")).status).toBe(200);
    const { receiver: v6 } = await receiver({ host: "::" });
    expect(v6.url).toBe(`http://[::1]:${v6.port}/`);
    expect(v6.address).toBe(`[::1]:${v6.port}`);
    expect((await post(v6.url, "{}")).status).toBe(200);
  });

  it("404 for other paths, 405 with Allow for other methods, and the query does not matter", async () => {
    const { receiver: r, events } = await receiver({ path: "/hooks" });
    const base = r.url.replace(/\/hooks$/, "");
    expect((await post(`${base}/other`, "{}")).status).toBe(404);
    const get = await request(r.url, { method: "GET" });
    await get.body.dump();
    expect(get.statusCode).toBe(405);
    expect(get.headers["allow"]).toBe("POST");
    expect((await post(`${r.url}?source=forum`, "{}")).status).toBe(200);
    await events.next(1);
    expect(events.strays.map((s) => [s.status, s.path])).toEqual([
      [404, "/other"],
      [405, "/hooks"],
    ]);
  });

  it("400 for a body that is not JSON, with the position of the error", async () => {
    const { receiver: r, events } = await receiver();
    const answer = await post(r.url, '{\n  "type": "user.created",\n  "id": ,\n}');
    expect(answer.status).toBe(400);
    const [event] = await events.next(1);
    expect(event).toMatchObject({
      outcome: "not-json",
      answer: { status: 400 },
      jsonError: { message: 'unexpected character "," (expected a value)', line: 3, column: 9 },
    });
  });

  it("400 for bytes that are not UTF-8, named as such", async () => {
    const { receiver: r, events } = await receiver();
    expect((await post(r.url, Buffer.from([0x7b, 0x0a, 0xff, 0xfe]))).status).toBe(400);
    const [event] = await events.next(1);
    expect(event!.jsonError).toEqual({ message: "bytes that are not UTF-8 (shown as U+FFFD)", offset: 2, line: 2, column: 1 });
  });

  it("accepts a body of exactly --max-body bytes and answers 413 to one byte more, declared or chunked", async () => {
    const { receiver: r, events } = await receiver({ maxBody: 64 });
    const exact = `{"pad":"${"x".repeat(64 - 10)}"}`;
    expect(Buffer.byteLength(exact)).toBe(64);
    expect((await post(r.url, exact)).status).toBe(200);
    const port = r.port;
    const over = `${exact} `;
    const declared = await rawExchange(port, `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n${over}`);
    expect(declared).toMatch(/^HTTP\/1.1 413 /);
    // Chunked: the size is only known while reading; reading stops at the limit.
    const chunked = await rawExchange(
      port,
      `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n${over.slice(0, 32)}\r\n21\r\n${over.slice(32)}\r\n0\r\n\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1.1 413 /);
    await events.next(3);
    expect(events.events.map((e) => e.outcome)).toEqual(["event", "too-large", "too-large"]);
    expect((await post(r.url, "{}")).status).toBe(200);
  });

  it("answers Expect: 100-continue with 413 at once when the declared body is over the limit, else with 100", async () => {
    const { receiver: r, events } = await receiver({ maxBody: 64 });
    const over = await rawExchange(r.port, "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 65\r\n\r\n");
    expect(over).toMatch(/^HTTP\/1.1 413 /);
    expect(over).not.toContain("100 Continue");
    const socket = await rawSocket(r.port);
    cleanup.push(() => void socket.destroy());
    socket.setEncoding("latin1");
    socket.write("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    const [first] = (await once(socket, "data")) as [string];
    expect(first).toMatch(/^HTTP\/1.1 100 Continue\r\n/);
    socket.write("{}");
    await events.next(2);
    expect(events.events.map((e) => [e.outcome, e.answer.status])).toEqual([
      ["too-large", 413],
      ["event", 200],
    ]);
  });
});

describe("surviving bad senders", () => {
  it("answers malformed HTTP with 400 and keeps serving", async () => {
    const { receiver: r } = await receiver();
    const answer = await rawExchange(r.port, "THIS IS NOT HTTP\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1.1 400 Bad Request/);
    const bad = await rawExchange(r.port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
    expect(bad).toMatch(/^HTTP\/1.1 400/);
    expect((await post(r.url, "{}")).status).toBe(200);
  });

  it("times out a sender that never finishes its headers, or its body", async () => {
    const { receiver: r, events } = await receiver({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const slowHeaders = await rawSocket(r.port);
    const headersClosed = once(slowHeaders, "close");
    slowHeaders.on("error", () => undefined);
    let headersAnswer = "";
    slowHeaders.setEncoding("latin1").on("data", (chunk: string) => (headersAnswer += chunk));
    slowHeaders.write("POST / HTTP/1.1\r\nHost: x\r\n");
    const slowBody = await rawSocket(r.port);
    let bodyAnswer = "";
    slowBody.setEncoding("latin1").on("data", (chunk: string) => (bodyAnswer += chunk));
    slowBody.on("error", () => undefined);
    const bodyClosed = once(slowBody, "close");
    slowBody.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
    await Promise.all([headersClosed, bodyClosed]);
    expect(headersAnswer).toMatch(/^HTTP\/1.1 408 /);
    expect(bodyAnswer).toMatch(/^HTTP\/1.1 408 /);
    expect(events.clientErrors.filter((code) => code === "ERR_HTTP_REQUEST_TIMEOUT")).toHaveLength(2);
    expect(events.events).toHaveLength(0);
    expect((await post(r.url, "{}")).status).toBe(200);
  });

  it("shrugs off a sender that disconnects in the middle of a body", async () => {
    const { receiver: r, events } = await receiver();
    const socket = await rawSocket(r.port);
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"type":');
    socket.destroy();
    await once(socket, "close");
    expect((await post(r.url, JSON.stringify({ type: "user.created", id: 5 }))).status).toBe(200);
    const [event] = await events.next(1);
    expect(event!.id).toBe(5);
    expect(events.events).toHaveLength(1);
  });

  it("answers 1,000 concurrent senders", async () => {
    const { receiver: r, events } = await receiver();
    const agent = new Agent({ connections: 1000, pipelining: 0 });
    cleanup.push(() => agent.close());
    const body = loadFixture("user.created");
    const answers = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const response = await request(r.url, {
          method: "POST",
          body: body.toString("utf8").replace('"id": 1534', `"id": ${i}`),
          dispatcher: agent,
        });
        await response.body.dump();
        return response.statusCode;
      }),
    );
    expect(answers.filter((status) => status === 200)).toHaveLength(1000);
    await events.next(1000);
    expect(new Set(events.events.map((e) => e.id)).size).toBe(1000);
  }, 30_000);
});

/** A recording in a fresh temporary folder, closed and removed after the test. */
function openTempRecording(): { path: string; recording: Recording } {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-listen-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "events.ndjson");
  const recording = openRecording(path);
  cleanup.push(() => recording.close());
  return { path, recording };
}

describe("recording", () => {
  it("has every answered request in the file before the answer arrives", async () => {
    const { path, recording } = openTempRecording();
    const { receiver: r } = await receiver({ recording, failFirst: 1 });
    const body = loadFixture("post.created");
    for (let i = 0; i < 3; i++) {
      await post(`${r.url}?n=${i}`, body, { "x-trace": String(i) });
      // The answer is in: so is the line, without closing the file.
      const lines = readFileSync(path, "utf8").trimEnd().split("\n");
      expect(lines).toHaveLength(i + 1);
      const entry = JSON.parse(lines[i]!) as { path: string; headers: Record<string, string>; answer: { status: number } };
      expect(entry.path).toBe(`/?n=${i}`);
      expect(entry.headers["x-trace"]).toBe(String(i));
      expect(entry.answer.status).toBe(i === 0 ? 500 : 200);
      expect(parseRecordLine(lines[i]!, i + 1, path)!.body.equals(body)).toBe(true);
    }
    await post(r.url, "not json");
    expect(readFileSync(path, "utf8").trimEnd().split("\n")).toHaveLength(4);
  });

  it("a request that cannot be recorded is answered 500 and still reported, with why", async () => {
    // A disk that is full (a real one: see the tmpfs tests in test/e2e/listen-durability.test.ts).
    const recording: Recording = {
      path: "full.ndjson",
      created: false,
      add: () => Promise.reject(new RecordingWriteError("ENOSPC: no space left on device, write")),
      flush() {},
      close() {},
      discard() {},
    };
    const { receiver: r, events } = await receiver({ recording });
    expect((await post(r.url, loadFixture("user.created"))).status).toBe(500);
    const [event] = await events.next(1);
    expect(event).toMatchObject({
      type: "user.created",
      answer: { status: 500, by: "wtbhook" },
      recordError: "ENOSPC: no space left on device, write",
    });
    expect(events.clientErrors).toEqual([]);
  });

  it("records JSON with invalid UTF-8 inside a string as base64, and a real U+FFFD as text", async () => {
    const { path, recording } = openTempRecording();
    const { receiver: r, events } = await receiver({ recording });
    // JSON.parse accepts both once decoded: the lone 0xff byte turns into U+FFFD on the way.
    const invalid = Buffer.concat([Buffer.from('{"type":"user.created","s":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    const replacement = Buffer.from('{"type":"user.created","s":"\uFFFD é"}');
    const notJson = Buffer.concat([Buffer.from("nope "), Buffer.from([0xc3, 0x28])]);
    for (const body of [invalid, replacement, notJson]) await post(r.url, body);
    const received = await events.next(3);
    expect(received.map((e) => e.outcome)).toEqual(["event", "event", "not-json"]);
    expect(received.map((e) => e.text)).toEqual([invalid, replacement, notJson].map((b) => b.toString("utf8")));
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { encoding: string }).encoding)).toEqual(["base64", "utf8", "base64"]);
    expect(lines.map((line, i) => parseRecordLine(line, i + 1, path)!.body)).toEqual([invalid, replacement, notJson]);
  });
});

describe("forwarding", () => {
  it("sends the exact bytes and headers on (Host rewritten, hop-by-hop dropped) and answers with the app's status and body", async () => {
    const target = await app(() => ({ status: 201, body: '{"stored":true}' }));
    const { receiver: r, events } = await receiver({ forwardTo: target.url });
    const body = loadFixture("topic.created");
    const head = `POST / HTTP/1.1\r\nHost: public.example\r\nContent-Type: application/json\r\nX-Webhook-Id: abc\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\nContent-Length: ${body.length}\r\n\r\n`;
    const answer = await rawExchange(r.port, Buffer.concat([Buffer.from(head), body]));
    expect(answer).toMatch(/^HTTP\/1.1 201 Created\r\n/);
    expect(answer).toContain('\r\n\r\n{"stored":true}');
    const got = target.got[0]!;
    expect(got.body.equals(body)).toBe(true);
    expect(got.req.url).toBe("/webhooks");
    expect(got.req.headers["x-webhook-id"]).toBe("abc");
    expect(got.req.headers["content-type"]).toBe("application/json");
    expect(got.req.headers["host"]).toBe(new URL(target.url).host);
    expect(got.req.headers["x-hop"]).toBeUndefined();
    expect(got.req.headers["wtbhook-via"]).toMatch(/^[0-9a-f]{12}$/);
    const [event] = await events.next(1);
    expect(event!.answer).toMatchObject({ status: 201, by: "app" });
    expect(event!.forward).toMatchObject({ url: target.url, status: 201, bodyStart: '{"stored":true}' });
  });

  it("marks forwarded requests and answers 508 to one that comes back (a loop through a tunnel), without forwarding it again", async () => {
    // A stand-in for a public tunnel that leads back to the same listen: it posts what it gets to `back`.
    let back = "";
    const tunnel = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([name]) => name !== "host" && name !== "connection"),
        ) as Record<string, string>;
        void request(back, { method: "POST", headers, body: Buffer.concat(chunks) }).then(async (answer) => {
          res.writeHead(answer.statusCode, { "content-type": "text/plain" });
          res.end(await answer.body.text());
        });
      });
    });
    tunnel.listen(0, "127.0.0.1");
    await once(tunnel, "listening");
    cleanup.push(() => {
      tunnel.closeAllConnections();
      return new Promise<void>((resolve) => tunnel.close(() => resolve()));
    });
    const { receiver: r, events } = await receiver({ forwardTo: `http://127.0.0.1:${(tunnel.address() as { port: number }).port}/` });
    back = r.url;
    const answer = await post(r.url, "{}");
    expect(answer.status).toBe(508);
    expect(answer.text).toContain("forwarding loop");
    const [looped, first] = await events.next(2);
    expect(looped!.headers["wtbhook-via"]).toMatch(/^[0-9a-f]{12}$/);
    expect(looped!.forward?.failure).toMatchObject({ kind: "loop" });
    expect(looped!.answer.status).toBe(508);
    expect(first!.forward).toMatchObject({ status: 508 });
  });

  it("--fail-first with --forward-to: the app gets every delivery, the sender gets 500 for the first N of each id", async () => {
    const target = await app(() => ({ status: 200, body: '{"ok":true}' }));
    const { receiver: r, events } = await receiver({ forwardTo: target.url, failFirst: 2 });
    const a = JSON.stringify({ type: "user.created", id: 1 });
    const b = JSON.stringify({ type: "user.created", id: 2 });
    const statuses = [];
    for (const body of [a, a, b, a]) statuses.push((await post(r.url, body)).status);
    expect(statuses).toEqual([500, 500, 500, 200]);
    // The app saw all four, so its idempotency is exercised by the redeliveries.
    expect(target.got.map((got) => (JSON.parse(got.body.toString("utf8")) as { id: number }).id)).toEqual([1, 1, 2, 1]);
    await events.next(4);
    expect(events.events.map((e) => [e.id, e.delivery, e.forward?.status, e.answer.status, e.answer.by])).toEqual([
      [1, 1, 200, 500, "fail-first"],
      [1, 2, 200, 500, "fail-first"],
      [2, 1, 200, 500, "fail-first"],
      [1, 3, 200, 200, "app"],
    ]);
  });

  it("passes on the app's failure status", async () => {
    const target = await app(() => ({ status: 503, body: "busy" }));
    const { receiver: r } = await receiver({ forwardTo: target.url });
    expect((await post(r.url, "{}")).status).toBe(503);
  });

  it("passes on at most MAX_ANSWER_BYTES of the app's body, even from an app that streams without end", async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/plain" });
        const chunk = Buffer.alloc(64 * 1024, "y");
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk)) {
            // keep writing until the socket pushes back
          }
        };
        res.on("drain", pump);
        pump();
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    cleanup.push(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const target = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const { receiver: r, events } = await receiver({ forwardTo: target, forwardTimeoutMs: 0 });
    const answer = await request(r.url, { method: "POST", body: "{}" });
    expect(answer.statusCode).toBe(200);
    expect((await answer.body.arrayBuffer()).byteLength).toBe(MAX_ANSWER_BYTES);
    const [event] = await events.next(1);
    expect(event!.forward).toMatchObject({ status: 200, bodyStart: "y".repeat(200) });
  });

  it("https:// to an app that speaks plain http: 502 and the same sentence as send, not OpenSSL's raw message", async () => {
    const target = await app(() => ({ status: 200 }));
    const { receiver: r, events } = await receiver({ forwardTo: target.url.replace("http:", "https:") });
    const answer = await post(r.url, "{}");
    expect(answer.status).toBe(502);
    const [event] = await events.next(1);
    const message = `TLS handshake with ${new URL(target.url).host} failed: it did not answer in TLS (is it an http:// server?)`;
    expect(event!.forward?.failure).toEqual({ kind: "tls", message });
    expect(answer.text).toBe(`wtbhook: the app was reached, but the TLS check failed (${message})\n`);
  });

  it("an https app with a self-signed certificate: 502 saying the TLS check failed; forwardInsecure reaches it", async () => {
    const tls = await startTargetServer(() => ({ kind: "status", status: 201, body: "stored" }), { tls: true });
    cleanup.push(() => tls.close());
    const { receiver: strict, events } = await receiver({ forwardTo: `${tls.url}/hook` });
    const refused = await post(strict.url, "{}");
    expect(refused.status).toBe(502);
    expect(refused.text).toMatch(
      /^wtbhook: the app was reached, but the TLS check failed \(TLS handshake with 127\.0\.0\.1:\d+ failed: .*--insecure accepts it\)\n$/,
    );
    const [event] = await events.next(1);
    expect(event!.forward?.failure?.kind).toBe("tls");
    expect(tls.requests).toHaveLength(0);
    const { receiver: insecure } = await receiver({ forwardTo: `${tls.url}/hook`, forwardInsecure: true });
    expect(await post(insecure.url, "{}")).toMatchObject({ status: 201, text: "stored" });
    expect(tls.requests).toHaveLength(1);
  });

  it("keeps the app's status line, headers and the first KB of its body for -v", async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(422, "Not Today", [
          ["X-Request-Id", "r-1"],
          ["Set-Cookie", "a=1"],
          ["Set-Cookie", "b=2"],
          ["Content-Type", "text/plain"],
        ]);
        res.end("x".repeat(10_000));
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { receiver: r, events } = await receiver({ forwardTo: `http://127.0.0.1:${(server.address() as { port: number }).port}/` });
    const answer = await post(r.url, "{}");
    expect(answer).toMatchObject({ status: 422, text: "x".repeat(10_000) });
    const [event] = await events.next(1);
    const kept = event!.forward!.answer!;
    expect(kept.statusText).toBe("Not Today");
    expect(kept.headers).toEqual(expect.arrayContaining(["X-Request-Id", "r-1", "Set-Cookie", "a=1", "Set-Cookie", "b=2"]));
    expect(kept.body.toString()).toBe("x".repeat(4096));
    expect(kept.bodyBytes).toBe(10_000);
  });

  it("502 when the app is down, 504 when it is too slow", async () => {
    const target = await app(() => ({ status: 200, delayMs: 2_000 }));
    const { receiver: slow, events: slowEvents } = await receiver({ forwardTo: target.url, forwardTimeoutMs: 150 });
    expect((await post(slow.url, "{}")).status).toBe(504);
    const [timedOut] = await slowEvents.next(1);
    expect(timedOut!.forward?.failure?.kind).toBe("timeout");

    const port = await closedPort();
    const { receiver: down, events: downEvents } = await receiver({ forwardTo: `http://127.0.0.1:${port}/` });
    const answer = await post(down.url, "{}");
    expect(answer.status).toBe(502);
    const [unreachable] = await downEvents.next(1);
    expect(unreachable!.forward?.failure).toEqual({ kind: "unreachable", message: `connection refused by 127.0.0.1:${port}` });
    expect(answer.text).toBe(`wtbhook: the app could not be reached (connection refused by 127.0.0.1:${port})\n`);
  });
});

describe("closing", () => {
  it("lets a request in flight finish, refuses new connections, and is idempotent", async () => {
    const target = await app(() => ({ status: 200, body: "late", delayMs: 300 }));
    const { receiver: r } = await receiver({ forwardTo: target.url });
    const inFlight = post(r.url, "{}");
    await once(target.server, "request");
    const closing = r.close();
    expect(r.close()).toBe(closing);
    const answer = await inFlight;
    expect(answer).toMatchObject({ status: 200, text: "late" });
    await closing;
    await expect(post(r.url, "{}")).rejects.toThrow();
  });

  it("waits for a forward whose sender has hung up, and reports and records it before close() resolves", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wtbhook-close-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "events.ndjson");
    const recording = openRecording(file);
    const target = await app(() => ({ status: 200, body: "late", delayMs: 300 }));
    const { receiver: r, events } = await receiver({ forwardTo: target.url, recording });
    const socket = await rawSocket(r.port);
    socket.on("error", () => undefined);
    socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}`);
    await once(target.server, "request");
    socket.destroy();
    await once(socket, "close");
    await r.close();
    // What the session does right after: the summary is printed and the recording closed.
    const reported = events.events.length;
    recording.close();
    expect(reported).toBe(1);
    // The app answered 200, but the sender had gone: it got nothing, and that is what is recorded.
    expect(events.events[0]!.forward).toMatchObject({ status: 200, bodyStart: "late" });
    expect(events.events[0]!.answer.status).toBeUndefined();
    expect(events.clientErrors).toEqual([]);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ body: "{}", answer: { status: null } });
  });

  it("cuts forwards that outlive the grace period: the sender gets the 502 that is recorded and shown", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wtbhook-close-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "events.ndjson");
    const recording = openRecording(file);
    cleanup.push(() => recording.close());
    // An app that answers its headers, then trickles its body for ever.
    const trickle = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/plain" });
        const timer = setInterval(() => res.write("."), 50);
        res.on("close", () => clearInterval(timer));
      });
    });
    trickle.listen(0, "127.0.0.1");
    await once(trickle, "listening");
    cleanup.push(() => {
      trickle.closeAllConnections();
      return new Promise<void>((resolve) => trickle.close(() => resolve()));
    });
    const forwardTo = `http://127.0.0.1:${(trickle.address() as { port: number }).port}/`;
    const { receiver: r, events } = await receiver({ forwardTo, forwardTimeoutMs: 0, closeGraceMs: 200, recording });
    const inFlight = post(r.url, "{}").then(
      (a) => a.status,
      (error: Error) => `no answer: ${error.message}`,
    );
    const appGotIt = once(trickle, "request");
    await appGotIt;
    const started = performance.now();
    await r.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    // What the sender got is what was recorded and reported: a 502, said plainly.
    expect(await inFlight).toBe(502);
    expect(events.events).toHaveLength(1);
    expect(events.events[0]!.answer.status).toBe(502);
    expect(events.events[0]!.forward?.failure).toEqual({ kind: "error", message: "wtbhook was stopped before the app answered" });
    recording.close();
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ answer: { status: 502 } });
  });

  it("a hook that throws does not take the receiver down", async () => {
    const errors: string[] = [];
    const { receiver: r } = await receiver({
      onEvent: () => {
        throw new RangeError("Invalid string length");
      },
      onClientError: (code) => errors.push(code),
    });
    expect((await post(r.url, "{}")).status).toBe(200);
    expect((await post(r.url, "{}")).status).toBe(200);
    expect(errors).toEqual(["internal: Invalid string length", "internal: Invalid string length"]);
  });
});
