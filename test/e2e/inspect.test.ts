// `wtbhook inspect` and listen's inspector flags, as a user runs them: the built CLI, real ports.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterEach, describe, expect, it } from "vitest";

import { callHttp } from "../helpers/inspector.js";
import { startListen } from "../helpers/listen-cli.js";
import { runInProcess, startInProcess } from "../helpers/run-in-process.js";
import { startCli } from "../helpers/run-cli.js";
import { startTargetServer } from "../helpers/target-server.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-inspect-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A recording made by listen --record from two sent events. */
async function makeRecording(): Promise<string> {
  const record = join(tempDir(), "events.ndjson");
  const run = startListen(["-p", "0", "--no-ui", "--record", record]);
  const url = await run.ready;
  expect((await runInProcess(["send", "user.created", "topic.created", "--to", url])).code).toBe(0);
  run.child.kill("SIGTERM");
  await run.exited;
  return record;
}

describe("wtbhook inspect", () => {
  it("serves the recordings' requests over the API, replays them, and stops on SIGTERM with exit 0", async () => {
    const record = await makeRecording();
    const app = await startTargetServer();
    cleanup.push(() => app.close());
    const child = startCli(["inspect", record, "--ui-port", "0", "--json", "--to", app.url]);
    let stdout = "";
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const ready = await new Promise<{ inspector: string; events: number }>((resolve, reject) => {
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        if (stdout.includes("\n")) resolve(JSON.parse(stdout.split("\n")[0]!) as { inspector: string; events: number });
      });
      child.on("close", () => reject(new Error(`inspect exited early: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    cleanup.push(() => void child.kill("SIGKILL"));
    expect(ready.events).toBe(2);
    const url = new URL(ready.inspector);
    expect(url.hostname).toBe("127.0.0.1");
    const token = new URLSearchParams(url.hash.slice(1)).get("token")!;
    const port = Number(url.port);
    const list = (await callHttp(port, "/api/events", { token })).json();
    expect(list.events.map((event: any) => [event.seq, event.type, event.source])).toEqual([
      [2, "topic.created", "recording"],
      [1, "user.created", "recording"],
    ]);
    const info = (await callHttp(port, "/api/info", { token })).json();
    expect(info).toMatchObject({ mode: "inspect", replayTo: new URL(app.url).href });
    const replayed = (await callHttp(port, "/api/events/1/replay", { token, body: {} })).json();
    expect(replayed).toMatchObject({ status: 200, delivered: true });
    const recorded = JSON.parse(readFileSync(record, "utf8").split("\n")[0]!) as { body: string };
    expect((await app.waitForRequests(1))[0]!.body.toString("utf8")).toBe(recorded.body);
    expect(stderr).toContain("Inspecting");
    expect(stderr).toContain(`Inspector: ${ready.inspector}`);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("--fixtures (or WTBHOOK_FIXTURES): Save as fixture writes <type>.json into that folder, the exact bytes; a folder that is not there is one line and exit 2", async () => {
    const record = await makeRecording();
    const dir = tempDir();
    mkdirSync(join(dir, "fixtures"));
    const run = startInProcess(["inspect", record, "--ui-port", "0", "--json", "--fixtures", "fixtures"], { cwd: dir });
    cleanup.push(() => run.stop());
    const [line] = await run.stdout.waitFor(/^.*\n/);
    const url = new URL((JSON.parse(line) as { inspector: string }).inspector);
    const call = { token: new URLSearchParams(url.hash.slice(1)).get("token") };
    expect((await callHttp(Number(url.port), "/api/info", call)).json()).toMatchObject({ fixtures: join(dir, "fixtures") });
    const saved = await callHttp(Number(url.port), "/api/events/1/fixture", { ...call, body: {} });
    expect(saved.status).toBe(201);
    expect(saved.json()).toEqual({ path: join(dir, "fixtures", "user.created.json") });
    const recorded = JSON.parse(readFileSync(record, "utf8").split("\n")[0]!) as { body: string };
    expect(readFileSync(join(dir, "fixtures", "user.created.json"), "utf8")).toBe(recorded.body);
    run.stop("SIGTERM");
    expect((await run.done).code).toBe(0);

    const missing = await runInProcess(["inspect", record, "--ui-port", "0", "--fixtures", "nope"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr.split("\n")[0]).toBe("✖ --fixtures nope: no such folder");
    const fromEnv = await runInProcess(["listen", "-p", "0", "--ui-port", "0"], { cwd: dir, env: { WTBHOOK_FIXTURES: "gone" } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr.split("\n")[0]).toBe("✖ WTBHOOK_FIXTURES gone: no such folder");
  });

  it("says in one line, with exit 2, that a recording does not exist", async () => {
    const result = await runInProcess(["inspect", join(tempDir(), "nope.ndjson"), "--ui-port", "0"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^✖ .*nope\.ndjson: no such file\n$/);
  });
});

describe("listen's inspector flags", () => {
  it("--json: the ready line names the inspector's URL; --no-ui serves none", async () => {
    const run = startListen(["-p", "0", "--ui-port", "0", "--json"]);
    cleanup.push(async () => {
      run.child.kill("SIGTERM");
      await run.exited;
    });
    await run.ready;
    const ready = JSON.parse(run.stdout().split("\n")[0]!) as { inspector: string };
    expect(ready.inspector).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{22}$/);
    const info = await callHttp(Number(new URL(ready.inspector).port), "/api/info", {
      token: new URLSearchParams(new URL(ready.inspector).hash.slice(1)).get("token"),
    });
    expect(info.json()).toMatchObject({ mode: "listen", receiving: (JSON.parse(run.stdout().split("\n")[0]!) as { url: string }).url });

    const off = startListen(["-p", "0", "--no-ui", "--json"]);
    cleanup.push(async () => {
      off.child.kill("SIGTERM");
      await off.exited;
    });
    await off.ready;
    expect(JSON.parse(off.stdout().split("\n")[0]!)).not.toHaveProperty("inspector");
  });

  it("a --ui-port that is taken stops listen at once with exit 2 and one line", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as { port: number }).port;
    const result = await runInProcess(["listen", "-p", "0", "--ui-port", String(port)]);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(`✖ --ui-port ${port} is already in use on 127.0.0.1`);
  });

  it("loads the inspector's code only when it serves: listen reaches it through dynamic imports alone", () => {
    // Every module listen's command loads statically, followed through relative imports.
    const src = fileURLToPath(new URL("../../src/", import.meta.url));
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/^import(?!\s+type\b)[^"']*?from\s+"(\.[^"]+)"|^export\s+[^"']*?from\s+"(\.[^"]+)"/gm)) {
        const target = join(file, "..", (match[1] ?? match[2])!).replace(/\.js$/, ".ts");
        visit(target);
      }
    };
    for (const entry of ["cli.ts", "commands/listen.ts", "commands/listen-options.ts", "receiver/session.ts"]) visit(join(src, entry));
    const inspector = [...seen].map((file) => file.slice(src.length)).filter((file) => file.startsWith("inspector/"));
    expect(inspector).toEqual(["inspector/port.ts"]);
    expect(seen.size).toBeGreaterThan(10);
  });
});
