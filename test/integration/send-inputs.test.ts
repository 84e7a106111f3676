// `send`'s inputs and environment: recordings (--from), proxies, https with --insecure, and every
// bad input answered with exit 2 and nothing sent.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, afterEach, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { planFromRecording } from "../../src/delivery/replay-plan.js";
import { formatRecordLine } from "../../src/record/record.js";
import { ROOT } from "../helpers/run-cli.js";
import { closedPort, startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { sendInProcess } from "./send-in-process.js";

const servers: { close(): Promise<void> }[] = [];
async function target(options: { tls?: boolean } = {}): Promise<TargetServer> {
  const server = await startTargetServer(undefined, options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const dir = mkdtempSync(join(tmpdir(), "wtbhook-send-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A tiny forward proxy (CONNECT tunnels and absolute-URI requests) that records what it relayed. */
async function startProxy(): Promise<{ url: string; used: string[]; close(): Promise<void> }> {
  const used: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    used.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(req.url!, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  server.on("connect", (req, client: Socket, head: Buffer) => {
    used.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  server.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    used,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(proxy);
  return proxy;
}

describe("send --from", () => {
  const eventA = '{"api_version":"1","id":11,"type":"user.created"}';
  const recording = [
    formatRecordLine({
      time: new Date("2026-01-01T00:00:00Z"),
      method: "POST",
      path: "/hook",
      headers: { "content-type": "application/json" },
      body: Buffer.from(eventA),
      answer: { status: 200, ms: 1 },
    }),
    '{"type":"topic.created","id":12,  "odd":  "spacing kept"}\n',
    "\n",
    '{"type":"user.created","id":13}\n',
  ].join("");

  it("replays every event in order with its recorded bytes", async () => {
    const server = await target();
    const result = await sendInProcess(["--from", file("rec.ndjson", recording), "--to", server.url, "--no-validate"]);
    expect(result.code).toBe(0);
    expect(server.requests.map((request) => request.body.toString())).toEqual([
      eventA,
      '{"type":"topic.created","id":12,  "odd":  "spacing kept"}',
      '{"type":"user.created","id":13}',
    ]);
  });

  it("--type filters the replay", async () => {
    const server = await target();
    const result = await sendInProcess([
      "--from",
      file("rec2.ndjson", recording),
      "--type",
      "topic.created",
      "--to",
      server.url,
      "--no-validate",
    ]);
    expect(result.code).toBe(0);
    expect(server.requests.map((request) => (JSON.parse(request.body.toString()) as { id: number }).id)).toEqual([12]);
  });

  it("validates recorded events before sending anything", async () => {
    const server = await target();
    const result = await sendInProcess(["--from", file("rec3.ndjson", recording), "--to", server.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("rec3.ndjson:1");
    expect(server.requests).toHaveLength(0);
  });

  it("--event-id picks events by envelope id (repeatable), in the recording's order", async () => {
    const server = await target();
    const from = file("rec-ids.ndjson", recording);
    const result = await sendInProcess(["--from", from, "--event-id", "13", "--event-id", "11", "--to", server.url, "--no-validate"]);
    expect(result.code).toBe(0);
    expect(server.requests.map((request) => (JSON.parse(request.body.toString()) as { id: number }).id)).toEqual([11, 13]);
    const both = await sendInProcess(["--from", from, "--event-id", "13", "--type", "user.created", "--to", server.url, "--no-validate"]);
    expect(both.code).toBe(0);
    expect(server.requests).toHaveLength(3);
  });

  it("--event-id of an id the recording does not hold is exit 2 naming it, and nothing is sent", async () => {
    const server = await target();
    const from = file("rec-ids2.ndjson", recording);
    const result = await sendInProcess(["--from", from, "--event-id", "11", "--event-id", "99", "--to", server.url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--event-id: ${from} holds no event with id 99`);
    expect(server.requests).toHaveLength(0);
  });

  it("a mistyped --type gets a did-you-mean (exit 2); a known type the file lacks is simply not there", async () => {
    const server = await target();
    const from = file("rec-typo.ndjson", recording);
    const typo = await sendInProcess(["--from", from, "--type", "user.craeted", "--to", server.url]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`--type user.craeted: ${from} holds no event of that type, and it is not a known event type`);
    expect(typo.stderr).toContain("did you mean user.created");
    const absent = await sendInProcess(["--from", from, "--type", "user.deleted", "--to", server.url]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain(`${from} holds no events of type user.deleted to replay`);
    expect(server.requests).toHaveLength(0);
  });

  it("--recorded-headers sends the recorded headers: hop-by-hop and Host dropped, Content-Length recomputed, -H still wins", async () => {
    const server = await target();
    const body = '{"api_version":"1","id":21,"type":"user.created"}';
    const line = formatRecordLine({
      time: new Date("2026-01-01T00:00:00Z"),
      method: "POST",
      path: "/hook",
      headers: {
        host: "forum.example",
        "content-type": "application/json; charset=utf-8",
        "content-length": "999",
        "user-agent": "WebsiteToolbox/1.0",
        "x-forum-signature": "abc",
        connection: "keep-alive, x-hop",
        "x-hop": "1",
        "transfer-encoding": "chunked",
        "x-override": "recorded",
      },
      body: Buffer.from(body),
      answer: { status: 200, ms: 1 },
    });
    const from = file("rec-headers.ndjson", `${line}{"type":"user.created","id":22}\n`);
    const args = ["--from", from, "--recorded-headers", "-H", "X-Override: typed", "--no-validate", "--to", `${server.url}/in`];
    const result = await sendInProcess(args);
    expect(result.code).toBe(0);
    const [recorded, plain] = server.requests;
    expect(recorded!.headers).toMatchObject({
      host: `127.0.0.1:${server.port}`,
      "content-type": "application/json; charset=utf-8",
      "content-length": String(body.length),
      "user-agent": "WebsiteToolbox/1.0",
      "x-forum-signature": "abc",
      "x-override": "typed",
    });
    expect(recorded!.headers["x-hop"]).toBeUndefined();
    expect(recorded!.headers["transfer-encoding"]).toBeUndefined();
    expect(recorded!.body.toString()).toBe(body);
    // A line that is a bare event has no recorded headers: wtbhook's own are sent.
    expect(plain!.headers["user-agent"]).toMatch(/^wtbhook\//);
    // Without the flag, wtbhook's headers as before.
    await sendInProcess(["--from", from, "--no-validate", "--to", server.url]);
    expect(server.requests[2]!.headers["user-agent"]).toMatch(/^wtbhook\//);
    expect(server.requests[2]!.headers["x-forum-signature"]).toBeUndefined();
    const dry = await sendInProcess([...args, "--dry-run"]);
    expect(dry.stdout).toContain("x-forum-signature: abc\n");
    expect(dry.stdout).toContain(`Content-Length: ${body.length}\n`);
    expect(dry.stdout).not.toContain("999");
  });

  it("--recorded-headers with a recorded header that cannot be sent is exit 2 naming the line", async () => {
    const server = await target();
    const line = JSON.stringify({
      kind: "request",
      v: 1,
      time: "2026-01-01T00:00:00Z",
      method: "POST",
      path: "/",
      headers: { "x-bad": "a\r\nb" },
      body: '{"id":1}',
      encoding: "utf8",
      answer: { status: 200, ms: 1 },
    });
    const result = await sendInProcess([
      "--from",
      file("rec-bad-header.ndjson", `${line}\n`),
      "--recorded-headers",
      "--no-validate",
      "--to",
      server.url,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('rec-bad-header.ndjson:1: the recorded header "x-bad" cannot be sent as it is');
    expect(server.requests).toHaveLength(0);
  });

  it("a corrupt line is exit 2 with its line number, and nothing is sent", async () => {
    const server = await target();
    const result = await sendInProcess(["--from", file("bad.ndjson", `${recording}{"type": oops\n`), "--to", server.url, "--no-validate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("bad.ndjson:5: not valid JSON");
    expect(server.requests).toHaveLength(0);
  });
});

describe("send: the graded pre-send check", () => {
  const envelope = (type: string, object: unknown, id = 21): string =>
    JSON.stringify({ api_version: "1", object: "event", id, type, mode: "live", data: { object } });

  it("sends an event of an unknown type (forum.renamed) from --data, with the warning, exit 0", async () => {
    const server = await target();
    const body = envelope("forum.renamed", { forumId: 1, title: "New name" });
    const result = await sendInProcess(["--data", file("renamed.json", body), "--to", server.url]);
    expect(result.code).toBe(0);
    expect(server.requests.map((request) => request.body.toString())).toEqual([body]);
    expect(result.stderr).toContain("⚠ ");
    expect(result.stderr).toMatch(
      /renamed\.json \(forum\.renamed\): 1 warning; sent all the same\n {2}⚠ \/type {2}unknown event type "forum\.renamed": only its envelope is checked/,
    );
  });

  it("sends every line of a recording, new types included (one such line no longer blocks it), and lists the warnings", async () => {
    const server = await target();
    const fixture = JSON.parse(loadFixture("user.created").toString("utf8")) as Record<string, unknown>;
    const lines = [
      JSON.stringify({ ...fixture, id: 31 }),
      envelope("forum.renamed", {}, 32),
      envelope("topic.created", { topicId: 5 }, 33),
    ];
    const result = await sendInProcess(["--from", file("new-types.ndjson", `${lines.join("\n")}\n`), "--to", server.url]);
    expect(result.code).toBe(0);
    expect(server.requests.map((request) => (JSON.parse(request.body.toString()) as { id: number }).id)).toEqual([31, 32, 33]);
    expect(result.stderr).toMatch(/new-types\.ndjson:2 \(forum\.renamed\): 1 warning; sent all the same/);
    expect(result.stderr).toMatch(
      /new-types\.ndjson:3 \(topic\.created\): 1 warning; sent all the same\n {2}⚠ \/data\/object {2}missing properties "title", /,
    );
  });

  it("refuses a typo of a known type (an error, with did-you-mean): nothing sent, exit 1", async () => {
    const server = await target();
    const result = await sendInProcess(["--data", file("typo.json", envelope("user.craeted", {})), "--to", server.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('✗ /type  unknown event type "user.craeted"; did you mean user.created?');
    expect(result.stderr).toContain("nothing was sent");
    expect(server.requests).toHaveLength(0);
  });

  it("refuses an error (a topic without topicId) but still shows its warnings, each marked", async () => {
    const server = await target();
    const result = await sendInProcess(["--data", file("hello.json", envelope("topic.created", { hello: "world" })), "--to", server.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      / {2}✗ \/data\/object {2}missing property "topicId"\n {2}⚠ \/data\/object {2}missing properties "title", /,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("reads a recording with the NDJSON line splitter: a byte order mark and CRLF line ends are fine", () => {
    const bytes = Buffer.from(`\uFEFF${envelope("forum.renamed", {}, 41)}\r\n\r\n${envelope("forum.renamed", {}, 42)}`);
    expect(planFromRecording(bytes, "crlf.ndjson").map((item) => [item.source, item.template.id])).toEqual([
      ["crlf.ndjson:1", 41],
      ["crlf.ndjson:3", 42],
    ]);
  });
});

describe("send --from: hostile text in a recording never reaches the terminal raw", () => {
  const hostile = "\u001b]0;pwned\u0007\u001b[2J\u202euser.created";
  const line = `${JSON.stringify({ type: hostile, id: 3, "\u001b[2Jkey": 1 })}\n`;
  const raw = /[\u001b\u0007\u202e]/;

  it("in the schema problem list (nothing sent, exit 1)", async () => {
    const server = await target();
    const result = await sendInProcess(["--from", file("hostile1.ndjson", line), "--to", server.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("\\e]0;pwned\\x07\\e[2J\\u202euser.created");
    expect(result.stderr).not.toMatch(raw);
    expect(server.requests).toHaveLength(0);
  });

  it("in the attempt line, the retry line and --json", async () => {
    const server = await startTargetServer(() => ({ kind: "status", status: 500 }));
    servers.push(server);
    const from = file("hostile2.ndjson", line);
    const pretty = await sendInProcess([
      "--from",
      from,
      "--no-validate",
      "--max-attempts",
      "2",
      "--retry-interval",
      "1ms",
      "--to",
      server.url,
    ]);
    expect(pretty.code).toBe(1);
    expect(pretty.stderr).toContain("\\e]0;pwned\\x07\\e[2J\\u202euser.created  id 3  #1/2  500");
    expect(pretty.stderr).toContain("↻ \\e]0;pwned");
    expect(pretty.stderr).not.toMatch(raw);
    const json = await sendInProcess(["--from", from, "--no-validate", "--json", "--to", server.url]);
    expect(json.stdout).not.toMatch(raw);
    expect((JSON.parse(json.stdout) as { type: string }).type).toBe(hostile);
    const dry = await sendInProcess(["--from", from, "--no-validate", "--dry-run", "--json", "--to", server.url]);
    expect(dry.stdout).not.toMatch(raw);
    expect((JSON.parse(dry.stdout) as { body: string }).body).toBe(line.trim());
  });
});

describe("send --scenario with the user's own file", () => {
  it("loads a path (./x.json) relative to the working folder and sends its steps, references resolved", async () => {
    const server = await target();
    const story = {
      description: "mine",
      steps: [
        { name: "alice", type: "user.created", set: { "data.object.username": "alice" } },
        { type: "user.approved", set: { "data.object.username": "${alice:data.object.username}" } },
      ],
    };
    file("my-story.json", JSON.stringify(story));
    const result = await sendInProcess(["--scenario", "./my-story.json", "--to", server.url], { cwd: dir });
    expect(result.code).toBe(0);
    const events = server.requests.map(
      (request) => JSON.parse(request.body.toString()) as { type: string; data: { object: { username: string } } },
    );
    expect(events.map((event) => [event.type, event.data.object.username])).toEqual([
      ["user.created", "alice"],
      ["user.approved", "alice"],
    ]);
  });

  it("a bad step is exit 2 naming the file and the step, and nothing is sent", async () => {
    const server = await target();
    const path = file("bad-story.json", JSON.stringify({ steps: [{ type: "user.created" }, { type: "user.craeted" }] }));
    const result = await sendInProcess(["--scenario", path, "--to", server.url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`scenario ${path}: step 2: unknown event type "user.craeted"; did you mean user.created`);
    expect(server.requests).toHaveLength(0);
  });
});

describe("send --dry-run without a target", () => {
  it("prints the request with a placeholder URL and says so (exit 0)", async () => {
    const result = await sendInProcess(["user.created", "--id", "5", "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^POST http:\/\/your-endpoint\.example\/webhooks\nHost: your-endpoint\.example\n/);
    expect(result.stderr).toContain("is a placeholder");
    const json = await sendInProcess(["user.created", "--dry-run", "--json"]);
    expect((JSON.parse(json.stdout) as { url: string }).url).toBe("http://your-endpoint.example/webhooks");
    // A real run still needs one.
    expect((await sendInProcess(["user.created"])).stderr).toContain("no target");
  });
});

describe("send through a proxy and over https", () => {
  it("honours HTTP_PROXY", async () => {
    const server = await target();
    const proxy = await startProxy();
    const result = await sendInProcess(["user.created", "--to", `${server.url}/via`], { env: { HTTP_PROXY: proxy.url } });
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(proxy.used.join(" ")).toContain(`127.0.0.1:${server.port}`);
  });

  it("NO_PROXY bypasses the proxy", async () => {
    const server = await target();
    const proxy = await startProxy();
    const result = await sendInProcess(["user.created", "--to", server.url], { env: { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" } });
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(proxy.used).toEqual([]);
  });

  it("a proxy that refuses is named as the proxy, not as the target (exit 1)", async () => {
    const server = await target();
    const port = await closedPort();
    const result = await sendInProcess(["user.created", "--to", server.url], { env: { HTTP_PROXY: `http://127.0.0.1:${port}` } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`connection refused by proxy 127.0.0.1:${port}`);
    expect(result.stderr).not.toContain(`refused by 127.0.0.1:${server.port}`);
  });

  it("a proxy variable that is not a URL is exit 2 naming it, not an internal error", async () => {
    const server = await target();
    const result = await sendInProcess(["user.created", "--to", server.url], { env: { HTTP_PROXY: "not a proxy" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HTTP_PROXY "not a proxy" is not a proxy URL');
    expect(result.stderr).not.toContain("internal error");
    expect(server.requests).toHaveLength(0);
  });

  it("https:// to a plain HTTP server is one readable line, not OpenSSL's dump (exit 1)", async () => {
    const server = await target();
    const result = await sendInProcess(["user.created", "--to", server.url.replace("http://", "https://")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("did not answer in TLS (is it an http:// server?)");
    expect(result.stderr).not.toMatch(/ssl3_get_record|\\n/);
  });

  it("a self-signed certificate is a TLS failure that names --insecure; with --insecure it is delivered", async () => {
    const server = await target({ tls: true });
    const refused = await sendInProcess(["user.created", "--to", server.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed: .*--insecure accepts it/);
    expect(server.requests).toHaveLength(0);
    const accepted = await sendInProcess(["user.created", "--to", server.url, "--insecure"]);
    expect(accepted.code).toBe(0);
    expect(server.requests).toHaveLength(1);
  });
});

describe("send: bad input is exit 2 and sends nothing", () => {
  it.each([
    [["user.created", "--to", "not a url"], "is not a valid URL"],
    [["user.created", "--to", "ftp://127.0.0.1/x"], "only http:// and https://"],
    [["user.created"], "no target"],
    [["user.creatd", "--to", "TARGET"], 'unknown event type "user.creatd"; did you mean user.created'],
    [["--to", "TARGET"], "name at least one event type"],
    [["user.created", "--to", "TARGET", "-H", "NoColon"], 'expected "Name: value"'],
    [["user.created", "--to", "TARGET", "-H", "Content-Length: 5"], "wtbhook sets Content-Length itself"],
    [["user.created", "--to", "TARGET", "--set", "noequals"], "expected path=value"],
    [["user.created", "--to", "TARGET", "--set", "data.missing.x=1"], "data.missing does not exist"],
    [["user.created", "--to", "TARGET", "--set", "data.object.username.x=1"], "is not an object or array"],
    [["user.created", "--to", "TARGET", "--unset", "data.object.nope"], "no such key"],
    [["user.created", "--to", "TARGET", "--set", "__proto__.polluted=1"], '"__proto__" is not allowed'],
    [["user.created", "--to", "TARGET", "--set", "data.constructor.prototype.x=1"], '"constructor" is not allowed'],
    [["--data", "/nonexistent/event.json", "--to", "TARGET"], "no such file: /nonexistent/event.json"],
    [["--from", "nope.ndjson", "--to", "TARGET"], "no such file: nope.ndjson"],
    [["--scenario", "./nope.json", "--to", "TARGET"], "no such file: ./nope.json"],
    [["--data", "test", "--to", "TARGET"], "test is a folder, not a file"],
    [["--scenario", "forum", "--all", "--to", "TARGET"], "got --all and --scenario"],
    [["user.created", "topic.created", "--data", "x.json", "--to", "TARGET"], "got event types (user.created, topic.created) and --data"],
    [["--scenario", "", "--to", "TARGET"], "--scenario needs a name"],
    [["user.created", "--event-id", "3", "--to", "TARGET"], "--event-id applies to a recording; use it with --from"],
    [["user.created", "--recorded-headers", "--to", "TARGET"], "--recorded-headers applies to a recording"],
    [["--from", "REC", "--event-id", "x", "--to", "TARGET"], "--event-id takes a whole number"],
    [["user.created", "--to", "http://a%zz:b@127.0.0.1:9/"], "--to: the user name or password is not valid percent-encoding (%zz)"],
    [["user.created", "--to", "TARGET", "--timeout", "soon"], "--timeout takes a duration"],
    [["user.created", "--to", "TARGET", "--repeat", "0"], "--repeat takes a whole number of at least 1"],
    [["user.created", "--to", "TARGET", "--concurrency", "x"], "--concurrency takes a whole number"],
    [["user.created", "--to", "TARGET", "--id", "-3"], "--id takes a whole number"],
    [["user.created", "--all", "--to", "TARGET"], "name no types with it"],
    [["user.created", "--scenario", "forum", "--to", "TARGET"], "choose one of"],
    [["--scenario", "nope", "--to", "TARGET"], 'unknown scenario "nope"'],
    [["--from", "REC", "--set", "id=1", "--to", "TARGET"], "--from replays the recorded bytes unchanged"],
    [["user.created", "--type", "user.created", "--to", "TARGET"], "--type applies to a recording; use it with --from"],
    [["--data", "", "--to", "TARGET"], "--data needs a file name, or - for stdin"],
    [["--from", "", "--to", "TARGET"], "--from needs a file name, or - for stdin"],
  ])("%j → %s", async (args, message) => {
    const server = await target();
    const rec = file("ok.ndjson", '{"type":"user.created","id":1}\n');
    const resolved = args.map((arg) => (arg === "TARGET" ? server.url : arg === "REC" ? rec : arg));
    const result = await sendInProcess(resolved);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    // Node's own wording (ENOENT, absolute paths) and internal errors stay out of it.
    expect(result.stderr).not.toMatch(/ENOENT|EISDIR|internal error|URI malformed/);
    expect(result.stderr).not.toContain(ROOT);
    expect(server.requests).toHaveLength(0);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
