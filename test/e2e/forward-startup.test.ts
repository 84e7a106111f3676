// `listen --forward-to` pays only for the pool it forwards through: the built forwarder must not
// load undici's index (fetch, WebSocket, caches, mocks: about 80 ms of start-up).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { cliEnv, ROOT } from "../helpers/run-cli.js";

const FORWARD = fileURLToPath(new URL("../../dist/receiver/forward.js", import.meta.url));

const SCRIPT = `
import { createRequire } from "node:module";
import { createServer } from "node:http";
const { createForwarder } = await import(process.argv[1]);
const server = createServer((req, res) => { req.resume(); req.on("end", () => res.end("ok")); });
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const forwarder = createForwarder("http://127.0.0.1:" + server.address().port + "/", { timeoutMs: 5000 });
const answer = await forwarder.forward(["Content-Type", "application/json"], "POST", Buffer.from("{}"));
await forwarder.close();
server.close();
const loaded = Object.keys(createRequire(process.cwd() + "/").cache).filter((file) => /undici[\\\\/]/.test(file));
console.log(JSON.stringify({ status: answer.status, body: answer.body.toString(), loaded }));
`;

describe("listen --forward-to start-up", () => {
  it("forwards through undici's pool without loading undici's index", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", SCRIPT, FORWARD], { cwd: ROOT, env: cliEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { status: number; body: string; loaded: string[] };
    expect(result).toMatchObject({ status: 200, body: "ok" });
    expect(result.loaded.some((file) => file.endsWith("dispatcher/pool.js") || file.endsWith("dispatcher\\pool.js"))).toBe(true);
    expect(result.loaded.filter((file) => /undici[\\/]index\.js$/.test(file))).toEqual([]);
  });
});
