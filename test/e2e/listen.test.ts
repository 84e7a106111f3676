import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { parseRecordLine } from "../../src/record/record.js";
import { postStatus, startListen, type ListenProcess } from "../helpers/listen-cli.js";
import { nextListening } from "../helpers/ports.js";
import { startInProcess } from "../helpers/run-in-process.js";
import { startTargetServer } from "../helpers/target-server.js";

const running: ListenProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const listen of running.splice(0)) listen.child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function listen(args: string[], env: Record<string, string | undefined> = {}): ListenProcess {
  const started = startListen(args, { env });
  running.push(started);
  return started;
}

function tempFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-listen-e2e-"));
  dirs.push(dir);
  return join(dir, name);
}

function withId(id: number): string {
  return loadFixture("user.created").toString("utf8").replace('"id": 1534', `"id": ${id}`);
}

/** Ids in a recording whose answer was 2xx. */
function recordedIds(path: string): Set<number> {
  const ids = new Set<number>();
  for (const [i, line] of readFileSync(path, "utf8").split("\n").entries()) {
    const item = parseRecordLine(line, i + 1, path);
    if (item?.id !== undefined) ids.add(item.id);
  }
  return ids;
}

function mapsOf(pid: number): string {
  return readFileSync(`/proc/${pid}/maps`, "utf8");
}

describe("wtbhook listen", () => {
  it("--json: a ready line, one JSON object per request, nothing else on stdout; SIGTERM prints a summary and exits 0", async () => {
    const record = tempFile("events.ndjson");
    const run = listen(["-p", "0", "--json", "--record", record]);
    const url = await run.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await postStatus(url, loadFixture("user.created"))).toBe(200);
    expect(await postStatus(url, loadFixture("user.created"))).toBe(200);
    expect(await postStatus(url, loadFixture("post.created"))).toBe(200);
    expect(await postStatus(url, "{oops")).toBe(400);
    run.child.kill("SIGTERM");
    expect(await run.exited).toEqual({ code: 0, signal: null });
    const lines = run
      .stdout()
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line["kind"], line["type"] ?? line["reason"], line["status"]])).toEqual([
      ["ready", undefined, undefined],
      ["event", "user.created", 200],
      ["event", "user.created", 200],
      ["event", "post.created", 200],
      ["rejected", "not-json", 400],
    ]);
    expect(lines[2]).toMatchObject({ id: 1534, valid: true, errors: [], delivery: 2, redelivery: true });
    expect(lines[1]!["body"]).toEqual(JSON.parse(loadFixture("user.created").toString("utf8")));
    expect(run.stderr()).toContain("Stopped. 3 events received.");
    expect(run.stderr()).toMatch(/user\.created\s+2/);
    expect(readFileSync(record, "utf8").trimEnd().split("\n")).toHaveLength(4);
    // No tunnel asked for: the ngrok SDK's native addon was never loaded (checked while running below).
  });

  it("pretty output: one line per event, payload escapes shown, not interpreted; the SDK is not loaded", async () => {
    const run = listen(["-p", "0", "--events", "user.*"]);
    const url = await run.ready;
    const evil = JSON.stringify({
      type: "user.created",
      id: 9,
      data: { object: { username: "x\u001b[2J\u001b]0;pwned\u0007", email: "a@b" } },
    });
    expect(await postStatus(url, evil)).toBe(200);
    expect(await postStatus(url, loadFixture("post.created"))).toBe(200);
    expect(mapsOf(run.child.pid!)).not.toMatch(/ngrok/i);
    run.child.kill("SIGINT");
    expect((await run.exited).code).toBe(0);
    const out = run.stdout();
    expect(out).not.toContain("\u001b");
    expect(out).not.toContain("\u0007");
    expect(out).toContain("user.created  id 9  #1  x\\e[2J\\e]0;pwned\\x07 <a@b>  → 200");
    // Filtered out of the display, still answered and counted.
    expect(out).not.toContain("post.created");
    expect(run.stderr()).toMatch(/post\.created\s+1/);
  });

  it("--tunnel without a token exits 2 at once with how to get one", async () => {
    const started = performance.now();
    const run = listen(["-p", "0", "--tunnel"]);
    expect((await run.exited).code).toBe(2);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(run.stderr()).toContain("✖ --tunnel needs an ngrok authtoken");
    expect(run.stderr()).toContain("https://dashboard.ngrok.com/get-started/your-authtoken");
    expect(run.stderr()).not.toContain("Ready!");
  });

  it("gives up on the real ngrok SDK when its server accepts and stays silent: exit 2 within --tunnel-timeout", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.on("error", () => undefined);
    });
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    const port = (silent.address() as { port: number }).port;
    try {
      const started = performance.now();
      const run = listen(["-p", "0", "--tunnel", "--tunnel-timeout", "2s"], {
        NGROK_AUTHTOKEN: "fake_token_123",
        WTBHOOK_NGROK_SERVER_ADDR: `127.0.0.1:${port}`,
      });
      if (sockets.length === 0) await once(silent, "connection");
      // The SDK really dialled our silent server, and its native addon is loaded.
      expect(mapsOf(run.child.pid!)).toMatch(/ngrok/i);
      const { code } = await run.exited;
      const elapsed = performance.now() - started;
      expect(code).toBe(2);
      expect(elapsed).toBeGreaterThan(1_900);
      expect(elapsed).toBeLessThan(8_000);
      expect(run.stderr()).toContain("✖ ngrok did not answer within 2s, so no tunnel was opened");
      expect(run.stderr()).not.toContain("fake_token_123");
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 20_000);

  it("with a (fake) tunnel: a random receiving path, scanners get 404 and are only counted", async () => {
    const run = listen(["-p", "0", "--tunnel"], { WTBHOOK_TUNNEL_PROVIDER: "fake" });
    const url = await run.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wtb-[0-9a-f]{32}$/);
    expect(await postStatus(url, loadFixture("topic.created"))).toBe(200);
    expect(await postStatus(new URL("/", url).href, "{}")).toBe(404);
    expect(await postStatus(new URL("/wp-login.php", url).href, "{}")).toBe(404);
    run.child.kill("SIGTERM");
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toContain("topic.created");
    expect(run.stderr()).not.toContain("wp-login");
    expect(run.stderr()).toContain("2 to other paths or methods");
  });

  it("--json: the ready line comes first even when an event arrives while the tunnel is starting", async () => {
    // In-process, so that the test learns the port listen bound (0) before wtbhook prints anything;
    // --no-ui, so that the next server to listen is the receiver (the inspector would start first).
    const listening = nextListening();
    const run = startInProcess(["listen", "-p", "0", "--no-ui", "--path", "/hooks", "--tunnel", "--json"], {
      env: { WTBHOOK_TUNNEL_PROVIDER: "fake", WTBHOOK_FAKE_TUNNEL: "slow:1500" },
    });
    const { port } = await listening;
    // The port answers before the (slow) tunnel is up, and the event's line waits for the ready line.
    expect(await postStatus(`http://127.0.0.1:${port}/hooks`, loadFixture("user.created"))).toBe(200);
    expect(run.stdout.text()).toBe("");
    await run.stdout.waitFor(/"kind":"ready"/);
    run.stop("SIGTERM");
    expect((await run.done).code).toBe(0);
    const kinds = run.stdout
      .text()
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { kind: string }).kind);
    expect(kinds).toEqual(["ready", "event"]);
  });

  it("--events: warns about a glob that matches no known type (a typo would hide everything)", async () => {
    const run = listen(["-p", "0", "--events", "user.create,post.*"]);
    await run.ready;
    run.child.kill("SIGTERM");
    expect((await run.exited).code).toBe(0);
    expect(run.stderr()).toContain("⚠ --events user.create matches no known event type");
    expect(run.stderr()).not.toContain("--events post.*");
  });

  it("nothing answered 2xx is lost when SIGTERM arrives mid-stream", async () => {
    const record = tempFile("events.ndjson");
    const run = listen(["-p", "0", "--json", "--record", record]);
    const url = await run.ready;
    const answered: number[] = [];
    let next = 0;
    let stopped = false;
    const sender = async (): Promise<void> => {
      while (!stopped && next < 2_000) {
        const id = next++;
        const status = await postStatus(url, withId(id));
        if (typeof status === "number" && status >= 200 && status < 300) answered.push(id);
        else stopped = true;
        // Once: the senders that fail afterwards still see 100, and a second SIGTERM ends listen at once.
        if (answered.length === 100 && status === 200) run.child.kill("SIGTERM");
      }
    };
    await Promise.all(Array.from({ length: 8 }, sender));
    expect((await run.exited).code).toBe(0);
    expect(answered.length).toBeGreaterThanOrEqual(100);
    const recorded = recordedIds(record);
    for (const id of answered) expect(recorded.has(id)).toBe(true);
  }, 30_000);

  it("stopped while the app is still answering: says it is finishing, then the event, then the summary", async () => {
    const app = await startTargetServer(() => ({ kind: "slow", delayMs: 1_500 }));
    try {
      const run = listen(["-p", "0", "--forward-to", app.url]);
      const url = await run.ready;
      const inFlight = postStatus(url, withId(7));
      await app.waitForRequests(1);
      run.child.kill("SIGTERM");
      expect(await inFlight).toBe(200);
      expect((await run.exited).code).toBe(0);
      const stderr = run.stderr();
      expect(stderr).toContain("Stopping: finishing the requests in flight (Ctrl+C again to quit at once)…\n");
      expect(stderr.indexOf("Stopping:")).toBeLessThan(stderr.indexOf("Stopped. 1 event received."));
      expect(run.stdout()).toMatch(/user\.created {2}id 7 {2}#1 .*→ app 200/);
    } finally {
      await app.close();
    }
  });

  it("nothing answered 2xx is lost when the process is killed with SIGKILL", async () => {
    const record = tempFile("events.ndjson");
    const run = listen(["-p", "0", "--json", "--record", record]);
    const url = await run.ready;
    const ids = Array.from({ length: 100 }, (_, i) => i);
    const statuses = await Promise.all(ids.map((id) => postStatus(url, withId(id))));
    expect(statuses.every((status) => status === 200)).toBe(true);
    run.child.kill("SIGKILL");
    expect((await run.exited).signal).toBe("SIGKILL");
    const recorded = recordedIds(record);
    expect(ids.filter((id) => !recorded.has(id))).toEqual([]);
  });
});

it("reads /proc (the SDK-loading checks above rely on it)", () => {
  expect(existsSync(`/proc/${process.pid}/maps`)).toBe(true);
});
