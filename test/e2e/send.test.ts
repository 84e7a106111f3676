// `wtbhook send` as a user runs it against a real local server: the built bin, and in-process
// through the built run() where the process itself does not matter.
import { readFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { runCli, startCli } from "../helpers/run-cli.js";
import { runInProcess } from "../helpers/run-in-process.js";
import { startTargetServer, type TargetServer } from "../helpers/target-server.js";

const FIXTURE = readFileSync(new URL("../../fixtures/user.created.json", import.meta.url), "utf8");
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const servers: TargetServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A plain TCP listener that accepts connections and never says a word: a TLS handshake to it never ends. */
async function silentServer(): Promise<{ url: string; accepted: Promise<void> }> {
  const sockets = new Set<Socket>();
  let accept!: () => void;
  const accepted = new Promise<void>((resolve) => (accept = resolve));
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    accept();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push({
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  } as TargetServer);
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, accepted };
}

describe("wtbhook send (built bin)", () => {
  it("stops quietly when the reader of stderr goes away (2>&1 | head): no crash, exit 0", async () => {
    const server = await startTargetServer();
    servers.push(server);
    const child = startCli(["send", "user.created", "--to", server.url, "--repeat", "5000", "--concurrency", "4"]);
    child.stderr!.once("data", () => child.stderr!.destroy());
    child.stdout!.resume();
    child.stdin!.end();
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("close", (c, s) => resolve([c, s])),
    );
    expect(signal).toBeNull();
    expect(code).toBe(0);
  });

  it("delivers a fixture and exits 0", async () => {
    const server = await startTargetServer();
    servers.push(server);
    const result = await runCli(["send", "user.created", "--to", `${server.url}/webhooks`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    const body = server.requests[0]!.body.toString("utf8");
    const id = (JSON.parse(body) as { id: number }).id;
    expect(body).toBe(FIXTURE.replace('"id": 1534,', `"id": ${id},`));
    expect(server.requests[0]!.headers["user-agent"]).toBe(`wtbhook/${pkg.version}`);
    expect(result.stderr).toContain(`user.created  id ${id}  #1  200 OK`);
  });

  it("--json keeps stdout to one JSON object per attempt; a 500 exits 1", async () => {
    const server = await startTargetServer(() => ({ kind: "status", status: 500, body: "down" }));
    servers.push(server);
    const result = await runInProcess(["send", "user.created", "--repeat", "3", "--json", "--to", server.url]);
    expect(result.code).toBe(1);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ type: "user.created", attempt: 1, status: 500, ok: false });
    expect(result.stderr).toContain("0/3 delivered, 3 failed");
  });

  it("an error message quoting outside text shows it escaped, not obeyed", async () => {
    const result = await runInProcess(["send", "\u001b]0;pwned\u0007\u001b[2J", "--to", "http://127.0.0.1:9/"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown event type "\\e]0;pwned\\x07\\e[2J"');
    expect(result.stderr).not.toMatch(/[\u001b\u0007]/);
  });

  it("a malformed --to is exit 2 with one line and no stack trace", async () => {
    const result = await runInProcess(["send", "user.created", "--to", "localhost:3000"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('✖ --to "localhost:3000" has no http:// or https:// scheme');
    expect(result.stderr).toContain("Did you mean http://localhost:3000?");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("Ctrl+C during an hour-long retry wait ends at once with a summary, exit 1", async () => {
    const server = await startTargetServer(() => ({ kind: "status", status: 503 }));
    servers.push(server);
    const child = startCli(["send", "user.created", "--retry", "--to", server.url]);
    let stderr = "";
    await new Promise<void>((resolve) => {
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
        if (stderr.includes("retry in 1h")) resolve();
      });
    });
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("1 not finished (interrupted)");
    expect(server.requests).toHaveLength(1);
  });

  it("a TLS handshake that never ends: the timeout is reported and the process exits with it, not 10 s later", async () => {
    const server = await silentServer();
    const started = performance.now();
    const result = await runCli(["send", "user.created", "--timeout", "500ms", "--to", server.url]);
    const ms = performance.now() - started;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("timed out after 500ms");
    // Start-up plus the timeout; undici alone kept the connect alive until its own 10 s limit.
    expect(ms).toBeLessThan(4_000);
  });

  it("a TLS handshake that never ends, --timeout 0: Ctrl+C ends the process at once", async () => {
    const server = await silentServer();
    const child = startCli(["send", "user.created", "--timeout", "0", "--to", server.url]);
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdin!.end();
    await server.accepted;
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    const stopped = performance.now();
    child.kill("SIGINT");
    const code = await closed;
    expect(performance.now() - stopped).toBeLessThan(2_000);
    expect(code).toBe(1);
    expect(stderr).toContain("1 not finished (interrupted)");
  });
});
