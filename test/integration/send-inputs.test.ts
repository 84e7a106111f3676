// `send`'s inputs and environment: recordings (--from), proxies, https with --insecure, and every
// bad input answered with exit 2 and nothing sent.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { formatRecordLine } from "../../src/record/record.js";
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

  it("a corrupt line is exit 2 with its line number, and nothing is sent", async () => {
    const server = await target();
    const result = await sendInProcess(["--from", file("bad.ndjson", `${recording}{"type": oops\n`), "--to", server.url, "--no-validate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("bad.ndjson:5: not valid JSON");
    expect(server.requests).toHaveLength(0);
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
    [["--data", "/nonexistent/event.json", "--to", "TARGET"], "cannot read /nonexistent/event.json"],
    [["user.created", "--to", "TARGET", "--timeout", "soon"], "--timeout takes a duration"],
    [["user.created", "--to", "TARGET", "--repeat", "0"], "--repeat takes a whole number of at least 1"],
    [["user.created", "--to", "TARGET", "--concurrency", "x"], "--concurrency takes a whole number"],
    [["user.created", "--to", "TARGET", "--id", "-3"], "--id takes a whole number"],
    [["user.created", "--all", "--to", "TARGET"], "name no types with it"],
    [["user.created", "--scenario", "forum", "--to", "TARGET"], "choose one of"],
    [["--scenario", "nope", "--to", "TARGET"], 'unknown scenario "nope"'],
    [["--from", "REC", "--set", "id=1", "--to", "TARGET"], "--from replays the recorded bytes unchanged"],
    [["user.created", "--type", "user.created", "--to", "TARGET"], "--type filters a recording"],
    [["--data", "", "--to", "TARGET"], "--data needs a file name, or - for stdin"],
    [["--from", "", "--to", "TARGET"], "--from needs a file name, or - for stdin"],
  ])("%j → %s", async (args, message) => {
    const server = await target();
    const rec = file("ok.ndjson", '{"type":"user.created","id":1}\n');
    const resolved = args.map((arg) => (arg === "TARGET" ? server.url : arg === "REC" ? rec : arg));
    const result = await sendInProcess(resolved);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(server.requests).toHaveLength(0);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
