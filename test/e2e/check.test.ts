// `wtbhook check` as a user runs it: the built program (in-process through run()), its exit codes,
// and the printed reproduction commands run through a real shell, sending the same bytes the check sent.
import { spawn } from "node:child_process";

import { afterEach, describe, expect, it } from "vitest";

import { CHECKS } from "../../src/check/checks.js";
import { createTemplate } from "../../src/delivery/event-body.js";
import { checkJson } from "../integration/check-in-process.js";
import { cliEnv } from "../helpers/run-cli.js";
import { runInProcess } from "../helpers/run-in-process.js";
import { sendInProcess } from "../integration/send-in-process.js";
import { closedPort, startTargetServer, type TargetServer } from "../helpers/target-server.js";

const servers: TargetServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The body with its envelope id blanked: fresh ids differ, the rest must not. */
function withoutId(body: Buffer): string {
  const template = createTemplate(body);
  if (!template.idSpan) return body.toString("utf8");
  const [start, end] = template.idSpan;
  return `${body.subarray(0, start).toString("utf8")}ID${body.subarray(end).toString("utf8")}`;
}

/** Runs a command line in /bin/sh (asynchronously: the target server lives in this process). */
function runShell(command: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", command], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("wtbhook check (the built program)", () => {
  it("--list prints every id with a description, exit 0", async () => {
    const result = await runInProcess(["check", "--list"]);
    expect(result.code).toBe(0);
    const ids = result.stdout
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/)[0]);
    expect(ids).toEqual(CHECKS.map((check) => check.id));
    expect(result.stdout).toContain("Website Toolbox's limit is not documented");
  });

  it("a target that refuses connections: one line, exit 2, nothing on stdout", async () => {
    const port = await closedPort();
    const result = await runInProcess(["check", "--to", `http://127.0.0.1:${port}/webhooks`]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `✖ cannot check http://127.0.0.1:${port}/webhooks: connection refused by 127.0.0.1:${port}\n  Start your app first (or correct --to), then run wtbhook check again.\n`,
    );
  });

  it.each([
    [["--skip", "unknwon-type"], '--skip: unknown check "unknwon-type"; did you mean unknown-type?'],
    [["--only", "no-redirect"], "no-redirect judges the answers other checks get; add one that sends, such as all-types"],
    [["--burst", "0"], '--burst takes a whole number from 1 to 1000; got "0"'],
    [["--slow", "10s"], "--slow (10s) must be shorter than --timeout (10s)"],
    [[], 'no target: pass --to <url>, set WTBHOOK_TO or give "to" in wtbhook.config.json'],
  ])("bad usage %j: exit 2 with a one-line reason", async (args, message) => {
    const result = await runInProcess(["check", ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(`✖ ${message}`);
  });

  it("takes the target from WTBHOOK_TO; a consumer's answer is shown escaped, never obeyed", async () => {
    const server = await startTargetServer(() => ({ kind: "status", status: 500, body: "\u001b[2J\u009b31m\u202eboom" }));
    servers.push(server);
    const result = await runInProcess(["check", "--only", "unknown-type"], { env: { WTBHOOK_TO: `${server.url}/hook` } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("✖ fail  unknown-type");
    expect(result.stdout).toContain("answered 500 Internal Server Error (\\e[2J\\x9b31m\\u202eboom)");
    expect(result.stdout).not.toMatch(/[\u001b\u009b\u202e]/);
    expect(server.requests[0]!.url).toBe("/hook");
  });

  it("--format github: an ::error per failure with its reproduction, escaped by the workflow-command rules", async () => {
    const server = await startTargetServer(() => ({ kind: "status", status: 500, body: "100% down\r\n::error::fake\u001b[31m" }));
    servers.push(server);
    const result = await runInProcess(["check", "--only", "unknown-type,no-data", "--format", "github", "--to", server.url]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^::error title=wtbhook check%3A unknown-type::topic\.moved, a type that does not exist yet, was answered 500 Internal Server Error \(100%25 down ::error::fake\\e\[31m\)/,
    );
    expect(lines[0]).toContain(`%0AReproduce: wtbhook send topic.created --set type=topic.moved --no-validate --to ${server.url}`);
    expect(lines[1]).toMatch(/^::warning title=wtbhook check%3A no-data::user\.created without data was answered 500/);
    expect(lines[2]).toBe("wtbhook check: 2 checks, 0 passed, 1 warning, 1 failed");
  });

  it("every printed reproduction command, read by a real shell, is a send that sends the bytes the check sent (ids aside)", async () => {
    const server = await startTargetServer(() => ({ kind: "status", status: 500, body: "no" }));
    servers.push(server);
    const { report } = await checkJson(["--to", `${server.url}/webhooks`]);
    const bodiesById = new Map<number, Buffer>();
    for (const request of server.requests) bodiesById.set(createTemplate(request.body).id!, request.body);
    const failing = report.checks.filter((check) => check.reproduce.length > 0);
    expect(failing.map((check) => check.id).sort()).toEqual(
      report.checks
        .filter((check) => check.status !== "pass")
        .map((check) => check.id)
        .sort(),
    );
    const commands = failing.map((check) => check.reproduce[0]!);
    // The hard cases are among them: a body too large for a command line, quotes inside quotes.
    expect(commands.find((command) => command.includes("--data "))).toMatch(/^wtbhook send --data \S+large-payload\.json --to /);
    expect(commands.some((command) => command.includes(`'\\''`))).toBe(true);
    // One shell reads every command; its `wtbhook` prints the arguments it got, NUL-separated.
    const script = [
      `wtbhook() { for arg in "$@"; do printf '%s\\0' "$arg"; done; printf '\\n'; }`,
      ...failing.map((check, index) => `echo @@${index}; ${check.reproduce[0]!}`),
    ].join("\n");
    const shell = await runShell(script, cliEnv());
    expect(shell.status).toBe(0);
    const invocations = shell.stdout.split(/^@@\d+\n/m).slice(1);
    expect(invocations).toHaveLength(failing.length);
    for (const [index, check] of failing.entries()) {
      const command = check.reproduce[0]!;
      const before = server.requests.length;
      for (const line of invocations[index]!.split("\n").filter((text) => text !== "")) {
        const argv = line.split("\0").slice(0, -1);
        expect(argv[0]).toBe("send");
        const sent = await sendInProcess(argv.slice(1));
        // 1: the deliveries failed (the server answers 500), as they should; 2 would be a command send refuses.
        expect({ command, code: sent.code, stderr: sent.code === 1 ? "" : sent.stderr }).toEqual({ command, code: 1, stderr: "" });
      }
      const mine = check.deliveries.find((delivery) => delivery.command === command);
      const expected = (mine ? [mine] : check.deliveries.filter((delivery) => delivery.sent)).map((delivery) =>
        withoutId(bodiesById.get(delivery.id!)!),
      );
      const got = server.requests.slice(before).map((request) => withoutId(request.body));
      expect({ command: command.slice(0, 200), bodies: got.sort() }).toEqual({ command: command.slice(0, 200), bodies: expected.sort() });
    }
  });
});
