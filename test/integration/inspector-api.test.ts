import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { History } from "../../src/inspector/history.js";
import { loadRecordings } from "../../src/inspector/load-recordings.js";
import { parseRecordLine } from "../../src/record/record.js";
import { callHttp, startInspectorRig } from "../helpers/inspector.js";
import { startTargetServer } from "../helpers/target-server.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const USER = loadFixture("user.created").toString("utf8");
const INVALID = '{\n  "type": "user.created",\n  "id": 5,\n  "data": {"object": {"userId": "seven"}}\n}';

describe("the inspector's security", () => {
  it("answers /api/ only with the token (401 without, or with a wrong one), compared whatever its length", async () => {
    const rig = await startInspectorRig(cleanup);
    expect((await rig.call("/api/info")).status).toBe(200);
    for (const token of [null, "", "wrong", `${rig.inspector.token}x`, rig.inspector.token.slice(1)]) {
      const answer = await rig.call("/api/events", { token });
      expect(answer.status).toBe(401);
      expect(answer.headers["www-authenticate"]).toMatch(/^Bearer/);
    }
    expect((await rig.call("/api/events", { token: null, headers: { authorization: `Basic ${rig.inspector.token}` } })).status).toBe(401);
  });

  it("refuses every request whose Host is not 127.0.0.1 or localhost on its port (DNS rebinding), the page included", async () => {
    const rig = await startInspectorRig(cleanup);
    const port = rig.inspector.port;
    for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1:${port + 1}`, `0.0.0.0:${port}`, `[::1]:${port}`, "127.0.0.1"]) {
      expect((await rig.call("/api/info", { headers: { host } })).status, host).toBe(403);
      expect((await rig.call("/", { headers: { host } })).status, host).toBe(403);
    }
    expect((await rig.call("/api/info", { headers: { host: `localhost:${port}` } })).status).toBe(200);
    expect((await rig.call("/api/info", { headers: { host: `LOCALHOST:${port}` } })).status).toBe(200);
  });

  it("lets state-changing calls through only without an Origin or from its own page; never answers with CORS headers", async () => {
    const rig = await startInspectorRig(cleanup);
    const port = rig.inspector.port;
    const body = { body: USER };
    for (const origin of ["http://evil.example", `http://127.0.0.1:${port + 1}`, "null", `https://127.0.0.1:${port}`]) {
      const answer = await rig.call("/api/validate", { body, headers: { origin } });
      expect(answer.status, origin).toBe(403);
      expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    }
    expect((await rig.call("/api/validate", { body, headers: { "sec-fetch-site": "cross-site" } })).status).toBe(403);
    expect((await rig.call("/api/validate", { body, headers: { origin: `http://127.0.0.1:${port}` } })).status).toBe(200);
    expect(
      (await rig.call("/api/validate", { body, headers: { origin: `http://localhost:${port}`, "sec-fetch-site": "same-origin" } })).status,
    ).toBe(200);
    expect((await rig.call("/api/validate", { body })).status).toBe(200);
    // A CORS preflight gets no Access-Control-* header, so a browser never lets another page call in.
    const preflight = await rig.call("/api/events/1/replay", {
      method: "OPTIONS",
      token: null,
      headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(401);
    expect(Object.keys(preflight.headers).filter((name) => name.startsWith("access-control-"))).toEqual([]);
    // A form post from another page (no JSON content type) is refused too.
    expect(
      (await rig.call("/api/validate", { body: "body=x", headers: { "content-type": "application/x-www-form-urlencoded" } })).status,
    ).toBe(415);
  });

  it("serves the page with a content security policy and no-store, and only on loopback", async () => {
    const rig = await startInspectorRig(cleanup);
    const page = await rig.call("/", { token: null });
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.text).toContain('src="/app.js"');
    const script = await rig.call("/app.js", { token: null });
    expect(script.status).toBe(200);
    expect(script.headers["content-type"]).toMatch(/^text\/javascript/);
    expect((await rig.call("/nothing", { token: null })).status).toBe(404);
    expect(rig.inspector.url).toBe(`http://127.0.0.1:${rig.inspector.port}/#token=${rig.inspector.token}`);
  });
});

describe("the inspector's API", () => {
  it("GET /api/events: newest first, each with its facts, answer and verdict; filters by type, answer, schema and text", async () => {
    const rig = await startInspectorRig(cleanup);
    await rig.send(USER);
    await rig.send(loadFixture("topic.created"));
    await rig.send(INVALID);
    // A well-formed event of a type the catalogue does not know: a warning, not an error (issue 11).
    await rig.send(
      '{"api_version":"1","object":"event","mode":"live","type":"forum.renamed","id":9,"data":{"object":{"name":"needle in the body"}}}',
    );
    await rig.send("not json");
    const { events, more } = (await rig.call("/api/events")).json();
    expect(more).toBe(false);
    expect(events.map((event: any) => event.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(events[4]).toMatchObject({ type: "user.created", valid: true, severity: null, status: 200, kind: "event", source: "run" });
    expect(events[4].facts).toEqual(["john", "<johnDoe@gmail.com>"]);
    expect(events[2]).toMatchObject({ type: "user.created", id: 5, valid: false, severity: "error", problems: 3 });
    expect(events[1]).toMatchObject({ type: "forum.renamed", knownType: false, valid: true, severity: "warning" });
    expect(events[0]).toMatchObject({ kind: "rejected", reason: "not-json", status: 400 });

    const seqs = async (query: string): Promise<number[]> =>
      (await rig.call(`/api/events?${query}`)).json().events.map((event: any) => event.seq);
    expect(await seqs("type=user.*")).toEqual([3, 1]);
    expect(await seqs("type=topic.created,forum.*")).toEqual([4, 2]);
    expect(await seqs("answer=failed")).toEqual([5]);
    expect(await seqs("answer=2xx")).toEqual([4, 3, 2, 1]);
    expect(await seqs("schema=invalid")).toEqual([3]);
    expect(await seqs("schema=valid")).toEqual([2, 1]);
    expect(await seqs("schema=unknown")).toEqual([5, 4]);
    expect(await seqs("q=JOHNDOE")).toEqual([1]);
    expect(await seqs("q=needle%20in%20the")).toEqual([4]);
    expect(await seqs("limit=2")).toEqual([5, 4]);
    expect((await rig.call("/api/events?limit=2")).json().more).toBe(true);
    expect(await seqs("after=3")).toEqual([5, 4]);
    expect(await seqs("before=3&limit=1")).toEqual([2]);
    expect((await rig.call("/api/events?answer=maybe")).status).toBe(400);
    expect((await rig.call("/api/events?after=x")).status).toBe(400);
  });

  it("GET /api/events/<seq>: headers, the exact body, each problem with its line, base64 for bytes that are not UTF-8", async () => {
    const rig = await startInspectorRig(cleanup);
    await rig.send(INVALID, { "x-signature": "abc" });
    const detail = (await rig.call("/api/events/1")).json();
    expect(detail.headers["x-signature"]).toBe("abc");
    expect(detail.body).toBe(INVALID);
    expect(detail.bodyBase64).toBeNull();
    expect(detail.problemList).toContainEqual(expect.objectContaining({ pointer: "/data/object/userId", line: 4, severity: "error" }));
    expect(detail.problemList.find((problem: any) => problem.pointer === "/data/object/userId").message).toMatch(/integer/);

    const bytes = Buffer.concat([Buffer.from('{"type":"user.created","id":6,"x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    await rig.send(bytes);
    const binary = (await rig.call("/api/events/2")).json();
    expect(Buffer.from(binary.bodyBase64, "base64").equals(bytes)).toBe(true);
    expect(binary.body).toContain("\uFFFD");
    expect((await rig.call("/api/events/99")).status).toBe(404);
    expect((await rig.call("/api/events/abc")).status).toBe(404);
  });

  it("keeps neither bodies nor headers of recorded requests in memory: reads them back from the recording, exactly", async () => {
    const rig = await startInspectorRig(cleanup);
    const big = `{"type":"user.created","id":7,"pad":"${"é".repeat(400)}"}`;
    const entry = await rig.send(big, { "x-trace": "t1" });
    expect(entry.body).toBeUndefined();
    expect(entry.headers).toBeUndefined();
    expect(entry.offset).toBe(0);
    await rig.send(USER);
    const detail = (await rig.call("/api/events/1")).json();
    expect(detail.body).toBe(big);
    expect(detail.headers["x-trace"]).toBe("t1");
    expect(detail.bodyMissing).toBeNull();
    // The list's facts are read back too.
    expect((await rig.call("/api/events")).json().events[0].facts).toEqual(["john", "<johnDoe@gmail.com>"]);
  });

  it("without a recording keeps bodies within its budget, letting the oldest go", async () => {
    const rig = await startInspectorRig(cleanup, { record: false, history: { memoryBudget: USER.length * 2 + 10 } });
    for (let i = 0; i < 4; i++) await rig.send(USER);
    expect(rig.history.all().map((entry) => entry.body !== undefined)).toEqual([false, false, true, true]);
    const oldest = (await rig.call("/api/events/1")).json();
    expect(oldest.body).toBeNull();
    expect(oldest.bodyMissing).toMatch(/let go/);
    expect((await rig.call("/api/events/4")).json().body).toBe(USER);
  });

  it("POST /api/events/<seq>/replay: the recorded or the edited bytes, through send's delivery code, judged as Website Toolbox judges", async () => {
    const rig = await startInspectorRig(cleanup);
    const app = await startTargetServer((index) =>
      index < 2 ? { kind: "status", status: 202, body: '{"thanks":true}' } : { kind: "redirect", status: 302, location: "/login" },
    );
    cleanup.push(() => app.close());
    await rig.send(USER);
    const replayed = await rig.call("/api/events/1/replay", { body: { to: app.url } });
    expect(replayed.status).toBe(200);
    expect(replayed.json()).toMatchObject({
      status: 202,
      delivered: true,
      edited: false,
      answer: '{"thanks":true}',
      to: new URL(app.url).href,
    });
    const edited = '{"type": "user.created",   "id": 1, "data": {}}';
    expect((await rig.call("/api/events/1/replay", { body: { to: app.url, body: edited } })).json()).toMatchObject({
      status: 202,
      edited: true,
    });
    const redirected = (await rig.call("/api/events/1/replay", { body: { to: app.url } })).json();
    expect(redirected).toMatchObject({ status: 302, delivered: false, location: "/login" });
    expect(redirected.error).toMatch(/302/);
    const got = await app.waitForRequests(3);
    expect(got[0]!.body.toString("utf8")).toBe(USER);
    expect(got[1]!.body.toString("utf8")).toBe(edited);
    expect(got[2]!.url).not.toBe("/login");
    // The replays are remembered with the event, newest first.
    expect((await rig.call("/api/events/1")).json().replays.map((result: any) => result.status)).toEqual([302, 202, 202]);
  });

  it("replay: no target is a 400 that says how to set one; a refused connection is an outcome, not an error", async () => {
    const rig = await startInspectorRig(cleanup);
    await rig.send(USER);
    const none = await rig.call("/api/events/1/replay", { body: {} });
    expect(none.status).toBe(400);
    expect(none.json().error).toMatch(/no URL to replay to/);
    expect((await rig.call("/api/events/1/replay", { body: { to: "ftp://x/" } })).status).toBe(400);
    expect((await rig.call("/api/events/1/replay", { body: { to: "http://127.0.0.1:1/" } })).json()).toMatchObject({
      delivered: false,
      status: null,
    });
    expect((await rig.call("/api/events/1/replay", { body: { body: 5 } })).status).toBe(400);
  });

  it("POST /api/validate: the check validate makes, with each problem's line and column, and syntax errors placed", async () => {
    const rig = await startInspectorRig(cleanup);
    const valid = (await rig.call("/api/validate", { body: { body: USER } })).json();
    expect(valid).toEqual({ type: "user.created", valid: true, severity: null, problems: [] });
    const invalid = (await rig.call("/api/validate", { body: { body: INVALID } })).json();
    expect(invalid.valid).toBe(false);
    expect(invalid.problems).toContainEqual(expect.objectContaining({ pointer: "/data/object/userId", line: 4, column: 33 }));
    const broken = (await rig.call("/api/validate", { body: { body: '{\n  "type": "user.created",\n  "id": 1,,\n}' } })).json();
    expect(broken.problems[0]).toMatchObject({ keyword: "syntax", line: 3, column: 11 });
    const typo = (await rig.call("/api/validate", { body: { body: '{"type":"user.craeted"}' } })).json();
    expect(typo.problems.map((problem: { message: string }) => problem.message).join("\n")).toMatch(/did you mean user.created/);
  });

  it("GET /api/stream: one `event` message per new request, pushed as it arrives, catching up with ?after=", async () => {
    const rig = await startInspectorRig(cleanup);
    await rig.send(USER);
    const messages: string[] = [];
    const stream = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port: rig.inspector.port,
          path: "/api/stream?after=0",
          headers: { authorization: `Bearer ${rig.inspector.token}` },
        },
        resolve,
      );
      req.on("error", reject);
      req.end();
    });
    cleanup.push(() => void stream.destroy());
    expect(stream.statusCode).toBe(200);
    expect(stream.headers["content-type"]).toMatch(/^text\/event-stream/);
    let text = "";
    const twoEvents = new Promise<void>((resolve) => {
      stream.setEncoding("utf8").on("data", (chunk: string) => {
        text += chunk;
        const blocks = text.split("\n\n").filter((block) => block.startsWith("event: event"));
        messages.splice(0, messages.length, ...blocks);
        if (blocks.length === 2) resolve();
      });
    });
    // The first arrives from the history (after=0); the second is pushed as it comes.
    await rig.send(loadFixture("post.created"));
    await twoEvents;
    const parsed = messages.map((block) => JSON.parse(block.split("\ndata: ")[1]!));
    expect(parsed.map((event) => [event.seq, event.type])).toEqual([
      [1, "user.created"],
      [2, "post.created"],
    ]);
    expect(messages[1]).toContain("\nid: 2\n");
  });

  it("GET /api/export: the filtered list as NDJSON in the recording's format, which send --from reads", async () => {
    const rig = await startInspectorRig(cleanup);
    await rig.send(USER);
    await rig.send(loadFixture("topic.created"));
    await rig.send(INVALID);
    const answer = await rig.call("/api/export?type=user.*");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toMatch(/^application\/x-ndjson/);
    const lines = answer.text.split("\n").filter((line) => line !== "");
    const items = lines.map((line, i) => parseRecordLine(line, i + 1, "export"));
    expect(items.map((item) => item?.body.toString("utf8"))).toEqual([USER, INVALID]);
    // Recorded lines go out as they are in the recording.
    expect(readFileSync(rig.record, "utf8").split("\n")).toContain(lines[0]);
  });

  it("POST /api/events/<seq>/fixture: into the --fixtures folder as <type>.json, exact bytes, never over a file unless asked", async () => {
    const plain = await startInspectorRig(cleanup);
    await plain.send(USER);
    expect((await plain.call("/api/events/1/fixture", { body: {} })).status).toBe(404);

    const dir = join(plain.dir, "my-fixtures");
    mkdirSync(dir);
    const rig = await startInspectorRig(cleanup, {
      inspector: {
        info: { mode: "listen", version: "t", receiving: null, publicUrl: null, replayTo: null, recordings: [], fixtures: dir },
      },
    });
    await rig.send(USER);
    await rig.send('{"type":"../../escape","id":1}');
    const saved = await rig.call("/api/events/1/fixture", { body: {} });
    expect(saved.status).toBe(201);
    expect(readFileSync(join(dir, "user.created.json"), "utf8")).toBe(USER);
    writeFileSync(join(dir, "user.created.json"), "mine");
    expect((await rig.call("/api/events/1/fixture", { body: {} })).status).toBe(409);
    expect(readFileSync(join(dir, "user.created.json"), "utf8")).toBe("mine");
    expect((await rig.call("/api/events/1/fixture", { body: { force: true } })).status).toBe(201);
    expect(readFileSync(join(dir, "user.created.json"), "utf8")).toBe(USER);
    expect((await rig.call("/api/events/2/fixture", { body: {} })).status).toBe(400);
  });

  it("answers 404 for unknown APIs and 405 for the wrong method", async () => {
    const rig = await startInspectorRig(cleanup);
    expect((await rig.call("/api/nothing")).status).toBe(404);
    expect((await rig.call("/api/events", { method: "DELETE" })).status).toBe(405);
    expect((await rig.call("/api/validate")).status).toBe(405);
  });
});

describe("the history", () => {
  it("reads a recording's earlier requests back, numbered 0, -1, … before this run's, with their redeliveries", async () => {
    const rig = await startInspectorRig(cleanup);
    await rig.send(USER);
    await rig.send(INVALID);
    await rig.send(USER);
    const history = new History({ recording: rig.record });
    const result = await loadRecordings(history, [rig.record], { numbering: "before-run" });
    expect(result).toEqual({ loaded: 3, skipped: 0, truncated: false });
    const entries = history.all();
    expect(entries.map((entry) => [entry.seq, entry.type, entry.delivery, entry.check?.valid])).toEqual([
      [-2, "user.created", 1, true],
      [-1, "user.created", 1, false],
      [0, "user.created", 2, true],
    ]);
    expect(entries[0]!.status).toBe(200);
  });

  it("keeps the newest N (capacity) and, from the recordings, only what fits", async () => {
    const rig = await startInspectorRig(cleanup, { history: { capacity: 3 } });
    for (let i = 0; i < 6; i++) await rig.send(USER);
    expect(rig.history.all().map((entry) => entry.seq)).toEqual(expect.arrayContaining([4, 5, 6]));
    expect(rig.history.size).toBeLessThanOrEqual(4);
    const history = new History({ capacity: 4 });
    const result = await loadRecordings(history, [rig.record], { numbering: "from-one" });
    expect(result).toMatchObject({ loaded: 4, truncated: true });
    expect(history.all().map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
  });

  it("an inspector whose port is taken falls back to a free one only when allowed", async () => {
    const rig = await startInspectorRig(cleanup);
    const { startInspector } = await import("../../src/inspector/server.js");
    const base = {
      history: rig.history,
      info: { mode: "inspect" as const, version: "t", receiving: null, publicUrl: null, replayTo: null, recordings: [], fixtures: null },
      factsOf: () => [],
      replayHeaders: () => ({}),
    };
    await expect(startInspector({ ...base, port: rig.inspector.port })).rejects.toThrow(/already in use/);
    const second = await startInspector({ ...base, port: rig.inspector.port, fallback: true });
    cleanup.push(() => second.close());
    expect(second.fellBack).toBe(true);
    expect(second.port).not.toBe(rig.inspector.port);
    expect((await callHttp(second.port, "/api/info", { token: second.token })).status).toBe(200);
  });
});
